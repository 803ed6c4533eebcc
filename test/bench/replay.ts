/**
 * Client-side first-login work measured offline on the exact bytes the
 * server sent (the decoded chunks captured by xml-probe, replayed with the
 * same chunk boundaries), through the same code path the session uses:
 * guardedParserClass parser -> RosterResultMapper + RosterReplacement (the
 * items mapped and written in slices into a new generation, made current in
 * one short transaction, issue 14 #2), then markSynced + getSnapshot
 * (reported apart). And the floors on the same input:
 * @xmpp/xml's Parser alone (no guard, no mapping) and a plain prepared
 * INSERT of the same rows into a fresh better-sqlite3 table in one
 * transaction.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Parser, type Element } from '@xmpp/xml';
import type { RosterItem } from '../../preload/contract.js';
import { NS_ROSTER, RosterResultMapper, versionOf } from '../../main/core/roster/roster-stanzas.js';
import { openDatabase } from '../../main/core/store/database.js';
import { RosterReplacement } from '../../main/core/store/roster-replacement.js';
import { RosterStore } from '../../main/core/store/roster-store.js';
import { guardedParserClass } from '../../main/core/xmpp/guarded-parser.js';

/** What the session's parser had already seen: the stream header (the parser needs its root). */
const STREAM_HEADER =
  "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0' from='localhost' xml:lang='en'>";
/** The session's default (main/core/xmpp/session.ts, DEFAULT_MAX_STANZA_SIZE). */
const MAX_STANZA_SIZE = 32 * 1024 * 1024;

export interface ReplayTimes {
  parseMs: number;
  /** Mapping and store writes, in slices (wall time, the loop given back between slices). */
  applyMs: number;
  /** The store's share of applyMs (RosterStore.writeSlice and the switch). */
  storeMs: number;
  slices: number;
  /** markSynced + getSnapshot, as RosterService does before emitting 'replace'. */
  snapshotMs: number;
  items: RosterItem[];
  version: string | null;
}

export interface FloorTimes {
  parseMs: number;
  insertMs: number;
}

function parseChunks(ParserClass: typeof Parser, chunks: readonly string[]): { element: Element; ms: number } {
  const parser = new ParserClass();
  // set by the parser's callbacks (a holder, so the checks below are not narrowed to the initial nulls)
  const seen: { result: Element | null; failure: unknown } = { result: null, failure: null };
  parser.on('element', (el: Element) => {
    // The roster's result: the captured chunks may also hold other answers (the server probe's disco, SM).
    if (el.name === 'iq' && el.getChild('query', NS_ROSTER)) seen.result = el;
  });
  parser.on('error', (e: unknown) => {
    seen.failure = e;
  });
  parser.write(STREAM_HEADER);
  const t = performance.now();
  for (const chunk of chunks) parser.write(chunk);
  const ms = performance.now() - t;
  const { result, failure } = seen;
  if (failure)
    throw failure instanceof Error
      ? failure
      : new Error('replay: the parser failed with a non-Error value', { cause: failure });
  if (!result) throw new Error('replay: the captured bytes hold no complete <iq/>');
  return { element: result, ms };
}

const noLog = (): void => {
  // the replay times the parse and the store, not the log lines
};

/** One replay of the client's path on a fresh profile database. */
export async function replayClientPath(chunks: readonly string[], account: string): Promise<ReplayTimes> {
  const GuardedParser = guardedParserClass({ maxStanzaSize: MAX_STANZA_SIZE });
  const { element, ms: parseMs } = parseChunks(GuardedParser, chunks);
  const query = element.getChild('query', NS_ROSTER);
  if (!query) throw new Error('replay: the captured result has no roster query');

  const dir = mkdtempSync(join(tmpdir(), 'balcony-bench-replay-'));
  try {
    const { db } = openDatabase(join(dir, 'balcony.sqlite3'));
    try {
      const store = new RosterStore(db);
      // The store's share, timed on the instance.
      let storeMs = 0;
      let slices = 0;
      const writeSlice = store.writeSlice.bind(store);
      store.writeSlice = (a, generation, items) => {
        const w = performance.now();
        writeSlice(a, generation, items);
        storeMs += performance.now() - w;
        slices++;
      };
      let t = performance.now();
      const mapper = new RosterResultMapper(noLog);
      const replacement = RosterReplacement.begin(store, account);
      await replacement.write(query.getChildren('item'), (el) => mapper.add(el));
      const w = performance.now();
      const version = versionOf(query);
      replacement.commit(mapper.count, version);
      storeMs += performance.now() - w;
      const applyMs = performance.now() - t;
      const items = mapper.items();
      t = performance.now();
      store.markSynced(account, Date.now());
      const snapshot = store.getSnapshot(account);
      const snapshotMs = performance.now() - t;
      if (snapshot.items.length !== items.length) throw new Error('replay: stored count differs');
      return { parseMs, applyMs, storeMs, slices, snapshotMs, items, version };
    } finally {
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Parse floor: the same chunks through @xmpp/xml's Parser alone. */
export function parseFloor(chunks: readonly string[]): number {
  return parseChunks(Parser, chunks).ms;
}

/**
 * Insert floor: the same rows (values prepared beforehand, groups already
 * JSON) into a minimal table with the same columns, one prepared INSERT in
 * one transaction, on a fresh file database with the app's pragmas
 * (journal_mode = WAL, synchronous = NORMAL) so durability is comparable.
 */
export function insertFloor(items: readonly RosterItem[], account: string): number {
  const rows = items.map(
    (i) => [account, i.jid, i.name, i.subscription, i.ask, i.approved ? 1 : 0, JSON.stringify(i.groups)] as const,
  );
  const dir = mkdtempSync(join(tmpdir(), 'balcony-bench-floor-'));
  try {
    const db = new Database(join(dir, 'floor.sqlite3'));
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.exec(
        'CREATE TABLE t (account TEXT, jid TEXT, name TEXT, subscription TEXT, ask TEXT, approved INTEGER, groups TEXT)',
      );
      const insert = db.prepare('INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?)');
      const tx = db.transaction((all: typeof rows) => {
        for (const r of all) insert.run(r[0], r[1], r[2], r[3], r[4], r[5], r[6]);
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
