/**
 * issue 10 #5: balcony-roster's send, history, sync's archive catch-up and
 * watch's message lines, the built command against a real Prosody (mam,
 * carbons, smacks) with two accounts: juliet is the command, romeo a plain
 * XMPP client (our session layer only: no message service, no store).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { xml } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import { XmppSession } from '../../main/core/xmpp/session.js';
import { startProsody, type TestServer } from '../support/xmpp-servers.js';
import { tempDir } from '../support/roster-fixtures.js';
import { CLI, accountArgs, runCli } from '../support/run-cli.js';

interface MessageJson {
  id: string;
  direction: 'in' | 'out';
  from: string;
  to: string;
  body: string;
  time: string;
  state: string;
}

/** Anything a terminal acts on, line feed excepted (output lines are ours). */
const RAW_CONTROL =
  // eslint-disable-next-line no-control-regex -- the test looks for exactly these control characters in the output
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;
/** Legal XML 1.0, hostile on a terminal: C1 CSI, NEL, a bidi override and isolate. */
const HOSTILE = 'Ro\u009b31m\u0085meo\u202egnp.exe\u2066';

/** romeo@localhost as a plain client: available, collecting the chat messages it receives. */
class PlainClient {
  readonly received: Element[] = [];
  readonly #session: XmppSession;
  #waiters: (() => void)[] = [];

  constructor(server: TestServer, user: string) {
    this.#session = new XmppSession({
      account: `${user}@localhost`,
      password: 'secret',
      host: '127.0.0.1',
      port: server.port,
      ca: readFileSync(server.caFile, 'utf8'),
      resource: 'plain',
      connectTimeoutMs: 10_000,
      iqTimeoutMs: 10_000,
    });
    this.#session.onStanza('message', (stanza) => {
      if (stanza.getChildText('body') === null) return;
      this.received.push(stanza);
      for (const wake of this.#waiters) wake();
    });
  }

  async start(): Promise<void> {
    await this.#session.start({ failFast: true });
    await this.#session.send(xml('presence', {}, xml('priority', {}, '5')));
    await this.settled();
  }

  /** Resolves once the server has handled everything sent before (an iq answered after it). */
  async settled(): Promise<void> {
    await this.#session.iq('get', xml('ping', { xmlns: 'urn:xmpp:ping' }));
  }

  async say(to: string, body: string, id: string): Promise<void> {
    await this.#session.send(xml('message', { to, type: 'chat', id }, xml('body', {}, body)));
  }

  /** The first received message with this body; rejects after `timeoutMs`. */
  async receive(body: string, timeoutMs = 15_000): Promise<Element> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.find((m) => m.getChildText('body') === body);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`romeo did not receive ${JSON.stringify(body)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      this.#waiters = [];
    }
  }

  stop(): Promise<void> {
    return this.#session.stop();
  }
}

/** Runs the command and resolves once a stdout line satisfies `until` (then on with the rest); for watch. */
function runUntilLine(
  args: string[],
  until: (line: string) => boolean,
  timeoutMs = 30_000,
): { seen: Promise<void>; done: Promise<{ code: number | null; stdout: string; stderr: string }> } {
  const env = { ...process.env, BALCONY_PASSWORD: 'secret' };
  const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let resolveSeen: () => void = () => undefined;
  let rejectSeen: (error: Error) => void = () => undefined;
  const seen = new Promise<void>((resolve, reject) => {
    resolveSeen = resolve;
    rejectSeen = reject;
  });
  const timer = setTimeout(() => {
    child.kill('SIGKILL');
    rejectSeen(new Error(`balcony-roster ${args[0]} timed out\n${stderr}`));
  }, timeoutMs);
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
    if (stdout.split('\n').some(until)) resolveSeen();
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      rejectSeen(new Error(`balcony-roster ${args[0]} ended first\n${stderr}`));
      resolve({ code, stdout, stderr });
    });
  });
  return { seen, done };
}

function assertNoRawControls(output: string, what: string): void {
  const found = RAW_CONTROL.exec(output);
  assert.equal(found, null, `${what} holds a raw control: ${JSON.stringify(output)}`);
}

describe('issue 10 #5: balcony-roster send, history, sync and watch against Prosody', { timeout: 180_000 }, () => {
  let server: TestServer;
  let common: string[];
  let romeo: PlainClient;
  before(async () => {
    assert.ok(existsSync(CLI), 'run `npm run build` first (npm test does)');
    server = await startProsody({ tls: true });
    await server.register('juliet', 'secret');
    await server.register('romeo', 'secret');
    common = accountArgs(server);
    romeo = new PlainClient(server, 'romeo');
    await romeo.start();
  });
  after(async () => {
    await (romeo as PlainClient | undefined)?.stop();
    await (server as TestServer | undefined)?.stop();
  });

  const history = async (dataDir: string, ...extra: string[]): Promise<MessageJson[]> => {
    const run = await runCli([
      'history',
      'romeo@localhost',
      '--json',
      '--data-dir',
      dataDir,
      '--account',
      'juliet@localhost',
      ...extra,
    ]);
    assert.equal(run.code, 0, run.stderr);
    return (JSON.parse(run.stdout) as { messages: MessageJson[] }).messages;
  };

  it('issue 10 #5: send --json reaches the other account and says sent; history shows it without the network', async () => {
    const dataDir = tempDir();
    const sent = await runCli(
      ['send', 'Romeo@Localhost', 'Wherefore art thou?', '--json', '--data-dir', dataDir, ...common],
      {
        password: 'secret',
      },
    );
    assert.equal(sent.code, 0, sent.stderr);
    const answer = JSON.parse(sent.stdout) as { id: string; state: string };
    assert.equal(answer.state, 'sent');
    assert.match(answer.id, /^[\w-]{8,}$/);
    const got = await romeo.receive('Wherefore art thou?');
    assert.equal(got.attrs.type, 'chat');
    assert.match(String(got.attrs.from), /^juliet@localhost\//);
    // the id is the stanza's and its origin-id (XEP-0359): how the receiver drops a copy sent again
    assert.equal(got.getChild('origin-id', 'urn:xmpp:sid:0')?.attrs.id, answer.id);

    const messages = await history(dataDir, '--port', '1');
    assert.equal(messages.length, 1);
    const [message] = messages;
    assert.deepEqual(
      { ...message, time: undefined },
      {
        id: answer.id,
        direction: 'out',
        from: 'juliet@localhost',
        to: 'romeo@localhost',
        body: 'Wherefore art thou?',
        time: undefined,
        state: 'sent',
      },
    );
    assert.equal(new Date(message!.time).toISOString(), message!.time, 'ISO 8601');
  });

  it('issue 10 #5: offline, send is queued; the next sync sends it, once', async () => {
    const dataDir = tempDir();
    const offline = ['--data-dir', dataDir, '--account', 'juliet@localhost', '--host', '127.0.0.1', '--port', '1'];
    const queued = await runCli(['send', 'romeo@localhost', 'Parting is such sweet sorrow', '--json', ...offline], {
      password: 'secret',
    });
    assert.equal(queued.code, 0, queued.stderr);
    const answer = JSON.parse(queued.stdout) as { id: string; state: string };
    assert.equal(answer.state, 'queued');
    const text = await runCli(['send', 'romeo@localhost', 'Good night', ...offline], { password: 'secret' });
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /queued and will be sent by the next command that signs in/);
    assert.deepEqual(
      (await history(dataDir)).map((m) => [m.body, m.state]),
      [
        ['Parting is such sweet sorrow', 'queued'],
        ['Good night', 'queued'],
      ],
    );
    assert.equal(romeo.received.filter((m) => m.getChildText('body') === 'Good night').length, 0);

    const sync = await runCli(['sync', '--json', '--data-dir', dataDir, ...common], { password: 'secret' });
    assert.equal(sync.code, 0, sync.stderr);
    const first = await romeo.receive('Parting is such sweet sorrow');
    await romeo.receive('Good night');
    assert.equal(first.getChild('origin-id', 'urn:xmpp:sid:0')?.attrs.id, answer.id);
    // (the sign-in's catch-up also brought what juliet sent from other profiles earlier: the archive's newest page)
    const ours = new Set(['Parting is such sweet sorrow', 'Good night']);
    assert.deepEqual(
      (await history(dataDir)).filter((m) => ours.has(m.body)).map((m) => [m.id === answer.id, m.body, m.state]),
      [
        [true, 'Parting is such sweet sorrow', 'sent'],
        [false, 'Good night', 'sent'],
      ],
      'each once: the archive’s copies are the outbox rows, not new ones',
    );
    // a second sync sends nothing again
    const again = await runCli(['sync', '--data-dir', dataDir, ...common], { password: 'secret' });
    assert.equal(again.code, 0, again.stderr);
    await romeo.settled();
    const count = (body: string) => romeo.received.filter((m) => m.getChildText('body') === body).length;
    assert.deepEqual([count('Parting is such sweet sorrow'), count('Good night')], [1, 1]);
  });

  it('issue 10 #5: sync catches up the archive: history shows what romeo sent while we were away, once, oldest first', async () => {
    const dataDir = tempDir();
    const first = await runCli(['sync', '--json', '--data-dir', dataDir, ...common], { password: 'secret' });
    assert.equal(first.code, 0, first.stderr);
    // away: romeo writes three times
    const bodies = ['Away 1: it is the east', 'Away 2: and Juliet is the sun', 'Away 3: arise, fair sun'];
    for (const [i, body] of bodies.entries()) await romeo.say('juliet@localhost', body, `away-${i}-${Date.now()}`);
    await romeo.settled();

    const sync = await runCli(['sync', '--json', '--data-dir', dataDir, ...common], { password: 'secret' });
    assert.equal(sync.code, 0, sync.stderr);
    const archive = (JSON.parse(sync.stdout) as { archive: { fetched: number; gaps: number } }).archive;
    assert.ok(archive.fetched >= 3, `fetched ${archive.fetched}`);
    const text = await runCli(['sync', '--data-dir', dataDir, ...common], { password: 'secret' });
    assert.match(text.stdout, /message archive: \d+ message\(s\) fetched/);

    const away = (await history(dataDir)).filter((m) => m.body.startsWith('Away '));
    assert.deepEqual(
      away.map((m) => m.body),
      bodies,
      'each once, in the server’s order',
    );
    assert.ok(away.every((m) => m.direction === 'in' && m.from === 'romeo@localhost' && m.state === 'received'));
    const times = away.map((m) => Date.parse(m.time));
    assert.deepEqual(
      [...times].sort((a, b) => a - b),
      times,
    );

    // paging: the newest two, then what is older than the first of them
    const newest = await history(dataDir, '--limit', '2');
    assert.deepEqual(
      newest.map((m) => m.body),
      bodies.slice(1),
    );
    const older = await history(dataDir, '--limit', '2', '--before', newest[0]!.id);
    assert.deepEqual(older.at(-1)?.body, bodies[0]);
  });

  it('issue 10 #5: watch prints a message line as it arrives; bodies never reach the terminal raw', async () => {
    const dataDir = tempDir();
    const body = `watch me ${HOSTILE}`;
    const watch = runUntilLine(['watch', '--for', '8', '--data-dir', dataDir, ...common], (line) =>
      line.includes('"change":"reset"'),
    );
    await watch.seen;
    await romeo.say('juliet@localhost', body, `watch-${Date.now()}`);
    const run = await watch.done;
    assert.equal(run.code, 0, run.stderr);
    assertNoRawControls(run.stdout, 'watch');
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { change?: string; message?: MessageJson });
    const messages = lines.filter((l) => l.message).map((l) => l.message!);
    assert.ok(
      messages.some((m) => m.body === body && m.direction === 'in' && m.from === 'romeo@localhost'),
      run.stdout,
    );

    const text = await runCli(['history', 'romeo@localhost', '--data-dir', dataDir, '--account', 'juliet@localhost']);
    assert.equal(text.code, 0, text.stderr);
    assertNoRawControls(text.stdout, 'history');
    assert.match(text.stdout, /romeo@localhost\n {4}watch me Ro\\x9b31m\\x85meo\\u\{202e\}gnp\.exe\\u\{2066\}/);
    const json = await history(dataDir);
    assert.equal(json.find((m) => m.body === body)?.body, body, 'JSON keeps the text, escaped');
  });

  it('issue 10 #5: send and history refuse bad input with one coded line', async () => {
    const dataDir = tempDir();
    const cases: [string[], string][] = [
      [['send', 'romeo@localhost', ...common], 'invalid-argument'],
      [
        ['send', 'not a jid', 'hi', '--port', '1', '--data-dir', dataDir, '--account', 'juliet@localhost'],
        'invalid-jid',
      ],
      [
        ['send', 'romeo@localhost', '', '--port', '1', '--data-dir', dataDir, '--account', 'juliet@localhost'],
        'message-empty',
      ],
      [
        [
          'send',
          'romeo@localhost',
          'x'.repeat(20_001),
          '--port',
          '1',
          '--data-dir',
          dataDir,
          '--account',
          'juliet@localhost',
        ],
        'message-too-long',
      ],
      [['history', 'romeo@localhost', '--limit', '0', '--account', 'juliet@localhost'], 'invalid-argument'],
      [['history', 'romeo@localhost', '--limit', '501', '--account', 'juliet@localhost'], 'invalid-argument'],
      [['history', '--account', 'juliet@localhost'], 'invalid-argument'],
      [['sync', '--limit', '5', '--account', 'juliet@localhost'], 'invalid-argument'],
      [
        [
          'history',
          'romeo@localhost',
          '--before',
          'no-such-id',
          '--data-dir',
          dataDir,
          '--account',
          'juliet@localhost',
        ],
        'invalid-argument',
      ],
    ];
    for (const [args, code] of cases) {
      const run = await runCli(args, { password: 'secret' });
      assert.notEqual(run.code, 0, `${args.join(' ').slice(0, 80)} should fail`);
      const lines = run.stderr.trimEnd().split('\n');
      assert.equal(lines.length, 1, `one line: ${run.stderr}`);
      assert.ok(lines[0]!.startsWith(`${code}: `), `${args[0]}: expected ${code}, got ${lines[0]}`);
    }
  });
});
