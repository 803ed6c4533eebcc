/** Random rosters for the list's order tests: non-ASCII names and addresses, collator ties, several groups and none. */
import type { RosterItem } from '../../preload/contract.js';

export const NAMES = [
  'Émile',
  'emile',
  'Zoë',
  'zoe',
  'Ångström',
  'Øyvind',
  'Straße',
  'STRASSE',
  '李雷',
  '😀 Smile',
  'Ann 10',
  'Ann 9',
  'ann 9',
  '  ',
  'Bob',
];
export const GROUPS = ['Friends', 'friends', 'Family', 'Équipe', 'Zebra', '同事', 'Work 10', 'Work 9'];

export function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function randomRoster(seed: number, size: number): RosterItem[] {
  const r = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
  const items = new Map<string, RosterItem>();
  while (items.size < size) {
    const local = `${pick(['a', 'b', 'é', 'z', '𝒳', 'ü', 'ann', 'bob'])}${Math.floor(r() * 1000)}`;
    const jid = `${local}@${pick(['example.com', 'exämple.org', 'b.net'])}`;
    const groups =
      r() < 0.25 ? [] : [...new Set(Array.from({ length: 1 + Math.floor(r() * 3) }, () => pick(GROUPS)))].sort();
    items.set(jid, {
      jid,
      name: r() < 0.2 ? null : pick(NAMES),
      subscription: pick(['none', 'to', 'from', 'both'] as const),
      ask: null,
      approved: false,
      groups,
    });
  }
  return [...items.values()];
}
