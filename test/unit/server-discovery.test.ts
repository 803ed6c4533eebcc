/**
 * Issue 9 #1, the pure parts of finding the server: SRV ordering (priority,
 * RFC 2782 weights with a seeded random, Direct TLS first at equal
 * priority), the candidate list from SRV answers (a "." target, no records,
 * localhost), the endpoint memory in the profile, and --dns parsing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import type { SrvRecord } from 'node:dns';
import type { DnsLookup } from '../../preload/contract.js';
import { parseCli, parseDnsServer } from '../../main/cli/cli-args.js';
import { DnsLookups, type DnsResolver } from '../../main/core/xmpp/discovery/dns-lookups.js';
import { findEndpoints } from '../../main/core/xmpp/discovery/find-endpoints.js';
import { orderSrv, weightedOrder, type SrvAnswer } from '../../main/core/xmpp/discovery/srv-order.js';
import { AppSettingsStore } from '../../main/core/store/app-settings-store.js';
import { EndpointMemoryStore } from '../../main/core/store/endpoint-memory-store.js';
import { seededRandom } from '../support/seeded-random.js';

const srv = (priority: number, weight: number, name: string, port = 5222): SrvAnswer => ({
  priority,
  weight,
  port,
  name,
});

test('issue 9 #1: SRV order: lower priority first; at equal priority Direct TLS before STARTTLS', () => {
  const ordered = orderSrv(
    [srv(10, 0, 'direct-b', 5223), srv(5, 0, 'direct-a', 5223)],
    [srv(5, 0, 'starttls-a'), srv(1, 0, 'starttls-first'), srv(10, 0, 'starttls-b')],
    () => 0,
  );
  assert.deepEqual(
    ordered.map((e) => `${e.host}/${e.tls}`),
    ['starttls-first/starttls', 'direct-a/direct', 'starttls-a/starttls', 'direct-b/direct', 'starttls-b/starttls'],
  );
});

test('issue 9 #1: RFC 2782 weights: with a seeded random, a weight-60 target comes first about 60% of the time; weight 0 only rarely', () => {
  const random = seededRandom(0x9a11);
  const firsts = new Map<string, number>();
  const runs = 10_000;
  for (let i = 0; i < runs; i += 1) {
    const [first] = weightedOrder(
      [srv(1, 0, 'zero'), srv(1, 60, 'sixty'), srv(1, 30, 'thirty'), srv(1, 10, 'ten')],
      random,
    );
    firsts.set(first!.name, (firsts.get(first!.name) ?? 0) + 1);
  }
  const share = (name: string): number => (firsts.get(name) ?? 0) / runs;
  assert.ok(Math.abs(share('sixty') - 0.6) < 0.03, `sixty: ${share('sixty')}`);
  assert.ok(Math.abs(share('thirty') - 0.3) < 0.03, `thirty: ${share('thirty')}`);
  assert.ok(Math.abs(share('ten') - 0.1) < 0.02, `ten: ${share('ten')}`);
  assert.ok(share('zero') < 0.01, `zero: ${share('zero')}`); // chosen only when the pick is exactly 0
  // Every record appears once, whatever the random numbers.
  const all = weightedOrder([srv(1, 0, 'a'), srv(1, 5, 'b'), srv(1, 5, 'c')], seededRandom(7))
    .map((r) => r.name)
    .sort();
  assert.deepEqual(all, ['a', 'b', 'c']);
});

test('issue 9 #1: RFC 2782 selection is exact for given random numbers (running sums, zero weights first)', () => {
  // Running sums over [zero(0), a(10), b(20)]: 0, 10, 30. random 0 -> pick 0 -> zero; 0.5 -> pick 15 -> b.
  const picks = [0.5, 0, 0];
  const order = weightedOrder([srv(1, 10, 'a'), srv(1, 20, 'b'), srv(1, 0, 'zero')], () => picks.shift()!);
  assert.deepEqual(
    order.map((r) => r.name),
    ['b', 'zero', 'a'],
  );
});

/** The lookup log of a DnsLookups whose lookups the test does not check. */
const unrecorded = (): void => {
  // not kept
};

/** A resolver with fixed answers; names it does not know are NXDOMAIN. */
function fixedResolver(srvAnswers: Record<string, SrvRecord[]>): DnsResolver {
  const notFound = (): Promise<never> =>
    Promise.reject(Object.assign(new Error('queryX ENOTFOUND'), { code: 'ENOTFOUND' }));
  return {
    resolveSrv: async (name: string) => srvAnswers[name] ?? notFound(),
    resolve4: async () => notFound(),
    resolve6: async () => notFound(),
  };
}

test('issue 9 #1: the candidate list: both services asked, merged and ordered; nothing published: the domain on 5222', async () => {
  const lookups: DnsLookup[] = [];
  const dns = new DnsLookups(
    {
      resolver: fixedResolver({
        '_xmpps-client._tcp.example.org': [{ priority: 5, weight: 0, port: 443, name: 'tls.example.net' }],
        '_xmpp-client._tcp.example.org': [
          { priority: 5, weight: 0, port: 5222, name: 'xmpp.example.net' },
          { priority: 0, weight: 0, port: 5222, name: 'first.example.net' },
        ],
      }),
    },
    (l) => lookups.push(l),
  );
  assert.deepEqual(await findEndpoints('example.org', dns, Math.random), [
    { host: 'first.example.net', port: 5222, tls: 'starttls' },
    { host: 'tls.example.net', port: 443, tls: 'direct' },
    { host: 'xmpp.example.net', port: 5222, tls: 'starttls' },
  ]);
  assert.deepEqual(lookups.map((l) => l.name).sort(), [
    '_xmpp-client._tcp.example.org',
    '_xmpps-client._tcp.example.org',
  ]);
  const none = new DnsLookups({ resolver: fixedResolver({}) }, unrecorded);
  assert.deepEqual(await findEndpoints('example.org', none, Math.random), [
    { host: 'example.org', port: 5222, tls: 'starttls' },
  ]);
  // localhost and address literals are never looked up.
  const asked: DnsLookup[] = [];
  const local = new DnsLookups({ resolver: fixedResolver({}) }, (l) => asked.push(l));
  assert.deepEqual(await findEndpoints('localhost', local, Math.random), [
    { host: 'localhost', port: 5222, tls: 'starttls' },
  ]);
  assert.deepEqual(asked, []);
});

test('issue 9 #1: a "." target: no-xmpp-service; "." for Direct TLS only leaves STARTTLS', async () => {
  const dot = { priority: 0, weight: 0, port: 0, name: '' };
  const noService = new DnsLookups({ resolver: fixedResolver({ '_xmpp-client._tcp.example.org': [dot] }) }, unrecorded);
  await assert.rejects(findEndpoints('example.org', noService, Math.random), { code: 'no-xmpp-service' });
  const noDirect = new DnsLookups(
    {
      resolver: fixedResolver({
        '_xmpps-client._tcp.example.org': [dot],
        '_xmpp-client._tcp.example.org': [{ priority: 0, weight: 0, port: 5222, name: 'xmpp.example.org' }],
      }),
    },
    unrecorded,
  );
  assert.deepEqual(await findEndpoints('example.org', noDirect, Math.random), [
    { host: 'xmpp.example.org', port: 5222, tls: 'starttls' },
  ]);
  const directOnly = new DnsLookups(
    {
      resolver: fixedResolver({
        '_xmpps-client._tcp.example.org': [{ priority: 0, weight: 0, port: 5223, name: 'xmpp.example.org' }],
        '_xmpp-client._tcp.example.org': [dot],
      }),
    },
    unrecorded,
  );
  assert.deepEqual(await findEndpoints('example.org', directOnly, Math.random), [
    { host: 'xmpp.example.org', port: 5223, tls: 'direct' },
  ]);
});

test('issue 9 #1: endpoint memory: per account, survives reopening the store, a damaged value reads as none', () => {
  const db = new Database(':memory:');
  db.exec(
    'CREATE TABLE app_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL); CREATE TABLE saved_passwords (account TEXT PRIMARY KEY, protection TEXT, secret BLOB)',
  );
  const settings = new AppSettingsStore(db);
  const memory = new EndpointMemoryStore(settings);
  assert.equal(memory.recall('juliet@example.org'), undefined);
  memory.remember('juliet@example.org', { host: 'xmpp1.hosting.net', port: 5223, tls: 'direct' });
  memory.remember('romeo@example.net', { host: 'xmpp.example.net', port: 5222, tls: 'starttls' });
  assert.deepEqual(new EndpointMemoryStore(new AppSettingsStore(db)).recall('juliet@example.org'), {
    host: 'xmpp1.hosting.net',
    port: 5223,
    tls: 'direct',
  });
  settings.set('endpoint:juliet@example.org', { host: 'x', port: 99999, tls: 'direct' });
  assert.equal(memory.recall('juliet@example.org'), undefined);
  memory.forget('romeo@example.net');
  assert.equal(memory.recall('romeo@example.net'), undefined);
  db.close();
});

test('issue 9 #1: --dns takes ip[:port] (repeatable) and --direct-tls; anything else is a usage error', () => {
  assert.equal(parseDnsServer('127.0.0.1'), '127.0.0.1:53');
  assert.equal(parseDnsServer('127.0.0.1:5353'), '127.0.0.1:5353');
  assert.equal(parseDnsServer('[::1]:5353'), '[::1]:5353');
  assert.equal(parseDnsServer('::1'), '[::1]:53');
  for (const bad of ['dns.example.org', '127.0.0.1:0', '127.0.0.1:x', '[::1]:70000', '']) {
    assert.throws(() => parseDnsServer(bad), { code: 'invalid-argument' }, bad);
  }
  const options = parseCli([
    'sync',
    '--account',
    'juliet@example.org',
    '--dns',
    '127.0.0.1:5353',
    '--dns',
    '[::1]:53',
    '--direct-tls',
  ]);
  assert.deepEqual(options.dnsServers, ['127.0.0.1:5353', '[::1]:53']);
  assert.equal(options.directTls, true);
  assert.equal(parseCli(['sync', '--account', 'juliet@example.org']).directTls, false);
});
