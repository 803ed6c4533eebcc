/**
 * A small authoritative DNS responder on 127.0.0.1 (UDP, node:dgram) for
 * made-up domains: SRV, A and AAAA from a zone the test gives; a name not in
 * the zone is NXDOMAIN, a name without the type asked is an empty answer.
 * Nothing is forwarded: the machine's own resolver is never involved. Every
 * question is kept in `queries`, so a test can say what was (not) asked.
 */
import dgram from 'node:dgram';
import { isIPv4, isIPv6 } from 'node:net';

export interface SrvRecord {
  priority: number;
  weight: number;
  port: number;
  /** Host name, or '.' for "no service here". */
  target: string;
}

export interface ZoneEntry {
  SRV?: SrvRecord[];
  A?: string[];
  AAAA?: string[];
}

/** Names (A-labels, no trailing dot) to their records. */
export type Zone = Record<string, ZoneEntry>;

const TYPES: Record<number, keyof ZoneEntry> = { 1: 'A', 28: 'AAAA', 33: 'SRV' };
const MAX_QUERIES_KEPT = 1_000;

export class TestDnsServer {
  /** For Resolver.setServers / `--dns`: `127.0.0.1:<port>`. */
  readonly address: string;
  readonly queries: { name: string; type: string }[] = [];
  #zone: Zone;
  readonly #socket: dgram.Socket;

  static async start(zone: Zone): Promise<TestDnsServer> {
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, '127.0.0.1', () => {
        socket.off('error', reject);
        resolve();
      });
    });
    return new TestDnsServer(socket, zone);
  }

  private constructor(socket: dgram.Socket, zone: Zone) {
    this.#socket = socket;
    this.#zone = normalise(zone);
    this.address = `127.0.0.1:${socket.address().port}`;
    socket.on('error', () => undefined);
    socket.on('message', (message, peer) => {
      const answer = this.#answer(message);
      if (answer) socket.send(answer, peer.port, peer.address);
    });
  }

  /** Replaces the zone (the records "change" between two sign-ins). */
  setZone(zone: Zone): void {
    this.#zone = normalise(zone);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.#socket.close(() => resolve()));
  }

  #answer(query: Buffer): Buffer | null {
    const question = parseQuestion(query);
    if (!question) return null; // not a question we understand: no answer, as a bounded server may
    const { id, flags, name, type, end } = question;
    const typeName = TYPES[type] ?? `TYPE${type}`;
    if (this.queries.length < MAX_QUERIES_KEPT) this.queries.push({ name, type: typeName });
    const entry = this.#zone[name];
    const records = entry && TYPES[type] ? (entry[TYPES[type]] ?? []) : [];
    const rdatas = records.map((record) => encodeRdata(TYPES[type]!, record as never));
    const header = Buffer.alloc(12);
    header.writeUInt16BE(id, 0);
    // QR, opcode copied, AA, RD copied, RA; NXDOMAIN (3) for a name not in the zone.
    header.writeUInt16BE(0x8000 | (flags & 0x7800) | 0x0400 | (flags & 0x0100) | 0x0080 | (entry ? 0 : 3), 2);
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(rdatas.length, 6);
    const answers = rdatas.map((rdata) => {
      const fixed = Buffer.alloc(12);
      fixed.writeUInt16BE(0xc00c, 0); // the name: a pointer to the question's
      fixed.writeUInt16BE(type, 2);
      fixed.writeUInt16BE(1, 4); // IN
      fixed.writeUInt32BE(60, 6);
      fixed.writeUInt16BE(rdata.length, 10);
      return Buffer.concat([fixed, rdata]);
    });
    return Buffer.concat([header, query.subarray(12, end), ...answers]);
  }
}

function normalise(zone: Zone): Zone {
  return Object.fromEntries(
    Object.entries(zone).map(([name, entry]) => [name.toLowerCase().replace(/\.$/, ''), entry]),
  );
}

function parseQuestion(query: Buffer): { id: number; flags: number; name: string; type: number; end: number } | null {
  if (query.length < 17 || query.length > 4096) return null;
  if (query.readUInt16BE(4) !== 1) return null;
  const labels: string[] = [];
  let offset = 12;
  for (let i = 0; i < 128; i += 1) {
    const length = query[offset];
    if (length === undefined || length > 63) return null;
    offset += 1;
    if (length === 0) break;
    if (offset + length > query.length) return null;
    labels.push(
      query
        .subarray(offset, offset + length)
        .toString('latin1')
        .toLowerCase(),
    );
    offset += length;
  }
  if (offset + 4 > query.length) return null;
  return {
    id: query.readUInt16BE(0),
    flags: query.readUInt16BE(2),
    name: labels.join('.'),
    type: query.readUInt16BE(offset),
    end: offset + 4,
  };
}

function encodeName(name: string): Buffer {
  if (name === '.' || name === '') return Buffer.from([0]);
  const parts = name
    .replace(/\.$/, '')
    .split('.')
    .map((label) => {
      const bytes = Buffer.from(label, 'latin1');
      return Buffer.concat([Buffer.from([bytes.length]), bytes]);
    });
  return Buffer.concat([...parts, Buffer.from([0])]);
}

function encodeRdata(type: keyof ZoneEntry, record: SrvRecord | string): Buffer {
  if (type === 'A') {
    if (!isIPv4(record as string))
      throw new Error(`not an IPv4 address: ${typeof record === 'string' ? record : JSON.stringify(record)}`);
    return Buffer.from((record as string).split('.').map(Number));
  }
  if (type === 'AAAA') return ipv6Bytes(record as string);
  const srv = record as SrvRecord;
  const fixed = Buffer.alloc(6);
  fixed.writeUInt16BE(srv.priority, 0);
  fixed.writeUInt16BE(srv.weight, 2);
  fixed.writeUInt16BE(srv.port, 4);
  return Buffer.concat([fixed, encodeName(srv.target)]);
}

function ipv6Bytes(address: string): Buffer {
  if (!isIPv6(address)) throw new Error(`not an IPv6 address: ${address}`);
  const [head, tail] = address.split('::') as [string, string | undefined];
  const groups = (part: string | undefined): string[] => (part ? part.split(':') : []);
  const left = groups(head);
  const right = groups(tail);
  const all =
    tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  const bytes = Buffer.alloc(16);
  all.forEach((group, i) => bytes.writeUInt16BE(parseInt(group, 16), i * 2));
  return bytes;
}
