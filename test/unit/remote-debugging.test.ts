// Issue 13 leftovers #3: a packaged build refuses remote debugging on its
// command line (Chromium's --remote-debugging-*, which no fuse covers, and
// Node's --inspect*, which the enableNodeCliInspectArguments fuse already
// ignores); a development run keeps them. main/index.ts quits on a refusal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  CHROMIUM_DEBUG_SWITCHES,
  refusalWords,
  refusedDebugSwitches,
} from '../../main/core/desktop/devtools-policy.js';

const EXE = '/opt/Balcony/balcony';
const packaged = (argv: unknown[], platform: NodeJS.Platform = 'linux', hasSwitch?: (name: string) => boolean) =>
  refusedDebugSwitches({ isPackaged: true, argv: [EXE, ...argv], platform, hasSwitch });

test('issue 13 leftovers #3: packaged, each remote debugging switch is refused, bare and with =value', () => {
  const cases: [string, string][] = [
    ['--remote-debugging-port', '--remote-debugging-port'],
    ['--remote-debugging-port=9222', '--remote-debugging-port'],
    ['--remote-debugging-port=0', '--remote-debugging-port'],
    ['--remote-debugging-pipe', '--remote-debugging-pipe'],
    ['--remote-debugging-pipe=cbor', '--remote-debugging-pipe'],
    ['--remote-debugging-address=0.0.0.0', '--remote-debugging-address'],
    ['--inspect', '--inspect'],
    ['--inspect=127.0.0.1:9229', '--inspect'],
    ['--inspect-brk', '--inspect-brk'],
    ['--inspect-brk=9229', '--inspect-brk'],
    ['--inspect-port', '--inspect-port'],
    ['--inspect-port=0', '--inspect-port'],
    ['--inspect-wait', '--inspect-wait'],
    ['--inspect-brk-node', '--inspect-brk-node'],
    ['--debug-brk=5858', '--debug-brk'],
  ];
  for (const [arg, name] of cases) assert.deepEqual(packaged([arg]), [name], arg);
});

test('issue 13 leftovers #3: packaged, the spellings Chromium and Node also read are refused', () => {
  // Chromium takes one dash too; Windows folds case and takes '/'; Node reads '_' as '-'.
  assert.deepEqual(packaged(['-remote-debugging-port=9222']), ['--remote-debugging-port']);
  assert.deepEqual(packaged(['--Remote-Debugging-Port=9222'], 'win32'), ['--remote-debugging-port']);
  assert.deepEqual(packaged(['/remote-debugging-port=9222'], 'win32'), ['--remote-debugging-port']);
  assert.deepEqual(packaged(['--inspect_brk=9229']), ['--inspect-brk']);
  // After a '--' terminator, among others, several at once: all of them, in order.
  assert.deepEqual(
    packaged(['--user-data-dir=/tmp/x', 'xmpp:romeo@montague.net', '--', '--inspect', '--remote-debugging-pipe']),
    ['--inspect', '--remote-debugging-pipe'],
  );
  // Chromium's own reading (app.commandLine.hasSwitch) counts too, once.
  assert.deepEqual(
    packaged(['--enable-logging'], 'linux', (name) => name === 'remote-debugging-port'),
    ['--remote-debugging-port'],
  );
  assert.deepEqual(
    packaged(['--remote-debugging-port=1'], 'linux', () => true),
    ['--remote-debugging-port', '--remote-debugging-pipe'],
  );
  // Someone else's text is cut short in what is said.
  const [long] = packaged([`--inspect-${'x'.repeat(10_000)}`]);
  assert.ok(long !== undefined && long.length <= 64);
});

test('issue 13 leftovers #3: packaged, ordinary starts are not refused', () => {
  assert.deepEqual(packaged([]), []);
  assert.deepEqual(
    packaged([
      '--devtools', // ours: the window's developer tools, deliberately (devToolsAllowed)
      '--hidden',
      '--user-data-dir=/home/juliet/.config/Balcony',
      '--allow-file-access-from-files',
      '--original-process-start-time=13389412',
      'xmpp:romeo@montague.net?message;body=--inspect',
      'xmpp:--remote-debugging-port=9222',
      '/home/juliet/inspect', // a path, not a switch, off Windows
      '--inspector-not-a-switch-we-know',
      '--debugger',
      '--remote-debugging', // not a switch Chromium has (its are remote-debugging-*)
      42,
      null,
    ]),
    [],
  );
  // The executable's own path is never read as a switch.
  assert.deepEqual(
    refusedDebugSwitches({ isPackaged: true, argv: ['--inspect'], platform: 'linux', hasSwitch: () => false }),
    [],
  );
});

test('issue 13 leftovers #3: a development run (not packaged) keeps remote debugging', () => {
  for (const arg of ['--remote-debugging-port=9222', '--remote-debugging-pipe', '--inspect', '--inspect-brk=9229'])
    assert.deepEqual(
      refusedDebugSwitches({
        isPackaged: false,
        argv: ['electron', '.', arg],
        platform: 'linux',
        hasSwitch: () => true,
      }),
      [],
      arg,
    );
});

test('issue 13 leftovers #3: what a refused start says, and the switches main removes from Chromium', () => {
  assert.match(
    refusalWords(['--remote-debugging-port', '--inspect']),
    /remote debugging \(--remote-debugging-port, --inspect\)/,
  );
  assert.deepEqual([...CHROMIUM_DEBUG_SWITCHES], ['remote-debugging-port', 'remote-debugging-pipe']);
});

test('issue 13 leftovers #3: main/index.ts refuses before the single-instance lock and any window, removing the Chromium switches', () => {
  // The glue is Electron's (no unit run): its order is what this reads.
  const source = readFileSync(new URL('../../main/index.ts', import.meta.url), 'utf8');
  const body = source.slice(source.indexOf('async function main()'));
  const refuse = body.indexOf('refusedDebugSwitches(');
  assert.ok(refuse > 0, 'main() asks refusedDebugSwitches');
  for (const later of ['requestSingleInstanceLock', 'whenReady', 'windows.open(']) {
    assert.ok(body.indexOf(later) > refuse, `${later} comes after the refusal`);
  }
  const branch = body.slice(refuse, body.indexOf('requestSingleInstanceLock'));
  assert.match(branch, /app\.isPackaged/);
  assert.match(branch, /app\.commandLine\.removeSwitch/);
  assert.match(branch, /app\.exit\(1\)/);
  assert.match(branch, /return;/);
});
