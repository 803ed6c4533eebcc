/**
 * Real XMPP servers for integration tests: Debian's Prosody 0.12 and
 * ejabberd 23.01, each on a free loopback port with a throwaway data
 * directory, its own configuration, and the test CA's localhost certificate.
 *
 * How the processes are run (see /work/shared/SERVERS.md):
 * - As root, each server is started directly as its own system user through
 *   `setpriv --reuid/--regid --init-groups` (util-linux), with
 *   `--pdeathsig SIGKILL`, so the kernel kills the server even if the test
 *   process itself is SIGKILLed. `setpriv` execs, so the child's pid is the
 *   server's pid (Prosody's lua, or ejabberd's beam.smp, since `erl` execs
 *   `erlexec`, which execs the VM). Without setpriv, Node's uid/gid spawn
 *   options are used instead (no parent-death signal then).
 * - A process 'exit' handler (and SIGINT/SIGTERM/SIGHUP handlers) SIGKILL
 *   every server still running and remove the data directories.
 *
 * epmd: ejabberd's VM is started WITHOUT epmd. Erlang/OTP 25 (Debian 12)
 * supports `-erl_epmd_port <port> -start_epmd false`: the node listens for
 * distribution on that fixed port (loopback only, `inet_dist_use_interface`),
 * and ejabberdctl reaches it with the same port (`ERL_DIST_PORT` in a private
 * ejabberdctl config, which makes it pass `-erl_epmd_port <port>
 * -start_epmd false -dist_listen false`). So no epmd is started at all and
 * parallel servers share nothing. (ERL_EPMD_PORT=<own port> also works here:
 * it starts a private `epmd -daemon` on that port, which outlives the VM and
 * would have to be killed by pid; the epmd-less mode avoids that.) As a
 * safety net, both the VM and ejabberdctl still get ERL_EPMD_PORT set to a
 * port of our own, and stop() kills any epmd whose environment carries it.
 * A random cookie is passed with -setcookie, so ~ejabberd/.erlang.cookie is
 * neither read nor created.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { certificateFor, testCertificates } from './test-ca.js';

export interface TestServer {
  kind: 'prosody' | 'ejabberd';
  host: '127.0.0.1';
  /** c2s port, a free loopback port picked at start */
  port: number;
  /** The VirtualHost: 'localhost' unless a test asked for another. */
  domain: string;
  /** Prosody's Direct TLS (XEP-0368) port, when asked for with `directTls`. */
  directTlsPort?: number;
  /** CA that signed the server's certificate (client must verify against it) */
  caFile: string;
  /** true when STARTTLS is offered and REQUIRED by the server */
  tls: boolean;
  /** Creates the account, or sets its password if it exists already. */
  register(user: string, password: string): Promise<void>;
  unregister?(user: string): Promise<void>;
  /** stops the server, and for ejabberd also any epmd of its own; removes the data dir */
  stop(): Promise<void>;
  /** stop and start again on the same port with the same data (for offline/reconnect tests) */
  restart(): Promise<void>;
  /** SIGSTOP / SIGCONT the server process */
  pause?(): void;
  resume?(): void;
  /** Stops the server but keeps its data and port, until up(): "the server is down". */
  down?(): Promise<void>;
  up?(): Promise<void>;
}

const START_TIMEOUT_MS = 30_000;
const POLL_MS = 100;
const STOP_GRACE_MS = 10_000;
const KILL_WAIT_MS = 5_000;
const CTL_TIMEOUT_MS = 20_000;
/** prosody(ctl), ejabberdctl (in /usr/sbin), erl and setpriv must be found even with a user's PATH. */
const SERVER_PATH = [process.env.PATH, '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin']
  .filter(Boolean)
  .join(':');

// ---------------------------------------------------------------------------
// Process bookkeeping: nothing may outlive the test process.

interface Managed {
  child: ChildProcess;
  exited: boolean;
  exitInfo: string;
  exitPromise: Promise<void>;
}

const liveChildren = new Set<Managed>();
const liveDirs = new Set<string>();
let handlersInstalled = false;

function killAllSync(): void {
  for (const m of liveChildren) {
    if (!m.exited && m.child.pid !== undefined) {
      try {
        process.kill(m.child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  }
  liveChildren.clear();
  for (const dir of liveDirs) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      /* best effort */
    }
  }
  liveDirs.clear();
}

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', killAllSync);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      killAllSync();
      // Keep the default behaviour (die by the signal) unless someone else
      // also listens and decides what to do.
      if (process.listenerCount(sig) === 1) {
        process.removeListener(sig, onSignal);
        process.kill(process.pid, sig);
      }
    };
    process.on(sig, onSignal);
  }
}

// ---------------------------------------------------------------------------
// Small helpers.

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A free TCP port on 127.0.0.1 (bind port 0, read it, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port > 0 ? resolve(port) : reject(new Error('no port'))));
    });
  });
}

/** Whether something accepts a TCP connection on 127.0.0.1:port (1 s max). */
export function portAccepts(port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      sock.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}

interface UserIds {
  name: string;
  uid: number;
  gid: number;
}

function systemUser(name: string): UserIds {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`));
  const f = line?.split(':');
  if (!f || f.length < 4) throw new Error(`system user "${name}" not found (is the package installed?)`);
  return { name, uid: Number(f[2]), gid: Number(f[3]) };
}

const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

function hasSetpriv(): boolean {
  return existsSync('/usr/bin/setpriv') || existsSync('/bin/setpriv');
}

/**
 * Command line running `cmd args` as `user` (when we are root), optionally
 * with a parent-death SIGKILL. Returns [file, args, extra spawn options].
 */
function asUser(
  user: UserIds | undefined,
  cmd: string,
  args: string[],
  pdeathsig: boolean,
): [string, string[], { uid?: number; gid?: number }] {
  if (hasSetpriv() && (user || pdeathsig)) {
    const pre: string[] = [];
    if (user) pre.push(`--reuid=${user.uid}`, `--regid=${user.gid}`, '--init-groups');
    if (pdeathsig) pre.push('--pdeathsig', 'SIGKILL');
    return ['setpriv', [...pre, '--', cmd, ...args], {}];
  }
  return [cmd, args, user ? { uid: user.uid, gid: user.gid } : {}];
}

interface RunResult {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

/** Runs a short command to completion (bounded by a timeout). Never rejects on exit status. */
function run(
  file: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; cwd?: string; uid?: number; gid?: number; timeoutMs?: number },
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: opts.cwd,
      env: opts.env,
      uid: opts.uid,
      gid: opts.gid,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? CTL_TIMEOUT_MS);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

function tailOf(file: string, maxLines = 40): string {
  try {
    const size = statSync(file).size;
    const len = Math.min(size, 16_384);
    const buf = Buffer.alloc(len);
    const fd = openSync(file, 'r');
    try {
      readSync(fd, buf, 0, len, size - len);
    } finally {
      closeSync(fd);
    }
    const lines = buf.toString('utf8').split('\n');
    return `--- ${file} (tail) ---\n${lines.slice(-maxLines).join('\n')}`;
  } catch {
    return `--- ${file}: (missing) ---`;
  }
}

function chownR(dir: string, user: UserIds | undefined): void {
  if (!user || !isRoot()) return;
  execFileSync('chown', ['-R', `${user.uid}:${user.gid}`, dir]);
}

function spawnServer(
  file: string,
  args: string[],
  spawnOpts: { uid?: number; gid?: number },
  env: NodeJS.ProcessEnv,
  cwd: string,
  logFile: string,
): Managed {
  installHandlers();
  const out = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(file, args, { cwd, env, stdio: ['ignore', out, out], ...spawnOpts });
  } finally {
    closeSync(out);
  }
  let resolveExit!: () => void;
  const m: Managed = {
    child,
    exited: false,
    exitInfo: '',
    exitPromise: new Promise<void>((r) => {
      resolveExit = r;
    }),
  };
  const onGone = (info: string): void => {
    if (m.exited) return;
    m.exited = true;
    m.exitInfo = info;
    liveChildren.delete(m);
    resolveExit();
  };
  child.on('exit', (code, signal) => onGone(`exited with code ${code} signal ${signal}`));
  child.on('error', (e) => onGone(`failed to start: ${e.message}`));
  liveChildren.add(m);
  return m;
}

/** SIGTERM (after SIGCONT, in case it is paused), bounded wait, then SIGKILL. */
async function stopProcess(m: Managed | undefined): Promise<void> {
  if (!m || m.exited || m.child.pid === undefined) return;
  const pid = m.child.pid;
  const waitExit = async (ms: number): Promise<boolean> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((r) => {
      timer = setTimeout(() => r(false), ms);
    });
    try {
      return await Promise.race([m.exitPromise.then(() => true), timeout]);
    } finally {
      clearTimeout(timer);
    }
  };
  try {
    process.kill(pid, 'SIGTERM');
    process.kill(pid, 'SIGCONT');
  } catch {
    /* gone */
  }
  if (await waitExit(STOP_GRACE_MS)) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* gone */
  }
  if (!(await waitExit(KILL_WAIT_MS))) {
    throw new Error(`server process ${pid} did not exit after SIGKILL`);
  }
}

/** Read through a call: the process may exit while waitReady awaits, which narrowing on `m.exited` would hide. */
function hasExited(m: Managed): boolean {
  return m.exited;
}

/**
 * Bounded wait: resolves when `ready()` is true; throws (with the logs' tail)
 * when `ready()` throws, the process exits first, or the time runs out.
 */
async function waitReady(what: string, m: Managed, logs: string[], ready: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  const maxPolls = Math.ceil(START_TIMEOUT_MS / POLL_MS);
  for (let i = 0; i < maxPolls && Date.now() < deadline; i++) {
    if (hasExited(m)) {
      throw new Error(`${what} exited during start-up (${m.exitInfo})\n${logs.map((f) => tailOf(f)).join('\n')}`);
    }
    let isReady: boolean;
    try {
      isReady = await ready();
    } catch (e) {
      throw new Error(`${what} failed to start: ${(e as Error).message}\n${logs.map((f) => tailOf(f)).join('\n')}`, {
        cause: e,
      });
    }
    if (isReady && !hasExited(m)) return;
    await sleep(POLL_MS);
  }
  throw new Error(`${what} not ready after ${START_TIMEOUT_MS} ms\n${logs.map((f) => tailOf(f)).join('\n')}`);
}

// ---------------------------------------------------------------------------
// Prosody

const PROSODY_MODULES_DIR = '/usr/lib/prosody/modules';

function prosodyModuleExists(name: string): boolean {
  return (
    existsSync(join(PROSODY_MODULES_DIR, `mod_${name}.lua`)) || existsSync(join(PROSODY_MODULES_DIR, `mod_${name}`))
  );
}

const lua = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

export interface ProsodyOptions {
  tls?: boolean;
  /** The VirtualHost (the JIDs' domain, in A-labels). Default 'localhost'. */
  domain?: string;
  /** The names of the certificate it presents. Default: the test CA's localhost certificate. */
  certificateNames?: string[];
  /** Also listen for Direct TLS (`c2s_direct_tls_ports`) on a second free port. */
  directTls?: boolean;
  /** Prosody's `password_hash`: 'SHA-256' stores and offers SCRAM-SHA-256 only (and PLAIN). Default: Prosody's own (SHA-1). */
  passwordHash?: 'SHA-1' | 'SHA-256';
  /**
   * Prosody loads mod_offline by itself (it is not in modules_enabled): messages sent while no
   * resource is online are stored and flooded to the next session, beside the archive. false
   * disables it, so that only the archive catch-up (XEP-0313) can bring them. Default: loaded.
   */
  offline?: boolean;
}

export async function startProsody(opts: ProsodyOptions = {}): Promise<TestServer> {
  const tls = opts.tls ?? true;
  const domain = opts.domain ?? 'localhost';
  const certs = opts.certificateNames
    ? { caCertFile: testCertificates().caCertFile, ...certificateFor(opts.certificateNames) }
    : testCertificates();
  const directTlsPort = opts.directTls ? await freePort() : undefined;
  const user = isRoot() ? systemUser('prosody') : undefined;
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'balcony-prosody-'));
  liveDirs.add(dir);
  const dataDir = join(dir, 'data');
  const certDir = join(dir, 'certs');
  mkdirSync(dataDir);
  mkdirSync(certDir);
  // Named after the host: where Prosody looks for the certificate of Direct TLS connections too.
  const certFile = join(certDir, `${domain}.crt`);
  const keyFile = join(certDir, `${domain}.key`);
  if (tls) {
    copyFileSync(certs.certFile, certFile);
    copyFileSync(certs.keyFile, keyFile);
  }
  const configFile = join(dir, 'prosody.cfg.lua');
  const logFile = join(dir, 'prosody.log');
  const stdoutFile = join(dir, 'stdout.log');

  const modules = ['roster', 'saslauth', 'disco', 'ping', 'presence'];
  if (tls) modules.push('tls');
  // mam and carbons: conversations (issue 10) read the archive and see our other devices' messages.
  for (const optional of ['smacks', 'blocklist', 'version', 'mam', 'carbons']) {
    if (prosodyModuleExists(optional)) modules.push(optional);
  }
  const config = [
    '-- Generated by test/support/xmpp-servers.ts',
    `pidfile = ${lua(join(dir, 'prosody.pid'))}`,
    `data_path = ${lua(dataDir)}`,
    `certificates = ${lua(certDir)}`,
    `log = { info = ${lua(logFile)} }`,
    'interfaces = { "127.0.0.1" }',
    'local_interfaces = { "127.0.0.1" }',
    `c2s_ports = { ${port} }`,
    'c2s_interfaces = { "127.0.0.1" }',
    `c2s_direct_tls_ports = { ${directTlsPort ?? ''} }`,
    ...(directTlsPort ? ['c2s_direct_tls_interfaces = { "127.0.0.1" }'] : []),
    'legacy_ssl_ports = {}',
    's2s_ports = {}',
    'http_ports = {}',
    'https_ports = {}',
    `modules_enabled = { ${modules.map(lua).join(', ')} }`,
    `modules_disabled = { "s2s"${opts.offline === false ? ', "offline"' : ''} }`,
    'allow_registration = false',
    'authentication = "internal_hashed"',
    ...(opts.passwordHash ? [`password_hash = ${lua(opts.passwordHash)}`] : []),
    'storage = "internal"',
    // Archive every one-to-one message, for good (the tests' archives are throwaway).
    'default_archive_policy = true',
    'archive_expires_after = "never"',
    `c2s_require_encryption = ${tls ? 'true' : 'false'}`,
    '',
    `VirtualHost ${lua(domain)}`,
    tls ? `  ssl = { certificate = ${lua(certFile)}, key = ${lua(keyFile)} }` : '',
    '',
  ].join('\n');
  writeFileSync(configFile, config);
  chownR(dir, user);

  const env: NodeJS.ProcessEnv = { PATH: SERVER_PATH, HOME: dir, LANG: 'C.UTF-8' };
  let proc: Managed | undefined;
  let stopped = false;

  const start = async (): Promise<void> => {
    const [file, args, spawnOpts] = asUser(user, 'prosody', ['-F', '--config', configFile], true);
    proc = spawnServer(file, args, spawnOpts, env, dir, stdoutFile);
    const m = proc;
    // Port open AND our own Prosody says it activated c2s on it (so that a
    // stranger that grabbed the port in between is not mistaken for us).
    const activated = `Activated service 'c2s' on [127.0.0.1]:${port}`;
    let logOffset = 0;
    try {
      logOffset = statSync(logFile).size;
    } catch {
      /* first start */
    }
    await waitReady('prosody', m, [logFile, stdoutFile], async () => {
      let log: string;
      try {
        log = readFileSync(logFile, 'utf8').slice(logOffset);
      } catch {
        return false;
      }
      // Prosody keeps running when it cannot bind its port: fail fast instead.
      const bindError = /Failed to open server port[^\n]*/.exec(log);
      if (bindError) throw new Error(bindError[0]);
      return (
        log.includes(activated) &&
        (await portAccepts(port)) &&
        (directTlsPort === undefined || (await portAccepts(directTlsPort)))
      );
    });
  };

  const ctl = async (args: string[]): Promise<RunResult> => {
    const [file, a, spawnOpts] = asUser(user, 'prosodyctl', ['--config', configFile, ...args], false);
    return run(file, a, { env, cwd: dir, ...spawnOpts });
  };

  try {
    await start();
  } catch (e) {
    await stopProcess(proc).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    liveDirs.delete(dir);
    throw e;
  }

  return {
    kind: 'prosody',
    host: '127.0.0.1',
    port,
    domain,
    directTlsPort,
    caFile: certs.caCertFile,
    tls,
    async register(name, password) {
      const r = await ctl(['register', name, domain, password]);
      if (r.code !== 0) throw new Error(`prosodyctl register ${name} failed (${r.code}): ${r.stdout}${r.stderr}`);
    },
    async unregister(name) {
      const r = await ctl(['deluser', `${name}@${domain}`]);
      if (r.code !== 0) throw new Error(`prosodyctl deluser ${name} failed (${r.code}): ${r.stdout}${r.stderr}`);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await stopProcess(proc);
      rmSync(dir, { recursive: true, force: true });
      liveDirs.delete(dir);
    },
    async restart() {
      if (stopped) throw new Error('prosody: restart() after stop()');
      await stopProcess(proc);
      await start();
    },
    async down() {
      if (stopped) throw new Error('prosody: down() after stop()');
      await stopProcess(proc);
    },
    async up() {
      if (stopped) throw new Error('prosody: up() after stop()');
      await start();
    },
    pause() {
      if (proc?.child.pid && !proc.exited) process.kill(proc.child.pid, 'SIGSTOP');
    },
    resume() {
      if (proc?.child.pid && !proc.exited) process.kill(proc.child.pid, 'SIGCONT');
    },
  };
}

// ---------------------------------------------------------------------------
// ejabberd

/** Directory that holds ejabberd-<version>/ (ERL_LIBS), taken from ejabberdctl. */
function ejabberdErlLibs(): string {
  try {
    const m = /^ERL_LIBS='([^']+)'/m.exec(readFileSync('/usr/sbin/ejabberdctl', 'utf8'));
    if (m?.[1]) return m[1];
  } catch {
    /* fall through */
  }
  for (const entry of readdirSync('/usr/lib')) {
    const p = join('/usr/lib', entry);
    try {
      if (readdirSync(p).some((n) => n.startsWith('ejabberd-'))) return p;
    } catch {
      /* not a dir */
    }
  }
  throw new Error('ejabberd libraries not found (is the ejabberd package installed?)');
}

/** Kills (by pid) any epmd started with ERL_EPMD_PORT=<port>, i.e. one of ours. */
function killOwnEpmd(epmdPort: number): void {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((n) => /^\d+$/.test(n));
  } catch {
    return;
  }
  for (const pid of pids) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'epmd') continue;
      const env = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      if (env.includes(`ERL_EPMD_PORT=${epmdPort}`)) process.kill(Number(pid), 'SIGKILL');
    } catch {
      /* gone or not ours to read */
    }
  }
}

let ejabberdCounter = 0;

export async function startEjabberd(opts: { tls?: boolean; rosterVersioning?: boolean } = {}): Promise<TestServer> {
  const tls = opts.tls ?? true;
  const rosterVersioning = opts.rosterVersioning ?? true;
  const certs = testCertificates();
  const user = isRoot() ? systemUser('ejabberd') : undefined;
  const erlLibs = ejabberdErlLibs();
  const port = await freePort();
  const epmdPort = await freePort(); // only a safety net: no epmd should ever start
  const dir = mkdtempSync(join(tmpdir(), 'balcony-ejabberd-'));
  liveDirs.add(dir);
  const dbDir = join(dir, 'db');
  mkdirSync(dbDir);
  const certFile = join(dir, 'localhost.pem');
  if (tls) copyFileSync(certs.combinedFile, certFile);
  const configFile = join(dir, 'ejabberd.yml');
  const ctlConfigFile = join(dir, 'ejabberdctl.cfg');
  const logFile = join(dir, 'ejabberd.log');
  const errorLogFile = join(dir, 'error.log');
  const stdoutFile = join(dir, 'stdout.log');
  // One node name per server (kept across restart(): Mnesia's schema belongs to the node name).
  const node = `balcony_ej_${process.pid}_${++ejabberdCounter}_${randomBytes(3).toString('hex')}@localhost`;
  const cookie = randomBytes(16).toString('hex');
  const q = (s: string): string => JSON.stringify(s);

  const yml = [
    '# Generated by test/support/xmpp-servers.ts',
    'hosts: [localhost]',
    'loglevel: info',
    'log_rotate_count: 0',
    ...(tls ? [`certfiles: [${q(certFile)}]`] : []),
    'listen:',
    `  - port: ${port}`,
    '    ip: "127.0.0.1"',
    '    module: ejabberd_c2s',
    `    starttls: ${tls}`,
    `    starttls_required: ${tls}`,
    '    max_stanza_size: 262144',
    'auth_method: internal',
    'default_db: mnesia',
    'modules:',
    `  mod_roster: {versioning: ${rosterVersioning}}`,
    '  mod_disco: {}',
    '  mod_ping: {}',
    '  mod_stream_mgmt: {}',
    '  mod_privacy: {}', // mod_blocking depends on it (23.01 refuses to start otherwise)
    '  mod_blocking: {}',
    '  mod_admin_extra: {}', // ejabberdctl change_password (register() of an existing account)
    // ejabberd archives nothing unless the default is "always".
    '  mod_mam: {default: always, db_type: mnesia}',
    '  mod_carboncopy: {}',
    '',
  ].join('\n');
  writeFileSync(configFile, yml);
  writeFileSync(join(dir, 'inetrc'), '{lookup,["file","native"]}.\n{host,{127,0,0,1}, ["localhost"]}.\n');
  chownR(dir, user);

  const baseEnv: NodeJS.ProcessEnv = {
    PATH: SERVER_PATH,
    HOME: dir,
    LANG: 'C.UTF-8',
    ERL_EPMD_ADDRESS: '127.0.0.1',
    ERL_EPMD_PORT: String(epmdPort),
    ERL_CRASH_DUMP_BYTES: '0',
    ERL_INETRC: join(dir, 'inetrc'),
  };
  let proc: Managed | undefined;
  let distPort = 0;
  let stopped = false;

  const ctl = async (args: string[], timeoutMs = CTL_TIMEOUT_MS): Promise<RunResult> => {
    const [file, a, spawnOpts] = asUser(
      user,
      'ejabberdctl',
      ['--config-dir', dir, '--ctl-config', ctlConfigFile, '--spool', dir, '--logs', dir, '--node', node, ...args],
      false,
    );
    return run(file, a, { env: baseEnv, cwd: dir, timeoutMs, ...spawnOpts });
  };

  const start = async (): Promise<void> => {
    distPort = await freePort();
    // Sourced by ejabberdctl: same cookie and distribution port as the VM, no epmd.
    writeFileSync(
      ctlConfigFile,
      [
        `ERL_OPTIONS="-setcookie ${cookie}"`,
        `ERL_DIST_PORT=${distPort}`,
        `EJABBERD_CONFIG_PATH=${configFile}`,
        '',
      ].join('\n'),
    );
    chownR(ctlConfigFile, user);
    const env: NodeJS.ProcessEnv = {
      ...baseEnv,
      ERL_LIBS: erlLibs,
      EJABBERD_CONFIG_PATH: configFile,
      EJABBERD_LOG_PATH: logFile,
    };
    const args = [
      '-sname',
      node,
      '-setcookie',
      cookie,
      '-erl_epmd_port',
      String(distPort),
      '-start_epmd',
      'false',
      '-noshell',
      '-noinput',
      '-kernel',
      'inet_dist_use_interface',
      '{127,0,0,1}',
      '-mnesia',
      'dir',
      `"${dbDir}"`,
      '-ejabberd',
      'log_rotate_count',
      '0',
      '-s',
      'ejabberd',
    ];
    const [file, a, spawnOpts] = asUser(user, 'erl', args, true);
    proc = spawnServer(file, a, spawnOpts, env, dir, stdoutFile);
    // Port open, then the node answers ejabberdctl with the auth backend up
    // (which is what register() needs); ejabberdctl lags the port a little.
    await waitReady('ejabberd', proc, [logFile, errorLogFile, stdoutFile], async () => {
      if (!(await portAccepts(port))) return false;
      const r = await ctl(['registered_users', 'localhost'], 10_000);
      return r.code === 0;
    });
  };

  const ctlRetrying = async (args: string[], ok: (r: RunResult) => boolean): Promise<RunResult> => {
    let r: RunResult | undefined;
    for (let attempt = 0; attempt < 5; attempt++) {
      r = await ctl(args);
      if (ok(r) || !/nodedown|not started|not running/i.test(r.stdout + r.stderr)) return r;
      await sleep(500);
    }
    return r!;
  };

  try {
    await start();
  } catch (e) {
    await stopProcess(proc).catch(() => undefined);
    killOwnEpmd(epmdPort);
    rmSync(dir, { recursive: true, force: true });
    liveDirs.delete(dir);
    throw e;
  }

  return {
    kind: 'ejabberd',
    host: '127.0.0.1',
    port,
    domain: 'localhost',
    caFile: certs.caCertFile,
    tls,
    async register(name, password) {
      let r = await ctlRetrying(['register', name, 'localhost', password], (x) => x.code === 0);
      if (r.code !== 0 && /already registered/i.test(r.stdout + r.stderr)) {
        // Same semantics as prosodyctl register: set the password of an existing account.
        r = await ctlRetrying(['change_password', name, 'localhost', password], (x) => x.code === 0);
      }
      if (r.code !== 0) throw new Error(`ejabberdctl register ${name} failed (${r.code}): ${r.stdout}${r.stderr}`);
    },
    async unregister(name) {
      const r = await ctlRetrying(['unregister', name, 'localhost'], (x) => x.code === 0);
      if (r.code !== 0) throw new Error(`ejabberdctl unregister ${name} failed (${r.code}): ${r.stdout}${r.stderr}`);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await stopProcess(proc);
      killOwnEpmd(epmdPort);
      rmSync(dir, { recursive: true, force: true });
      liveDirs.delete(dir);
    },
    async restart() {
      if (stopped) throw new Error('ejabberd: restart() after stop()');
      await stopProcess(proc);
      await start();
    },
    pause() {
      if (proc?.child.pid && !proc.exited) process.kill(proc.child.pid, 'SIGSTOP');
    },
    resume() {
      if (proc?.child.pid && !proc.exited) process.kill(proc.child.pid, 'SIGCONT');
    },
  };
}
