import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LINKS_PER_LAUNCH, xmppLinksInArgv } from '../../main/core/desktop/launch-args.js';

test('issue 13 #4: the xmpp: link in a packaged first launch’s argv is found', () => {
  assert.deepEqual(xmppLinksInArgv(['/opt/Balcony/balcony', 'xmpp:romeo@montague.net?roster;name=Romeo']), [
    'xmpp:romeo@montague.net?roster;name=Romeo',
  ]);
});

test('issue 13 #4: in development the executable and the app path are skipped; the scheme is case-insensitive', () => {
  assert.deepEqual(xmppLinksInArgv(['/usr/lib/electron/electron', '/home/j/balcony', 'XMPP:romeo@montague.net']), [
    'XMPP:romeo@montague.net',
  ]);
});

test('issue 13 #4: a second instance’s Chromium switches are ignored, wherever they come', () => {
  assert.deepEqual(
    xmppLinksInArgv([
      'C:\\Program Files\\Balcony\\Balcony.exe',
      '--allow-file-access-from-files',
      '--original-process-start-time=13389412',
      'xmpp:romeo@montague.net?message;body=hi',
      '--xmpp:not-a-link',
      '--',
    ]),
    ['xmpp:romeo@montague.net?message;body=hi'],
  );
});

test('issue 13 #4: no link, other schemes and non-text arguments give nothing', () => {
  assert.deepEqual(xmppLinksInArgv([]), []);
  assert.deepEqual(
    xmppLinksInArgv(['balcony', 'https://example.com', 'mailto:a@b', ' xmpp:x@y', 'xmpp', 42, null]),
    [],
  );
});

test('issue 13 #4: at most a few links from one command line', () => {
  const argv = ['balcony', ...Array.from({ length: 1000 }, (_, i) => `xmpp:user${i}@example.com`)];
  const links = xmppLinksInArgv(argv);
  assert.equal(links.length, LINKS_PER_LAUNCH);
  assert.deepEqual(links[0], 'xmpp:user0@example.com');
});
