/**
 * Serves the renderer from `app://balcony/` (issue 13 #5); the decisions are
 * in core/desktop/app-protocol.ts. The scheme is registered as standard (real
 * origins, relative URLs) and secure (a secure context, like https).
 */
import { protocol, type Session } from 'electron';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP_SCHEME, answerAppRequest, contentSecurityPolicy } from './core/desktop/app-protocol.js';

/** Must run before the app is ready (Electron's rule for privileged schemes). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true } }]);
}

/** Answers app:// requests in `session` from `rendererDir` (dist/renderer). */
export function serveAppScheme(session: Session, rendererDir: string): void {
  const csp = contentSecurityPolicy(readFileSync(join(rendererDir, 'index.html'), 'utf8'));
  session.protocol.handle(APP_SCHEME, async (request) => {
    const answer = await answerAppRequest({ method: request.method, url: request.url }, rendererDir, csp);
    return new Response(answer.body, { status: answer.status, headers: answer.headers });
  });
}
