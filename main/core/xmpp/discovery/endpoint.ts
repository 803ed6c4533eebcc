/** Where an XMPP server may be reached, as DNS (or the user) names it. */
export interface Endpoint {
  /** A host name (an SRV target, the domain, or the user's host) or an IP address. */
  host: string;
  port: number;
  /** 'direct': TLS from the first byte (XEP-0368); 'starttls': TLS negotiated in the stream (RFC 6120 5). */
  tls: 'direct' | 'starttls';
}

/** The endpoint that worked last time, per account, tried first at the next sign-in. */
export interface EndpointMemory {
  recall(account: string): Endpoint | undefined;
  remember(account: string, endpoint: Endpoint): void;
  forget(account: string): void;
}

export function sameEndpoint(a: Endpoint, b: Endpoint): boolean {
  return a.host.toLowerCase() === b.host.toLowerCase() && a.port === b.port && a.tls === b.tls;
}

/** Whether a value read back from storage is an endpoint (a damaged setting reads as none). */
export function isEndpoint(value: unknown): value is Endpoint {
  const v = value as Partial<Endpoint> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.host === 'string' &&
    v.host.length > 0 &&
    v.host.length <= 255 &&
    typeof v.port === 'number' &&
    Number.isInteger(v.port) &&
    v.port >= 1 &&
    v.port <= 65535 &&
    (v.tls === 'direct' || v.tls === 'starttls')
  );
}

export function describeEndpoint(endpoint: Endpoint): string {
  const host = endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host;
  return `${host}:${endpoint.port}${endpoint.tls === 'direct' ? ' (Direct TLS)' : ''}`;
}
