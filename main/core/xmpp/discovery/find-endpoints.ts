/**
 * Finding the server of a domain (RFC 6120 3.2, XEP-0368): the SRV records
 * of `_xmpps-client._tcp` (Direct TLS) and `_xmpp-client._tcp` (STARTTLS),
 * asked together and ordered; a lone target `.` means no service; no
 * records, the domain itself on 5222.
 */
import { isIP } from 'node:net';
import { BalconyError } from '../../errors.js';
import type { DnsLookups } from './dns-lookups.js';
import type { Endpoint } from './endpoint.js';
import { orderSrv, type SrvAnswer } from './srv-order.js';

export const DEFAULT_STARTTLS_PORT = 5222;
/** Where Direct TLS listens when the user asks for it without a port (the traditional port). */
export const DEFAULT_DIRECT_TLS_PORT = 5223;

/** The endpoints of `domain` (A-labels), in the order to try them. */
export async function findEndpoints(domain: string, dns: DnsLookups, random: () => number): Promise<Endpoint[]> {
  const fallback: Endpoint[] = [{ host: domain, port: DEFAULT_STARTTLS_PORT, tls: 'starttls' }];
  // No SRV for an address literal, nor for localhost (RFC 6761: it is always this machine).
  if (isIP(domain) || /(^|\.)localhost$/i.test(domain)) return fallback;
  const [direct, starttls] = await Promise.all([
    dns.srv(`_xmpps-client._tcp.${domain}`),
    dns.srv(`_xmpp-client._tcp.${domain}`),
  ]);
  const usable = (records: SrvAnswer[]): SrvAnswer[] =>
    saysNoService(records) ? [] : records.filter((r) => r.name !== '.');
  const directUsable = usable(direct);
  const starttlsUsable = usable(starttls);
  // `.` for _xmpp-client is "no XMPP here" (RFC 6120 3.2.1): no fallback, unless Direct TLS is published.
  if (saysNoService(starttls) && directUsable.length === 0) {
    throw new BalconyError(
      'no-xmpp-service',
      `${domain} offers no XMPP service: its DNS says so (the SRV target is ".").`,
    );
  }
  if (directUsable.length === 0 && starttlsUsable.length === 0) return fallback;
  return orderSrv(directUsable, starttlsUsable, random);
}

function saysNoService(records: SrvAnswer[]): boolean {
  return records.length === 1 && records[0]?.name === '.';
}
