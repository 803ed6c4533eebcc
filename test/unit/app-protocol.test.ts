import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  APP_PAGE_URL,
  answerAppRequest,
  appRequestPath,
  contentSecurityPolicy,
  isAppOrigin,
  isAppPageUrl,
} from '../../main/core/desktop/app-protocol.js';
import { tempDir } from '../support/roster-fixtures.js';

const INDEX_HTML = readFileSync(new URL('../../renderer/index.html', import.meta.url), 'utf8');
const CSP = contentSecurityPolicy(INDEX_HTML);

/** A renderer folder with a page, a script, a nested file, a secret beside it and a link out. */
function rendererDir(): string {
  const base = tempDir('balcony-app-protocol-');
  const root = join(base, 'renderer');
  mkdirSync(join(root, 'icons'), { recursive: true });
  writeFileSync(join(root, 'index.html'), INDEX_HTML);
  writeFileSync(join(root, 'app.js'), 'console.log(1)');
  writeFileSync(join(root, 'icons', 'logo.svg'), '<svg/>');
  writeFileSync(join(root, '.hidden.js'), 'secret');
  writeFileSync(join(root, 'data.bin'), 'binary');
  writeFileSync(join(base, 'secret.js'), 'outside');
  symlinkSync(join(base, 'secret.js'), join(root, 'link.js'));
  mkdirSync(join(root, 'folder.js'));
  return root;
}

test('issue 13 #5: the CSP header is the page meta policy with Trusted Types and frame-ancestors', () => {
  const directives = CSP.split('; ');
  assert.ok(directives.includes("default-src 'none'"));
  assert.ok(directives.includes("script-src 'self'"));
  assert.ok(directives.includes("require-trusted-types-for 'script'"));
  assert.ok(directives.includes('trusted-types lit-html'));
  assert.ok(directives.includes("frame-ancestors 'none'"));
  assert.throws(() => contentSecurityPolicy('<html><head></head></html>'), /no Content-Security-Policy/);
  assert.throws(
    () => contentSecurityPolicy('<meta http-equiv="Content-Security-Policy" content="default-src \'none\'">'),
    /lacks "require-trusted-types-for 'script'"/,
  );
});

test('issue 13 #5: the page, its script and nested files are served with their type and the security headers', async () => {
  const root = rendererDir();
  for (const [url, type, body] of [
    [APP_PAGE_URL, 'text/html; charset=utf-8', INDEX_HTML],
    ['app://balcony/', 'text/html; charset=utf-8', INDEX_HTML],
    ['app://balcony/app.js?v=1#x', 'text/javascript; charset=utf-8', 'console.log(1)'],
    ['app://balcony/icons/logo.svg', 'image/svg+xml', '<svg/>'],
    ['app://BALCONY/icons/%6Cogo.svg', 'image/svg+xml', '<svg/>'],
  ] as const) {
    const answer = await answerAppRequest({ method: 'GET', url }, root, CSP);
    assert.equal(answer.status, 200, url);
    assert.equal(answer.headers['Content-Type'], type, url);
    assert.equal(answer.body?.toString('utf8'), body, url);
    assert.equal(answer.headers['Content-Security-Policy'], CSP);
    assert.equal(answer.headers['X-Content-Type-Options'], 'nosniff');
  }
});

test('issue 13 #5: hostile paths, other hosts and schemes, other methods get nothing', async () => {
  const root = rendererDir();
  const hostile = [
    'app://balcony/../secret.js',
    'app://balcony/%2e%2e/secret.js',
    'app://balcony/%2E%2E%2Fsecret.js',
    'app://balcony/icons/..%2f..%2fsecret.js',
    'app://balcony/..%5csecret.js',
    'app://balcony/icons%2flogo.svg',
    'app://balcony/%252e%252e/secret.js',
    'app://balcony/..\\secret.js',
    'app://balcony/app.js%00.html',
    'app://balcony/%ZZ.js',
    'app://balcony/.hidden.js',
    'app://balcony//etc/passwd.js',
    'app://balcony/link.js', // a symbolic link out of the folder
    'app://balcony/folder.js', // a folder with a known extension
    'app://balcony/data.bin', // no known type: not guessed
    'app://balcony/missing.js',
    'app://other/app.js',
    'app://balcony.evil/app.js',
    'app://user:pw@balcony/app.js',
    'app://balcony:8080/app.js',
    'file:///etc/passwd',
    `file://${root}/app.js`,
    'https://balcony/app.js',
    'app://balcony/C:/Windows/win.ini',
    'not a url',
  ];
  for (const url of hostile) {
    const answer = await answerAppRequest({ method: 'GET', url }, root, CSP);
    assert.equal(answer.status, 404, url);
    assert.equal(answer.body, null, url);
    assert.equal(answer.headers['X-Content-Type-Options'], 'nosniff', url);
  }
  for (const method of ['POST', 'PUT', 'HEAD', 'OPTIONS', 'get']) {
    const answer = await answerAppRequest({ method, url: 'app://balcony/app.js' }, root, CSP);
    assert.equal(answer.status, 405, method);
    assert.equal(answer.body, null);
  }
});

test('issue 13 #5: the request path is decided before any file is read', () => {
  assert.deepEqual(appRequestPath('app://balcony/'), ['index.html']);
  assert.deepEqual(appRequestPath('app://balcony/a/b.js'), ['a', 'b.js']);
  assert.deepEqual(appRequestPath('app://balcony/caf%C3%A9.js'), ['café.js']);
  assert.equal(appRequestPath('app://balcony/a//b.js'), null);
  assert.equal(appRequestPath('app://balcony/a/'), null);
});

test('issue 13 #5: the navigation lock and the IPC sender check accept our page only', () => {
  assert.equal(isAppPageUrl(APP_PAGE_URL), true);
  assert.equal(isAppPageUrl('app://balcony/'), true);
  assert.equal(isAppPageUrl('app://balcony/index.html#x'), true);
  for (const url of [
    'app://balcony/app.js',
    'app://other/index.html',
    'app://x@balcony/index.html',
    'file:///index.html',
    'https://balcony/index.html',
    'https://example.com/',
    'javascript:alert(1)',
    '',
  ])
    assert.equal(isAppPageUrl(url), false, url);
  assert.equal(isAppOrigin('app://balcony'), true);
  assert.equal(isAppOrigin('app://balcony/some/file'), true);
  assert.equal(isAppOrigin('app://balcony.example'), false);
  assert.equal(isAppOrigin('null'), false);
});
