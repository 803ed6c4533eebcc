/**
 * What the browser-driving tests and the renderer benchmark share: Debian's
 * Chromium with the flags this machine needs, and a loopback server for the
 * built renderer (the page's CSP is in its own meta tag).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/** Without the background-networking flags Chromium keeps dialling hosts this closed network refuses. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.map': 'application/json',
};

export interface StaticServer {
  /** The renderer's index.html. */
  url: string;
  close(): Promise<void>;
}

/**
 * Serves `dir` on 127.0.0.1. `script(path)` may answer a path with
 * JavaScript of the caller's own first (the benchmark's large replies);
 * `page(html)` may change index.html as served (the bridge names its Trusted Types policy).
 */
export async function serveRendererDir(
  dir: string,
  script?: (path: string) => string | undefined,
  page?: (html: string) => string,
): Promise<StaticServer> {
  const answer = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path =
      normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^\/+/, '') || 'index.html';
    // The browser's own favicon probe: Electron never makes it, so it is no app error (and no console error).
    if (path === 'favicon.ico') return void res.writeHead(204).end();
    const own = script?.(path);
    if (own !== undefined) {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' }).end(own);
      return;
    }
    if (path.includes('..')) {
      res.writeHead(403).end();
      return;
    }
    try {
      const file = await readFile(join(dir, path));
      const body = page && path === 'index.html' ? page(file.toString('utf8')) : file;
      res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  };
  const server: Server = createServer((req, res) => {
    // e.g. a malformed %-escape (decodeURIComponent throws): a 500 and a log line, not an unhandled rejection
    answer(req, res).catch((error: unknown) => {
      console.error(`renderer server: ${req.url ?? ''}: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/index.html`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
