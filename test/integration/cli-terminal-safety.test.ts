/**
 * issue 11 #4 (printing half): no control character reaches the terminal raw.
 * The hostile text is put below the parser (rows in a real profile database)
 * or sent by the scripted server as legal XML (C1 controls and bidi overrides
 * are XML 1.0 Chars), and the real built command's stdout and stderr are read.
 */
import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { openStore } from '../../main/core/roster-core.js';
import { OutboxStore } from '../../main/core/store/outbox-store.js';
import { refuseMessageSetup } from '../support/scripted-messages.js';
import { ScriptedServer, type ScriptedServerOptions } from '../support/scripted-server.js';
import { tempDir } from '../support/roster-fixtures.js';
import { CLI, accountArgs, runCli } from '../support/run-cli.js';

const ACCOUNT = 'juliet@localhost';
const NS_ROSTER = 'jabber:iq:roster';
/** Anything a terminal acts on, line feed excepted (output lines are ours). */
const RAW_CONTROL =
  // eslint-disable-next-line no-control-regex -- the test looks for exactly these control characters in the output
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;
/** Clear screen, retitle the window (OSC ... BEL), backspace, NUL, a forged line, CSI, RTL override. */
const RAW = '\x1b[2J\x1b]0;owned\x07\b\0\r\nfake@example.com  (you see each other)\x7f\x9b31m\u202eexe.txt\u2066';
/** The same kind of attack as legal XML 1.0 (no C0): C1 CSI, NEL, bidi override and isolate. */
const NET = 'Ro\u009b31m\u0085meo\u202egnp.exe\u2066';

// The shapes the command prints with --json, as far as these tests read them (the assertions check the values).
interface ListJson {
  version: unknown;
  items: { jid: unknown; name: unknown; groups: unknown }[];
}
interface WatchLineJson {
  change: unknown;
  item?: { name: unknown; groups: unknown };
}

function assertNoRawControls(output: string, what: string): void {
  const found = RAW_CONTROL.exec(output);
  assert.equal(
    found,
    null,
    `${what} holds U+${found?.[0].codePointAt(0)?.toString(16).padStart(4, '0')} raw: ${JSON.stringify(output)}`,
  );
}

async function scripted(t: TestContext, options: ScriptedServerOptions = {}): Promise<ScriptedServer> {
  const server = await ScriptedServer.start(options);
  t.after(() => server.stop());
  return server;
}

function online(server: ScriptedServer, dataDir: string): string[] {
  return ['--data-dir', dataDir, ...accountArgs(server)];
}

describe('issue 11 #4: control characters never reach the terminal raw', { timeout: 60_000 }, () => {
  it('issue 11 #4: list (text and --json) escapes controls from cached names, groups, addresses and error messages', async () => {
    assert.ok(existsSync(CLI), 'run `npm run build` first (npm test does)');
    const dataDir = tempDir();
    const { db, store } = openStore(dataDir);
    store.replaceAll(
      ACCOUNT,
      [{ jid: 'evil\u202e@example.net', name: RAW, subscription: 'both', ask: null, approved: false, groups: [RAW] }],
      'v\x1b1',
    );
    const outbox = new OutboxStore(db);
    const entry = outbox.enqueue({
      account: ACCOUNT,
      op: 'add',
      jid: 'nurse@example.com',
      name: null,
      groups: [],
      base: { exists: false, name: null, groups: [] },
    });
    outbox.markFailed(entry.id, { code: 'not-acceptable', message: `refused\x1b[31m${RAW}` });
    db.close();

    const text = await runCli(['list', '--account', ACCOUNT, '--data-dir', dataDir]);
    assert.equal(text.code, 0, text.stderr);
    assertNoRawControls(text.stdout, 'list');
    const lines = text.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 4, `header, one contact, "waiting to sync", one edit; no forged line:\n${text.stdout}`);
    assert.ok(lines[0]!.includes('version v\\x1b1'), lines[0]);
    assert.ok(
      lines[1]!.startsWith(
        'evil\\u{202e}@example.net  "\\x1b[2J\\x1b]0;owned\\x07\\x08\\x00\\x0d\\x0afake@example.com',
      ),
      lines[1],
    );
    assert.ok(lines[1]!.includes('\\x7f\\x9b31m\\u{202e}exe.txt\\u{2066}"'), lines[1]);
    assert.ok(lines[3]!.includes('FAILED: not-acceptable: refused\\x1b[31m'), lines[3]);

    const json = await runCli(['list', '--json', '--account', ACCOUNT, '--data-dir', dataDir]);
    assert.equal(json.code, 0, json.stderr);
    assertNoRawControls(json.stdout, 'list --json');
    const parsed = JSON.parse(json.stdout) as ListJson;
    assert.equal(parsed.items[0]?.jid, 'evil\u202e@example.net', 'the JSON reads back as the very text stored');
    assert.equal(parsed.items[0].name, RAW);
    assert.deepEqual(parsed.items[0].groups, [RAW]);
    assert.equal(parsed.version, 'v\x1b1');
  });

  it('issue 11 #4: sync text, --verbose logs and watch JSON escape what the server sent', async (t) => {
    const server = await scripted(t);
    const dataDir = tempDir();
    const roster =
      `<query xmlns='${NS_ROSTER}' ver='1'><item jid='romeo@example.net' name='${NET}'><group>${NET}</group></item>` +
      `<item jid='tybalt@example.com' subscription='${NET}'/></query>`;

    const syncing = runCli(['sync', '--verbose', ...online(server, dataDir)], { password: 'secret' });
    const session = await server.nextSession(10_000);
    session.reply(await session.expectIq('get', NS_ROSTER), roster);
    await refuseMessageSetup(session);
    const sync = await syncing;
    assert.equal(sync.code, 0, sync.stderr);
    assertNoRawControls(sync.stdout, 'sync');
    assertNoRawControls(sync.stderr, 'sync --verbose log');
    assert.match(
      sync.stdout,
      /romeo@example\.net {2}"Ro\\x9b31m\\x85meo\\u\{202e\}gnp\.exe\\u\{2066\}" {2}\(no presence shared\) {2}\[Ro\\x9b31m/,
    );
    assert.match(
      sync.stderr,
      /unknown subscription "Ro\\x9b31m\\x85meo\\u\{202e\}gnp\.exe\\u\{2066\}"/,
      'the log line names the hostile value, escaped',
    );

    const watching = runCli(['watch', '--for', '2', ...online(server, tempDir())], { password: 'secret' });
    const watched = await server.nextSession(10_000);
    watched.reply(await watched.expectIq('get', NS_ROSTER), `<query xmlns='${NS_ROSTER}' ver='1'/>`);
    watched.send(
      `<iq type='set' id='p1' to='${watched.fullJid}'><query xmlns='${NS_ROSTER}' ver='2'>` +
        `<item jid='romeo@example.net' name='${NET}'><group>${NET}</group></item></query></iq>`,
    );
    await watched.expectReplyTo('p1');
    const watch = await watching;
    assert.equal(watch.code, 0, watch.stderr);
    assertNoRawControls(watch.stdout, 'watch');
    const upsert = watch.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as WatchLineJson)
      .find((c) => c.change === 'upsert');
    assert.equal(upsert?.item?.name, NET, 'JSON.parse gives back the name as sent');
    assert.deepEqual(upsert.item.groups, [NET]);
    assert.ok(watch.stdout.includes('Ro\\u009b31m\\u0085meo\\u202egnp.exe\\u2066'), watch.stdout);
  });

  it('issue 11 #4: a SASL <failure><text/> is escaped in the one-line error', async (t) => {
    const server = await scripted(t, { saslFailureText: `${NET}\u2028second line` });
    const run = await runCli(['sync', ...online(server, tempDir())], { password: 'wrong' });
    assert.equal(run.code, 1);
    assertNoRawControls(run.stderr, 'the error line');
    const lines = run.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1, run.stderr);
    assert.match(
      lines[0]!,
      /^auth-failed: .*not-authorized: Ro\\x9b31m\\x85meo\\u\{202e\}gnp\.exe\\u\{2066\}\\u\{2028\}second line/,
    );
  });

  it('issue 11 #4: raw C0 controls in a SASL failure never reach stderr (refused by the parser, or escaped)', async (t) => {
    const server = await scripted(t, { saslFailureText: 'no\x1b]0;owned\x07\x1b[2J\x08' });
    const run = await runCli(['sync', ...online(server, tempDir())], { password: 'wrong' });
    assert.equal(run.code, 1);
    assertNoRawControls(run.stderr, 'the error line');
    assert.equal(run.stderr.trimEnd().split('\n').length, 1, run.stderr);
    assert.match(run.stderr, /^(auth-failed|bad-format): /);
  });
});
