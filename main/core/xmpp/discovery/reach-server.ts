/**
 * Reaches the account's server: the endpoint the user gave (no DNS), or the
 * one that worked last time and then a fresh SRV lookup; each endpoint's
 * IPv6 and IPv4 addresses in turn, each with its own timeout, every attempt
 * recorded for the connection report. Returns the first open socket (for
 * Direct TLS, already secured and checked against the JID's domain).
 */
import type net from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { ConnectAttempt, TlsDetails } from '../../../../preload/contract.js';
import { BalconyError } from '../../errors.js';
import { tlsDetails } from '../tls-details.js';
import type { DnsLookups } from './dns-lookups.js';
import { describeEndpoint, sameEndpoint, type Endpoint } from './endpoint.js';
import { findEndpoints } from './find-endpoints.js';
import { openSocket } from './open-socket.js';

/** Addresses tried in one sign-in at most, whatever DNS says. */
const MAX_ATTEMPTS = 16;
const NO_ADDRESS = 'no address found for';

export interface ReachOptions {
  /** The JID's domain in A-labels. */
  domain: string;
  /** Set by the user (host, port, Direct TLS): used as given, DNS SRV skipped. */
  given?: Endpoint;
  /** The endpoint that worked last time: tried first, then a fresh lookup. */
  remembered?: Endpoint;
  dns: DnsLookups;
  random: () => number;
  ca?: string;
  /** Per address. */
  timeoutMs: number;
  record: { attempt(attempt: ConnectAttempt): void; tls(details: TlsDetails): void };
  /** Told before each address is tried (the connection state names the host). */
  onTry?: (endpoint: Endpoint, address: string) => void;
}

interface Failure {
  error: BalconyError;
  /** The endpoint (and address) it happened at, for the summary. */
  where: string;
}

export interface ReachedServer {
  socket: net.Socket | TLSSocket;
  endpoint: Endpoint;
  address: string;
}

export async function reachServer(options: ReachOptions): Promise<ReachedServer> {
  const failures: Failure[] = [];
  const attempts = { left: MAX_ATTEMPTS };
  if (options.given) {
    return (await tryEndpoints([options.given], options, failures, attempts)) ?? fail(options, failures);
  }
  if (options.remembered) {
    const reached = await tryEndpoints([options.remembered], options, failures, attempts);
    if (reached) return reached;
  }
  const found = await findEndpoints(options.domain, options.dns, options.random);
  const fresh = found.filter((e) => !options.remembered || !sameEndpoint(e, options.remembered));
  return (await tryEndpoints(fresh, options, failures, attempts)) ?? fail(options, failures);
}

async function tryEndpoints(
  endpoints: Endpoint[],
  options: ReachOptions,
  failures: Failure[],
  attempts: { left: number },
): Promise<ReachedServer | null> {
  for (const endpoint of endpoints) {
    if (attempts.left <= 0) break;
    const addresses = await options.dns.addresses(endpoint.host);
    if (addresses.length === 0) {
      const error = new BalconyError('host-unreachable', `${NO_ADDRESS} ${endpoint.host}`);
      options.record.attempt({
        host: endpoint.host,
        port: endpoint.port,
        tls: endpoint.tls,
        ok: false,
        error: error.message,
      });
      failures.push({ error, where: describeEndpoint(endpoint) });
      continue;
    }
    for (const address of addresses) {
      if (attempts.left <= 0) break;
      attempts.left -= 1;
      options.onTry?.(endpoint, address);
      const attempt = {
        host: endpoint.host,
        port: endpoint.port,
        tls: endpoint.tls,
        ...(address !== endpoint.host && { address }),
      };
      try {
        const socket = await openSocket(address, endpoint, {
          domain: options.domain,
          ca: options.ca,
          timeoutMs: options.timeoutMs,
        });
        options.record.attempt({ ...attempt, ok: true, error: null });
        if (endpoint.tls === 'direct') {
          const details = tlsDetails(socket);
          if (details) options.record.tls(details);
        }
        return { socket, endpoint, address };
      } catch (error) {
        const failure = error instanceof BalconyError ? error : new BalconyError('internal', String(error));
        options.record.attempt({ ...attempt, ok: false, error: failure.message });
        failures.push({
          error: failure,
          where: `${describeEndpoint(endpoint)}${attempt.address ? ` at ${attempt.address}` : ''}`,
        });
      }
    }
  }
  return null;
}

/**
 * The error of a sign-in that reached no server: a certificate or TLS
 * failure says most (a server was there, but not provably ours); otherwise
 * every endpoint tried, in a sentence.
 */
function fail(options: ReachOptions, failures: Failure[]): never {
  const tlsFailure = failures.find((f) => f.error.code === 'tls-failed');
  if (tlsFailure) throw tlsFailure.error;
  const noAddress = failures.filter((f) => f.error.message.startsWith(NO_ADDRESS));
  if (failures.length > 0 && noAddress.length === failures.length) {
    throw new BalconyError(
      'host-unreachable',
      `No server found for ${options.domain}: DNS knows no address for ${[...new Set(noAddress.map((f) => f.where))].join(', ')}.`,
    );
  }
  const code =
    failures.length > 0 && failures.every((f) => f.error.code === 'timeout') ? 'timeout' : 'host-unreachable';
  const tried = failures
    .slice(0, 4)
    .map((f) => `${f.where}: ${f.error.message}`)
    .join('; ');
  const where = options.given ? describeEndpoint(options.given) : `a server for ${options.domain}`;
  throw new BalconyError(
    code,
    `Balcony could not reach ${where}${tried ? ` (${tried}${failures.length > 4 ? '; …' : ''})` : ''}.`,
  );
}
