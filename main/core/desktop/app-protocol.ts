/**
 * The renderer's own origin, `app://balcony/` (issue 13 #5): which file a
 * request may get and the headers it comes with. Free of Electron: the glue
 * (main/app-scheme.ts) hands each request here and returns the answer.
 *
 * Why not file://: there, the CSP's 'self' covers every file on the disk and
 * the page's origin is shared with any other local file. Here the page can
 * reach the files under dist/renderer and nothing else.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'balcony';
/** The page the window loads. */
export const APP_PAGE_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** Only what the bundle holds; anything else is a 404 rather than a guessed type. */
const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/**
 * Directives a meta tag cannot carry (Chromium ignores them there, with a
 * console warning), so they go in the header only.
 */
const HEADER_ONLY_DIRECTIVES = ["frame-ancestors 'none'"];

/**
 * The directives the page must have for Trusted Types: no string reaches an
 * HTML sink unless it went through a policy, and the only policy allowed is
 * Lit's own (lit-html creates 'lit-html' for its template HTML).
 */
export const TRUSTED_TYPES_DIRECTIVES = ["require-trusted-types-for 'script'", 'trusted-types lit-html'];

/**
 * The CSP header for the page: the policy of renderer/index.html's meta tag
 * (the one source, so header and meta cannot drift) plus the header-only
 * directives. Throws when the page has no CSP or lacks Trusted Types: a build
 * like that must not be served.
 */
export function contentSecurityPolicy(indexHtml: string): string {
  const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(indexHtml);
  if (!meta?.[1]) throw new Error('renderer/index.html has no Content-Security-Policy meta tag');
  const directives = meta[1]
    .split(';')
    .map((d) => d.trim().replace(/\s+/g, ' '))
    .filter(Boolean);
  for (const required of TRUSTED_TYPES_DIRECTIVES) {
    if (!directives.includes(required)) throw new Error(`renderer/index.html's CSP lacks "${required}"`);
  }
  return [...directives, ...HEADER_ONLY_DIRECTIVES].join('; ');
}

/** The headers of every answer, the CSP included. */
export function responseHeaders(csp: string): Record<string, string> {
  return {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Referrer-Policy': 'no-referrer',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), display-capture=(), usb=(), serial=(), hid=()',
    'Cache-Control': 'no-cache',
  };
}

/** True for a URL of our page itself (what the navigation lock and the IPC sender check accept). */
export function isAppPageUrl(url: string): boolean {
  const parsed = appUrl(url);
  return parsed !== null && (parsed.pathname === '/index.html' || parsed.pathname === '/');
}

/** True for any URL of our origin (the permission handlers' check). */
export function isAppOrigin(url: string): boolean {
  return appUrl(url) !== null;
}

function appUrl(url: string): URL | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  const plain = parsed.username === '' && parsed.password === '' && parsed.port === '';
  // Chromium lowercases a standard scheme's host; Node's parser does not for a scheme it does not know.
  const ours = parsed.protocol === `${APP_SCHEME}:` && parsed.hostname.toLowerCase() === APP_HOST;
  return ours && plain ? parsed : null;
}

/**
 * The file (relative segments under the renderer folder) a request URL
 * names, or null: another scheme or host, credentials or a port, an escaped
 * slash, backslash, dot or NUL, a `.` or `..` or hidden segment, an empty
 * segment, a malformed escape. `/` is the page.
 */
export function appRequestPath(url: string): string[] | null {
  const parsed = appUrl(url);
  if (!parsed) return null;
  const raw = parsed.pathname;
  // Escapes that could rebuild a separator or a dot segment after decoding: refused, not decoded.
  if (/%(2f|5c|2e|00)/i.test(raw) || raw.includes('\\')) return null;
  if (raw === '/') return ['index.html'];
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return null;
  }
  const segments = decoded.slice(1).split('/');
  const allowed = (s: string): boolean => s !== '' && !s.startsWith('.') && !/[\0\\:]/.test(s);
  return segments.every(allowed) ? segments : null;
}

export interface AppRequest {
  method: string;
  url: string;
}

export interface AppAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer | null;
}

/**
 * Answers one request from the files under `rootDir` (dist/renderer): GET of
 * an existing file of a known type inside the folder (symbolic links may not
 * lead out of it) gets it; anything else a bodiless 404 (405 for another
 * method). Never throws.
 */
export async function answerAppRequest(request: AppRequest, rootDir: string, csp: string): Promise<AppAnswer> {
  const headers = responseHeaders(csp);
  if (request.method !== 'GET') return { status: 405, headers: { ...headers, Allow: 'GET' }, body: null };
  const notFound: AppAnswer = { status: 404, headers, body: null };
  const segments = appRequestPath(request.url);
  if (!segments) return notFound;
  const type = MIME_TYPES[extname(segments[segments.length - 1] ?? '').toLowerCase()];
  if (!type) return notFound;
  try {
    const root = await realpath(rootDir);
    const file = await realpath(join(root, ...segments));
    if (!file.startsWith(root + sep) || !(await stat(file)).isFile()) return notFound;
    return { status: 200, headers: { ...headers, 'Content-Type': type }, body: await readFile(file) };
  } catch {
    return notFound;
  }
}
