/**
 * The DNS questions sign-in asks (SRV, AAAA, A), each recorded for the
 * connection report. The resolver is injectable: `node:dns` promises'
 * Resolver, pointed at the servers given (`--dns`, tests) or at the system's.
 */
import { isIP } from 'node:net';
import { lookup, Resolver } from 'node:dns/promises';
import type { DnsLookup } from '../../../../preload/contract.js';
import type { SrvAnswer } from './srv-order.js';

export type DnsResolver = Pick<Resolver, 'resolveSrv' | 'resolve4' | 'resolve6'>;

export interface DnsOptions {
  /** DNS servers to ask instead of the system's, `ip` or `ip:port` (`[v6]:port`). */
  servers?: string[];
  /** A resolver to use as given (tests); wins over `servers`. */
  resolver?: DnsResolver;
  /** Per query; each query is tried twice. */
  timeoutMs?: number;
}

/** More records than any real domain publishes: a hostile answer cannot make us try thousands. */
const MAX_SRV_RECORDS = 16;
const MAX_ADDRESSES_PER_FAMILY = 4;
/** What "no such name" and "no such record" look like: no answers, not a failure. */
const EMPTY_ANSWER = new Set(['ENOTFOUND', 'ENODATA', 'NOTFOUND', 'NODATA']);

export class DnsLookups {
  readonly #resolver: DnsResolver;
  /** Addresses come from the system's own lookup (which reads /etc/hosts) unless DNS servers were chosen. */
  readonly #systemAddresses: boolean;
  readonly #record: (lookup: DnsLookup) => void;

  constructor(options: DnsOptions, record: (lookup: DnsLookup) => void) {
    this.#record = record;
    if (options.resolver) {
      this.#resolver = options.resolver;
      this.#systemAddresses = false;
      return;
    }
    const resolver = new Resolver({ timeout: options.timeoutMs ?? 2_500, tries: 2 });
    if (options.servers && options.servers.length > 0) resolver.setServers(options.servers);
    this.#resolver = resolver;
    this.#systemAddresses = !options.servers || options.servers.length === 0;
  }

  /** The SRV records of `name` (a target `.` comes back as the name '.'); none on NXDOMAIN or a failed lookup. */
  async srv(name: string): Promise<SrvAnswer[]> {
    try {
      const records = (await this.#resolver.resolveSrv(name))
        .slice(0, MAX_SRV_RECORDS)
        .map((r) => ({ priority: r.priority, weight: r.weight, port: r.port, name: r.name.replace(/\.$/, '') || '.' }));
      this.#record({
        name,
        type: 'SRV',
        answers: records.map((r) => `${r.priority} ${r.weight} ${r.port} ${r.name}`),
        error: null,
      });
      return records;
    } catch (error) {
      this.#record({ name, type: 'SRV', answers: [], error: lookupError(error) });
      return [];
    }
  }

  /** The host's IPv6 and IPv4 addresses, interleaved (IPv6 first); an IP address is its own answer. */
  async addresses(host: string): Promise<string[]> {
    if (isIP(host)) return [host];
    let v6: string[];
    let v4: string[];
    if (this.#systemAddresses) {
      [v6, v4] = await this.#systemLookup(host);
    } else {
      [v6, v4] = await Promise.all([this.#query(host, 'AAAA'), this.#query(host, 'A')]);
    }
    const addresses: string[] = [];
    for (let i = 0; i < MAX_ADDRESSES_PER_FAMILY; i += 1) {
      const six = v6[i];
      const four = v4[i];
      if (six) addresses.push(six);
      if (four) addresses.push(four);
    }
    return addresses;
  }

  async #query(host: string, type: 'A' | 'AAAA'): Promise<string[]> {
    try {
      const answers = type === 'A' ? await this.#resolver.resolve4(host) : await this.#resolver.resolve6(host);
      this.#record({ name: host, type, answers, error: null });
      return answers;
    } catch (error) {
      this.#record({ name: host, type, answers: [], error: lookupError(error) });
      return [];
    }
  }

  async #systemLookup(host: string): Promise<[string[], string[]]> {
    try {
      const found = await lookup(host, { all: true });
      const v6 = found.filter((a) => a.family === 6).map((a) => a.address);
      const v4 = found.filter((a) => a.family === 4).map((a) => a.address);
      this.#record({ name: host, type: 'AAAA', answers: v6, error: null });
      this.#record({ name: host, type: 'A', answers: v4, error: null });
      return [v6, v4];
    } catch (error) {
      const why = lookupError(error);
      this.#record({ name: host, type: 'AAAA', answers: [], error: why });
      this.#record({ name: host, type: 'A', answers: [], error: why });
      return [[], []];
    }
  }
}

function lookupError(error: unknown): string | null {
  const code = (error as { code?: string } | null)?.code;
  if (code && EMPTY_ANSWER.has(code)) return null;
  if (code === 'ETIMEOUT') return 'the DNS server did not answer in time';
  if (code === 'ECONNREFUSED') return 'the DNS server refused the question';
  if (code === 'ESERVFAIL') return 'the DNS server failed to answer (SERVFAIL)';
  return `${code ?? 'error'}: ${(error as { message?: string } | null)?.message ?? String(error)}`.slice(0, 200);
}
