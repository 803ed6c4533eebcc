/**
 * Benchmark rosters: a deterministic generator of realistic contacts, and a
 * writer for Prosody 0.12's internal roster storage, so an account with tens
 * of thousands of contacts is provisioned in a second instead of by tens of
 * thousands of roster sets.
 *
 * The file format was checked against what Prosody itself wrote after two
 * contacts were added through the real client (Prosody 0.12, storage =
 * "internal"): `<data_path>/localhost/roster/juliet.dat` holds
 *
 *   return {
 *     [false] = { ["pending"] = {}; ["version"] = 2; };
 *     ["romeo@example.net"] = {
 *       ["name"] = "Rom\195\169o";
 *       ["groups"] = { ["Friends"] = true; ["Lovers"] = true; };
 *       ["subscription"] = "none";
 *     };
 *   };
 *
 * Non-ASCII bytes are written as Lua decimal escapes, as Prosody's own
 * serializer does. Directory and file names are url-encoded the way
 * Prosody's datamanager does it (every non-alphanumeric byte as %xx).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RosterItem, Subscription } from '../../preload/contract.js';

import { seededRandom } from '../support/seeded-random.js';

export { seededRandom };

const FIRST = [
  'Alice',
  'Bob',
  'Chloé',
  'Dmitri',
  'Élodie',
  'François',
  'Günther',
  'Hélène',
  'Ingrid',
  'José',
  'Jürgen',
  'Katarzyna',
  'Łukasz',
  'María',
  'Nikolaï',
  'Øystein',
  'Pål',
  'Renée',
  'Søren',
  'Zoë',
  'Ana',
  'Bjørn',
  'Carmen',
  'Dolores',
  'Emma',
  'Fatima',
  'Giulia',
  'Hiroshi',
  'Ivan',
  'Jamal',
  'Анна',
  'Сергей',
  'Ольга',
  'محمد',
  'فاطمة',
  '李雷',
  '韩梅梅',
  '田中',
  'さくら',
  '지민',
  'Ἀχιλλεύς',
  'Νίκος',
  'Aiyana',
  'Oluwaseun',
  'Priya',
  'Rahul',
  'Siobhán',
  'Tomás',
  'Ulrike',
  'Wojciech',
];
const LAST = [
  'Martin',
  'Bernard',
  'Dubois',
  'Müller',
  'Schmidt',
  'García',
  'Fernández',
  'Kowalski',
  'Nowak',
  'Rossi',
  'Russo',
  'Smith',
  'Jones',
  'Brown',
  'Ivanov',
  'Петров',
  'Смирнова',
  'Wang',
  '王',
  '佐藤',
  'Kim',
  '김',
  'Nguyễn',
  'Trần',
  'Øvergård',
  'Åström',
  'Lindqvist',
  'O’Brien',
  'Ó Súilleabháin',
  'Papadopoulos',
  'Yılmaz',
  'Şahin',
  'Çelik',
  'Novák',
  'Dvořák',
  'Horváth',
  'Nagy',
  'Silva',
  'Santos',
  'Pereira',
];
const EMOJI = ['', '', '', '', '', '', '', '', ' 🎸', ' ☕', ' 🌍', ' 🚲'];
const DOMAINS = [
  'example.net',
  'example.com',
  'jabber.example.org',
  'xmpp.example.de',
  'chat.example.fr',
  'im.example.jp',
];
/** ~50 group names, some non-ASCII. */
export const GROUPS: readonly string[] = [
  'Friends',
  'Family',
  'Work',
  'Colleagues',
  'Football',
  'Book club',
  'Neighbours',
  'School',
  'University',
  'Choir',
  'Climbing',
  'Chess',
  'Open source',
  'XMPP devs',
  'Clients',
  'Suppliers',
  'Old job',
  'Travel 2019',
  'Travel 2023',
  'Conference',
  'Famille',
  'Travail',
  'Collègues',
  'Amis',
  'Freunde',
  'Arbeit',
  'Verein',
  'Amigos',
  'Trabajo',
  'Друзья',
  'Работа',
  '家族',
  '友達',
  '同事',
  '친구',
  'Ομάδα',
  'Board games',
  'Running',
  'Cycling',
  'Photography',
  'Music',
  'Band',
  'Parents',
  'Kids school',
  'Doctors',
  'Landlord',
  'Gym',
  'Volunteers',
  'Hackerspace',
  'Misc',
];

const asciiSlug = (s: string): string =>
  s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');

/**
 * N realistic contacts, already in the client's normalised form (bare JIDs
 * lower case and NFC, groups sorted and unique), so that what the client
 * caches can be compared with what was provisioned.
 */
export function generateRoster(n: number, seed = 0x5eed): RosterItem[] {
  const rnd = seededRandom(seed ^ n);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  const items: RosterItem[] = [];
  for (let i = 0; i < n; i++) {
    const first = pick(FIRST);
    const last = pick(LAST);
    // Mostly ASCII localparts; about 1 in 10 keeps its non-ASCII letters (already NFC, lower
    // case). Not for right-to-left or Greek names: Prosody's nodeprep would refuse the former
    // (bidi rule) and case-fold the latter differently (final sigma), so pushes would not match.
    const unicodeOk = !/[\u0370-\u03ff\u0590-\u08ff\u1f00-\u1fff]/.test(first + last);
    let local =
      unicodeOk && rnd() < 0.1
        ? `${first}.${last}`
            .toLowerCase()
            .normalize('NFC')
            .replace(/[\s'’"&/:<>@]/g, '')
        : `${asciiSlug(first) || 'user'}.${asciiSlug(last) || 'contact'}`;
    local = `${local}${i}`;
    const jid = `${local}@${pick(DOMAINS)}`;
    const r = rnd();
    // Mixed subscriptions, as real rosters have them: mostly both.
    const subscription: Subscription = r < 0.6 ? 'both' : r < 0.75 ? 'to' : r < 0.85 ? 'from' : 'none';
    const ask = (subscription === 'none' || subscription === 'from') && rnd() < 0.3 ? 'subscribe' : null;
    const nameRoll = rnd();
    const name = nameRoll < 0.05 ? null : nameRoll < 0.15 ? first : `${first} ${last}${pick(EMOJI)}`;
    const groupCount = Math.floor(rnd() * 4); // 0..3
    const groups = new Set<string>();
    for (let g = 0; g < groupCount; g++) groups.add(pick(GROUPS));
    items.push({ jid, name, subscription, ask, approved: false, groups: [...groups].sort() });
  }
  return items;
}

/** A Lua string literal as Prosody's serializer writes it (non-ASCII bytes as \ddd). */
export function luaString(s: string): string {
  let out = '"';
  for (const byte of Buffer.from(s, 'utf8')) {
    if (byte === 0x22) out += '\\"';
    else if (byte === 0x5c) out += '\\\\';
    else if (byte === 0x0a) out += '\\n';
    else if (byte < 0x20 || byte >= 0x7f)
      out += `\\${String(byte).padStart(3, '0')}`; // always 3 digits: a digit may follow
    else out += String.fromCharCode(byte);
  }
  return `${out}"`;
}

/** Prosody's datamanager encoding of a path component: every non-alphanumeric byte as %xx. */
export function prosodyEncode(s: string): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9]/.test(c) ? c : `%${byte.toString(16).padStart(2, '0')}`;
  }
  return out;
}

/** The roster file's text: the [false] metadata entry first, then one entry per contact. */
export function prosodyRosterLua(items: readonly RosterItem[], version: number): string {
  const parts: string[] = [
    'return {\n\t[false] = {\n\t\t["pending"] = {};\n\t\t["version"] = ',
    String(version),
    ';\n\t};\n',
  ];
  for (const item of items) {
    parts.push('\t[', luaString(item.jid), '] = {\n');
    if (item.name !== null) parts.push('\t\t["name"] = ', luaString(item.name), ';\n');
    parts.push('\t\t["groups"] = {');
    if (item.groups.length > 0) {
      parts.push('\n');
      for (const g of item.groups) parts.push('\t\t\t[', luaString(g), '] = true;\n');
      parts.push('\t\t');
    }
    parts.push('};\n');
    parts.push('\t\t["subscription"] = ', luaString(item.subscription), ';\n');
    if (item.ask) parts.push('\t\t["ask"] = ', luaString(item.ask), ';\n');
    parts.push('\t};\n');
  }
  parts.push('};\n');
  return parts.join('');
}

/**
 * The data_path of a running test Prosody. TestServer does not expose it, so
 * it is found through the config file that test/support/xmpp-servers.ts
 * writes into its own mkdtemp directory: the one whose c2s port is ours.
 */
export function prosodyDataPath(port: number): string {
  const found: string[] = [];
  for (const entry of readdirSync(tmpdir())) {
    if (!entry.startsWith('balcony-prosody-')) continue;
    let config: string;
    try {
      config = readFileSync(join(tmpdir(), entry, 'prosody.cfg.lua'), 'utf8');
    } catch {
      continue;
    }
    if (!config.includes(`c2s_ports = { ${port} }`)) continue;
    const m = /^data_path = "((?:[^"\\]|\\.)*)"$/m.exec(config);
    if (m?.[1]) found.push(m[1].replace(/\\(.)/g, '$1'));
  }
  if (found.length !== 1) throw new Error(`expected one Prosody data dir for port ${port}, found ${found.length}`);
  return found[0]!;
}

/**
 * Writes `user@host`'s roster into Prosody's storage (atomically: temp file
 * then rename) and gives it to the prosody user when we are root. Prosody
 * reads the file when the account's first session binds, so writing before
 * the first login (or restarting the server) is enough.
 */
export function writeProsodyRoster(
  dataPath: string,
  host: string,
  user: string,
  items: readonly RosterItem[],
  version: number,
): string {
  const dir = join(dataPath, prosodyEncode(host), 'roster');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${prosodyEncode(user)}.dat`);
  const tmp = `${file}.bench-tmp`;
  writeFileSync(tmp, prosodyRosterLua(items, version));
  renameSync(tmp, file);
  if (typeof process.getuid === 'function' && process.getuid() === 0) {
    // chown by name: the data dir is already the prosody user's (see xmpp-servers.ts).
    execFileSync('chown', ['-R', 'prosody:prosody', join(dataPath, prosodyEncode(host))]);
  }
  return file;
}
