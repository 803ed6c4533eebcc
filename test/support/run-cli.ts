/** Runs the built balcony-roster (dist/, as `npm run roster` runs it) as a child process. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../dist/main/cli/roster.js', import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Resolves when the command exits; kills it and rejects after timeoutMs (default 30 s). */
export function runCli(args: string[], options: { password?: string; timeoutMs?: number } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env };
    delete env.BALCONY_PASSWORD;
    if (options.password !== undefined) env.BALCONY_PASSWORD = options.password;
    const started = Date.now();
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`balcony-roster ${args.join(' ')} timed out\n${stderr}`));
    }, options.timeoutMs ?? 30_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** The options that point the command at juliet@localhost on a loopback test server, trusting its CA. */
export function accountArgs(server: { port: number; caFile: string }): string[] {
  return [
    '--account',
    'juliet@localhost',
    '--host',
    '127.0.0.1',
    '--port',
    String(server.port),
    '--ca-file',
    server.caFile,
  ];
}
