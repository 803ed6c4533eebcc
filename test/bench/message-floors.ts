/**
 * The floors of the archive catch-up (issue 10, speed), as the roster
 * bench's (./replay.ts): what the least a client could do with the same
 * input costs on this machine.
 * - parse floor: the decoded chunks the client's parser received during the
 *   catch-up (captured by ./xml-probe.ts, same chunk boundaries) through
 *   @xmpp/xml's Parser alone: no guard, no dispatch, no mapping;
 * - insert floor: the same messages, values prepared beforehand, one prepared
 *   INSERT in one transaction into a minimal table with the columns a message
 *   needs (no index, no full-text index, no dedupe), on a fresh better-sqlite3
 *   file database with the app's pragmas (WAL, synchronous = NORMAL).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Parser, type Element } from '@xmpp/xml';
import type { ArchiveItem } from './mam-archive.js';

/** What the session's parser had already seen: the stream header (the parser needs its root). */
const STREAM_HEADER =
  "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0' from='localhost' xml:lang='en'>";

/** The chunks through a bare Parser; returns the time and how many MAM results it saw. */
export function mamParseFloor(chunks: readonly string[]): { ms: number; results: number } {
  const parser = new Parser();
  let results = 0;
  let failure: unknown = null;
  parser.on('element', (el: Element) => {
    if (el.name === 'message') results++;
  });
  parser.on('error', (e: unknown) => {
    failure = e;
  });
  parser.write(STREAM_HEADER);
  const t = performance.now();
  for (const chunk of chunks) parser.write(chunk);
  const ms = performance.now() - t;
  if (failure !== null) throw new Error('parse floor: the captured chunks did not parse', { cause: failure });
  return { ms, results };
}

/** The same messages into a minimal table, one prepared INSERT in one transaction. */
export function messageInsertFloor(items: readonly ArchiveItem[], own: string): number {
  const rows = items.map(
    (it) =>
      [
        it.msgId,
        it.contact,
        it.direction,
        it.direction === 'in' ? it.contact : own,
        it.direction === 'in' ? own : it.contact,
        it.body,
        it.time,
        it.direction === 'in' ? 'received' : 'sent',
        it.archiveId,
        it.msgId,
        it.msgId,
      ] as const,
  );
  const dir = mkdtempSync(join(tmpdir(), 'balcony-bench-msgfloor-'));
  try {
    const db = new Database(join(dir, 'floor.sqlite3'));
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.exec(
        'CREATE TABLE t (id TEXT, conversation TEXT, direction TEXT, sender TEXT, recipient TEXT, body TEXT, time INTEGER, state TEXT, stanza_id TEXT, origin_id TEXT, msg_id TEXT)',
      );
      const insert = db.prepare('INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
      const tx = db.transaction((all: typeof rows) => {
        for (const r of all) insert.run(...r);
      });
      const t = performance.now();
      tx(rows);
      return performance.now() - t;
    } finally {
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
