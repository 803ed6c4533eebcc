/**
 * One exchange between our core (in a child process, behind a FaultProxy)
 * and a peer (XmppPeer, straight to the server), for the message fault
 * tests (issue 10): fresh accounts, a fresh profile, the model of what each
 * side sent (message-checks.ts), and the end-of-test checks.
 */
import { rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { TestServer } from './xmpp-servers.js';
import { FaultProxy } from './fault-proxy.js';
import { XmppPeer, type ArchivedMessage } from './xmpp-peer.js';
import { MessagesChild } from './messages-child-process.js';
import type { SendReply, SnapshotReply } from './messages-child.js';
import { tempDir } from './roster-fixtures.js';
import { checkOurSide, checkPeerSide, newModel, type ExchangeModel, type PeerFigures } from './message-checks.js';

export const PASSWORD = 'secret';
let accounts = 0;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class MessageScenario {
  readonly model: ExchangeModel;
  child: MessagesChild;
  /** SIGKILLs so far. */
  kills = 0;

  private constructor(
    readonly server: TestServer,
    readonly proxy: FaultProxy,
    readonly peer: XmppPeer,
    readonly ourUser: string,
    readonly profileDir: string,
    child: MessagesChild,
    /** Every child's stderr (the core's log), in order. */
    readonly log: string[],
  ) {
    this.model = newModel(`${ourUser}@localhost`, peer.jid);
    this.child = child;
  }

  static async start(server: TestServer, label: string): Promise<MessageScenario> {
    accounts += 1;
    const ourUser = `${label}${accounts}`;
    const peerUser = `${label}${accounts}peer`;
    await server.register(ourUser, PASSWORD);
    await server.register(peerUser, PASSWORD);
    const proxy = await FaultProxy.start(server.port);
    const peer = await XmppPeer.start({ port: server.port, caFile: server.caFile, user: peerUser, password: PASSWORD });
    const profileDir = tempDir('balcony-messages-faults-');
    const log: string[] = [];
    let child: MessagesChild;
    try {
      child = await MessagesChild.start(
        profileDir,
        `${ourUser}@localhost`,
        PASSWORD,
        { port: proxy.port, caFile: server.caFile },
        log,
      );
    } catch (error) {
      await peer.close();
      await proxy.stop();
      rmSync(profileDir, { recursive: true, force: true });
      throw error;
    }
    return new MessageScenario(server, proxy, peer, ourUser, profileDir, child, log);
  }

  get ourJid(): string {
    return this.model.ourJid;
  }

  /** Sends through our core; every body it confirms goes into the model. */
  async ourSend(bodies: string[], spacingMs = 0): Promise<string[]> {
    const reply = await this.child.send<SendReply | { ok: false; code: string; message: string }>({
      cmd: 'send',
      to: this.peer.jid,
      bodies,
      spacingMs,
    });
    if (!reply.ok) throw new Error(`send failed: ${reply.code}: ${reply.message}`);
    reply.ids.forEach((id, i) => this.model.ours.set(id, bodies[i]!));
    return reply.ids;
  }

  /**
   * Starts a send and does not wait for it (a kill may land in the middle):
   * `settleUncertain()` after the kill folds what was confirmed into the model.
   */
  ourSendUnwaited(bodies: string[], spacingMs = 0): { bodies: string[]; reply: Promise<unknown> } {
    const reply = this.child
      .send({ cmd: 'send', to: this.peer.jid, bodies, spacingMs })
      .catch((error: unknown) => error);
    return { bodies, reply };
  }

  /** After the child died: every body it told as queued is ours, the rest of `bodies` uncertain. */
  foldKilledSend(bodies: readonly string[]): { confirmed: number; uncertain: number } {
    const queued = this.child.queued();
    const confirmedBodies = new Set(queued.values());
    for (const [id, body] of queued) if (bodies.includes(body)) this.model.ours.set(id, body);
    let uncertain = 0;
    for (const body of bodies) {
      if (!confirmedBodies.has(body)) {
        this.model.uncertain.add(body);
        uncertain += 1;
      }
    }
    return { confirmed: bodies.length - uncertain, uncertain };
  }

  /** The peer sends, until the server has them all (sent again after a drop, same ids). */
  async theirSend(bodies: string[]): Promise<number> {
    const items = bodies.map((body) => ({ id: randomUUID(), body }));
    const resends = await this.peer.sendConfirmed(this.ourJid, items);
    for (const item of items) this.model.theirs.set(item.id, item.body);
    return resends;
  }

  /** Signs our core in; with `available`, returns once it is online and its initial presence went out. */
  async online(options: { available?: boolean } = {}): Promise<void> {
    const reply = await this.child.send<{ ok: boolean; message?: string }>({ cmd: 'online', ...options });
    if (!reply.ok) throw new Error(`online failed: ${reply.message}`);
  }

  /** Waits until our core is online, its outbox empty and everything the peer sent is stored. */
  async settle(timeoutMs = 20_000, options: { catchUp?: boolean } = {}): Promise<SnapshotReply> {
    const snap = await this.child.send<SnapshotReply>(
      { cmd: 'settle', jid: this.peer.jid, incoming: this.model.theirs.size, timeoutMs, ...options },
      timeoutMs + 10_000,
    );
    if (!snap.ok) {
      throw new Error(
        `our core did not settle within ${timeoutMs} ms: ${snap.status}, ` +
          `${snap.history.filter((e) => e.kind === 'message' && e.direction === 'in').length} of ` +
          `${this.model.theirs.size} incoming stored, outbox ${JSON.stringify(snap.outbox.map((m) => [m.body, m.state]))}, ` +
          `${this.peer.errors.length} error(s) bounced to the peer`,
      );
    }
    return snap;
  }

  /** Waits for the child's session to leave 'online' (after a cut, a restart). */
  async offlineNoticed(timeoutMs = 10_000): Promise<void> {
    const from = this.child.events.length;
    await this.child.waitForEvents(
      (events) => events.slice(from).some((e) => e.event === 'state' && e.status !== 'online'),
      'the session leaving online',
      timeoutMs,
    );
  }

  /** SIGKILLs our core and starts a new one on the same profile (offline until `online()`). */
  async killAndRestart(): Promise<void> {
    await this.child.kill();
    this.kills += 1;
    this.child = await MessagesChild.start(
      this.profileDir,
      this.ourJid,
      PASSWORD,
      { port: this.proxy.port, caFile: this.server.caFile },
      this.log,
    );
  }

  /** The peer's archive with us, once it holds everything both sides are known to have sent. */
  async serverArchive(timeoutMs = 15_000): Promise<ArchivedMessage[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const archive = await this.peer.archive(this.ourJid);
      const keys = new Set(archive.map((a) => a.originId ?? a.id));
      const bodies = new Set(archive.map((a) => a.body));
      const complete =
        [...this.model.ours.keys(), ...this.model.otherDevice.keys()].every((id) => keys.has(id)) &&
        [...this.model.theirs.values()].every((b) => bodies.has(b));
      if (complete || Date.now() > deadline) return archive;
      await sleep(200);
    }
  }

  /** Settles our core, reads the server's archive, checks both sides. */
  async finish(
    options: { orderPrecisionMs?: number } = {},
  ): Promise<{ snapshot: SnapshotReply; archive: ArchivedMessage[]; peer: PeerFigures }> {
    // After the sign-in's catch-up: what it brings (the archive's times for our own) is part of what is checked.
    const snapshot = await this.settle(20_000, { catchUp: true });
    const archive = await this.serverArchive();
    checkOurSide(snapshot, this.model, archive, options);
    const peer = checkPeerSide(this.peer, archive, this.model);
    return { snapshot, archive, peer };
  }

  /** For a failure's message: the tail of the child's log. */
  logTail(lines = 60): string {
    return this.log.slice(-lines).join('\n');
  }

  async close(): Promise<void> {
    await this.child.exit().catch(() => undefined);
    await this.child.kill().catch(() => undefined);
    await this.peer.close().catch(() => undefined);
    await this.proxy.stop().catch(() => undefined);
    rmSync(this.profileDir, { recursive: true, force: true });
  }
}

export const bodiesFor = (label: string, count: number, from = 0): string[] =>
  Array.from({ length: count }, (_, i) => `${label} ${from + i}${i % 7 === 3 ? ' — ünïcode ✓ שלום' : ''}`);
