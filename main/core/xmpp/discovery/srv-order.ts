/**
 * The order in which SRV targets are tried: by priority (lowest first), then
 * by RFC 2782's weighted random selection within each priority; at equal
 * priority Direct TLS (`_xmpps-client`) before STARTTLS (`_xmpp-client`), as
 * XEP-0368 advises.
 */
import type { Endpoint } from './endpoint.js';

export interface SrvAnswer {
  priority: number;
  weight: number;
  port: number;
  /** The target host name, without the trailing dot. */
  name: string;
}

/** Orders the records of both services; `random` returns [0, 1) (injectable for tests). */
export function orderSrv(direct: SrvAnswer[], starttls: SrvAnswer[], random: () => number): Endpoint[] {
  const tagged = [
    ...direct.map((record) => ({ record, tls: 'direct' as const })),
    ...starttls.map((record) => ({ record, tls: 'starttls' as const })),
  ];
  const groups = new Map<string, SrvAnswer[]>();
  for (const { record, tls } of tagged) {
    const key = `${record.priority}/${tls === 'direct' ? 0 : 1}`;
    groups.set(key, [...(groups.get(key) ?? []), record]);
  }
  const sorted = [...groups.entries()].sort(([a], [b]) => {
    const [pa, ta] = a.split('/').map(Number) as [number, number];
    const [pb, tb] = b.split('/').map(Number) as [number, number];
    return pa - pb || ta - tb;
  });
  const ordered: Endpoint[] = [];
  for (const [key, records] of sorted) {
    const tls = key.endsWith('/0') ? 'direct' : 'starttls';
    for (const record of weightedOrder(records, random)) {
      ordered.push({ host: record.name, port: record.port, tls });
    }
  }
  return ordered;
}

/**
 * RFC 2782 within one priority: zero-weight records first in the running
 * list, then repeatedly pick a number from 0 to the sum of the remaining
 * weights and take the first record whose running sum reaches it.
 */
export function weightedOrder<T extends { weight: number }>(records: T[], random: () => number): T[] {
  const remaining = [...records.filter((r) => r.weight === 0), ...records.filter((r) => r.weight !== 0)];
  const ordered: T[] = [];
  while (remaining.length > 0) {
    const total = remaining.reduce((sum, r) => sum + r.weight, 0);
    const pick = Math.min(Math.floor(random() * (total + 1)), total);
    let running = 0;
    let index = remaining.findIndex((r) => (running += r.weight) >= pick);
    if (index < 0) index = 0;
    ordered.push(...remaining.splice(index, 1));
  }
  return ordered;
}
