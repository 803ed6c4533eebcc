/** Command-line parsing for balcony-roster; usage errors are 'invalid-argument'. */
import { isIP } from 'node:net';
import { parseArgs } from 'node:util';
import { MESSAGE_LIMITS } from '../../preload/contract.js';
import { BalconyError } from '../core/errors.js';

export const COMMANDS = [
  'list',
  'sync',
  'watch',
  'add',
  'update',
  'remove',
  'requests',
  'approve',
  'deny',
  'block',
  'unblock',
  'blocked',
  'denied',
  'undeny',
  'diagnose',
  'send',
  'history',
] as const;
export type Command = (typeof COMMANDS)[number];

export const USAGE = `usage: balcony-roster <command> --account <bare JID> [options]
commands:
  list                                   print the cached roster (no network)
  sync                                   sign in, retrieve the roster, catch up the message
                                         archive (how many messages arrived), print the
                                         roster, sign out
  watch --for <seconds>                  stay online and print each roster change and each
                                         message as a JSON line
  send <jid> <text>                      send a message (queued when the server is not
                                         reachable, sent by the next command that signs in)
  history <jid> [--limit N] [--before <id>]
                                         print the saved conversation, oldest first (no
                                         network; --limit default 50, at most 500; --before:
                                         only messages older than that one)
  add <jid> [--name N] [--group G]... [--subscribe]
                                         add a contact (--subscribe: and ask to see their presence)
  update <jid> [--name N] [--group G]... rename or regroup (given groups replace the old ones)
  remove <jid>                           remove a contact (both stop seeing each other)
  requests [--wait <seconds>]            sign in and print who asks to see your presence
                                         (what the server re-sends at sign-in, plus what
                                         arrives within --wait, default 2)
  approve <jid> [--no-ask-back]          let them see your presence, and ask to see theirs
  deny <jid>                             refuse; later requests from them are not shown
  block <jid>                            block a contact or a server (XEP-0191): no messages,
                                         presence or requests from them
  unblock <jid>                          unblock them again
  blocked                                print the saved blocklist (no network), with blocks
                                         and unblocks waiting to be sent, and refused ones
  denied                                 print the denied requests (no network)
  undeny <jid>                           undo a denial: their next request is shown (no network)
  diagnose                               sign in and print how: DNS answers, endpoints tried,
                                         TLS, sign-in method, server software and features,
                                         roster figures; changes nothing (no edits sent, no
                                         presence, no roster retrieval); on failure it names
                                         the step that failed
options:
  --account <jid>  --data-dir <dir>  --host <host>  --port <n>  --resource <name>
  --direct-tls     with --host/--port: TLS from the first byte (XEP-0368), not STARTTLS
  --dns <ip>[:<port>]  ask this DNS server (repeatable) instead of the system's
  --ca-file <pem>  --allow-plaintext-loopback  --json  --verbose
  --accept-downgrade  sign in although the server now offers a weaker method
                      than before (refused otherwise: auth-downgrade)
Without --host/--port the server is found from the domain's DNS SRV records.
The password comes from BALCONY_PASSWORD, or is asked on a terminal.`;

export interface CliOptions {
  command: Command;
  jid?: string;
  account: string;
  dataDir?: string;
  host?: string;
  port?: number;
  /** --direct-tls: Direct TLS to --host/--port (the domain on 5223 without them). */
  directTls: boolean;
  /** --dns: DNS servers as `ip:port` for Resolver.setServers. */
  dnsServers?: string[];
  resource?: string;
  caFile?: string;
  allowPlaintextLoopback: boolean;
  /** Sign in although the server offers less than before (auth-downgrade otherwise). */
  acceptDowngrade: boolean;
  json: boolean;
  verbose: boolean;
  name?: string;
  groups?: string[];
  forSeconds?: number;
  /** add: also ask for the contact's presence. */
  subscribe: boolean;
  /** approve: ask for their presence in return (default). */
  askBack: boolean;
  /** requests: how long to listen for live requests after the server's re-sends. */
  waitSeconds?: number;
  /** send: the message. */
  text?: string;
  /** history: how many messages, and older than which one. */
  limit?: number;
  before?: string;
}

const WITH_JID = new Set<string>([
  'add',
  'update',
  'remove',
  'approve',
  'deny',
  'block',
  'unblock',
  'undeny',
  'send',
  'history',
]);
/** history without --limit. */
export const DEFAULT_HISTORY_LIMIT = 50;

function usage(message: string): BalconyError {
  return new BalconyError('invalid-argument', `${message} See balcony-roster --help.`);
}

export function parseCli(argv: string[]): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        account: { type: 'string' },
        'data-dir': { type: 'string' },
        host: { type: 'string' },
        port: { type: 'string' },
        'direct-tls': { type: 'boolean', default: false },
        dns: { type: 'string', multiple: true },
        resource: { type: 'string' },
        'ca-file': { type: 'string' },
        'allow-plaintext-loopback': { type: 'boolean', default: false },
        'accept-downgrade': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        verbose: { type: 'boolean', default: false },
        name: { type: 'string' },
        group: { type: 'string', multiple: true },
        for: { type: 'string' },
        subscribe: { type: 'boolean', default: false },
        'no-ask-back': { type: 'boolean', default: false },
        wait: { type: 'string' },
        limit: { type: 'string' },
        before: { type: 'string' },
        password: { type: 'string' },
      },
    });
  } catch (error) {
    throw usage((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.password !== undefined) {
    throw usage(
      'The password is never taken on the command line (it would show in the process list); set BALCONY_PASSWORD.',
    );
  }
  const [command, jid, ...rest] = positionals;
  // send takes the message as one more argument (quoted, if it has spaces)
  const text = command === 'send' ? rest.shift() : undefined;
  const extra = rest;
  if (command === 'send' && jid !== undefined && text === undefined)
    throw usage('send needs the message text after the address (in quotes if it has spaces).');
  if (!command || !(COMMANDS as readonly string[]).includes(command))
    throw usage(`Unknown command ${JSON.stringify(command ?? '')}.`);
  if (!values.account) throw usage('--account is required.');
  const needsJid = WITH_JID.has(command);
  if (needsJid && !jid) throw usage(`${command} needs a contact address.`);
  if ((!needsJid && jid !== undefined) || extra.length > 0)
    throw usage(`Unexpected argument ${JSON.stringify(needsJid ? extra[0] : jid)}.`);
  if ((values.name !== undefined || values.group !== undefined) && command !== 'add' && command !== 'update') {
    throw usage('--name and --group go with add and update.');
  }
  if (values.subscribe && command !== 'add') throw usage('--subscribe goes with add.');
  if (values['no-ask-back'] && command !== 'approve') throw usage('--no-ask-back goes with approve.');
  if (values.wait !== undefined && command !== 'requests') throw usage('--wait goes with requests.');
  if ((values.limit !== undefined || values.before !== undefined) && command !== 'history')
    throw usage('--limit and --before go with history.');
  let limit: number | undefined;
  if (command === 'history') {
    limit = values.limit === undefined ? DEFAULT_HISTORY_LIMIT : Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > MESSAGE_LIMITS.pageSize)
      throw usage(`--limit must be a number from 1 to ${MESSAGE_LIMITS.pageSize}.`);
  }
  if (values.before === '') throw usage('--before needs the id of a message.');
  let waitSeconds: number | undefined;
  if (command === 'requests') {
    waitSeconds = values.wait === undefined ? 2 : Number(values.wait);
    if (!Number.isFinite(waitSeconds) || waitSeconds < 0 || waitSeconds > 600)
      throw usage('--wait must be a number of seconds from 0 to 600.');
  }
  let port: number | undefined;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw usage('--port must be a number from 1 to 65535.');
  }
  const dnsServers = values.dns?.map(parseDnsServer);
  let forSeconds: number | undefined;
  if (command === 'watch') {
    forSeconds = Number(values.for);
    if (values.for === undefined || !Number.isFinite(forSeconds) || forSeconds <= 0)
      throw usage('watch needs --for <seconds>.');
  }
  return {
    command: command as Command,
    jid,
    account: values.account,
    dataDir: values['data-dir'],
    host: values.host,
    port,
    directTls: values['direct-tls'],
    dnsServers,
    resource: values.resource,
    caFile: values['ca-file'],
    allowPlaintextLoopback: values['allow-plaintext-loopback'],
    acceptDowngrade: values['accept-downgrade'],
    json: values.json,
    verbose: values.verbose,
    name: values.name,
    groups: values.group,
    forSeconds,
    subscribe: values.subscribe,
    askBack: !values['no-ask-back'],
    waitSeconds,
    text,
    limit,
    before: values.before,
  };
}

/** `ip`, `ip:port` or `[v6]:port` (a bare v6 address too) as Resolver.setServers takes it. */
export function parseDnsServer(value: string): string {
  const bad = (): BalconyError =>
    usage(
      `--dns takes an IP address and an optional port, like 127.0.0.1:5353 or [::1]:53; not ${JSON.stringify(value)}.`,
    );
  let host = value;
  let port = '53';
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(value);
  if (bracketed) {
    host = bracketed[1] ?? ''; // the group is not optional: always there on a match
    port = bracketed[2] ?? '53';
  } else if (isIP(value) !== 6 && value.includes(':')) {
    [host, port] = value.split(':') as [string, string];
  }
  const portNumber = Number(port);
  if (!isIP(host) || !/^\d+$/.test(port) || portNumber < 1 || portNumber > 65535) throw bad();
  return isIP(host) === 6 ? `[${host}]:${portNumber}` : `${host}:${portNumber}`;
}
