// The connection report (preload/contract.ts ConnectionReport) in plain
// words, for the "Account and connection" view and the sign-in screen.
import type {
  AccountSettings,
  ConnectAttempt,
  ConnectionReport,
  ConnectionStep,
  ErrorInfo,
} from '../../preload/contract.js';
import { signInErrorWords } from '../words.js';

export const STEP_WORDS: Record<ConnectionStep, string> = {
  dns: 'finding the server',
  connect: 'connecting to the server',
  tls: 'securing the connection',
  sasl: 'signing in',
  session: 'starting the session',
};

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dayFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

export function domainOf(jid: string): string {
  return jid.slice(jid.lastIndexOf('@') + 1);
}

export function endpointWords(attempt: Pick<ConnectAttempt, 'host' | 'port'>): string {
  return `${attempt.host.includes(':') ? `[${attempt.host}]` : attempt.host}:${attempt.port}`;
}

export function attemptWords(attempt: ConnectAttempt): string {
  const how = attempt.tls === 'direct' ? 'Direct TLS' : 'STARTTLS';
  return `${endpointWords(attempt)} (${how}): ${attempt.ok ? 'connected' : `failed — ${attempt.error ?? 'no reason given'}`}`;
}

/** How the server was found: SRV records, the address the user gave, or the domain itself. */
export function serverFoundWords(report: ConnectionReport, account: AccountSettings | null): string {
  const domain = account ? domainOf(account.jid) : '';
  const srv = report.dns.filter((d) => d.type === 'SRV' && d.answers.length > 0);
  if (srv.length > 0) return `DNS service records (${srv.map((d) => d.name).join(', ')})`;
  if (account?.host) return `the server you entered (${account.host}${account.port ? `:${account.port}` : ''})`;
  if (report.dns.some((d) => d.type === 'SRV')) return `the address of ${domain} itself (it has no service records)`;
  return domain ? `the address of ${domain} itself` : 'not known yet';
}

export function tlsWords(report: ConnectionReport): string {
  return report.tls ? `${report.tls.version}, ${report.tls.cipher}` : 'not established';
}

/** An ISO date (the certificate's expiry) as a day; the text as given when it is not a date. */
export function expiryWords(validTo: string): string {
  const time = Date.parse(validTo);
  return Number.isNaN(time) ? validTo : dayFormat.format(time);
}

export function saslWords(report: ConnectionReport): string {
  if (!report.sasl) return 'not completed';
  return report.sasl.channelBinding
    ? `${report.sasl.mechanism}, with channel binding (${report.sasl.channelBinding})`
    : `${report.sasl.mechanism}, without channel binding`;
}

export function serverSoftwareWords(report: ConnectionReport): string {
  if (!report.server) return 'not disclosed';
  return report.server.version ? `${report.server.name} ${report.server.version}` : report.server.name;
}

export function lastSyncWords(at: number | null): string {
  return at === null ? 'never' : dateFormat.format(at);
}

export function failureWords(report: ConnectionReport): string | null {
  const failure = report.failure;
  return failure ? `The last sign-in failed while ${STEP_WORDS[failure.step]}: ${failure.message}` : null;
}

/**
 * A failed sign-in in words that name the step: "No server found for
 * example.org", the endpoint that could not be reached, the certificate
 * problem. Uses the report only when it is about this very failure.
 */
export function signInFailureWords(error: ErrorInfo, report: ConnectionReport | null, jid: string): string {
  const base = signInErrorWords(error);
  const failure = report?.failure;
  if (!report || failure?.code !== error.code) return base;
  const failed = report.attempts.filter((a) => !a.ok);
  const last = failed.at(-1);
  switch (failure.step) {
    case 'dns':
      return `No server found for ${domainOf(jid)}: ${error.message}`;
    case 'connect': {
      if (!last) return base;
      const more =
        failed.length > 1
          ? ` (tried ${failed.length} addresses; the last one said: ${last.error})`
          : ` (${last.error})`;
      return `${base}: could not connect to ${endpointWords(last)}${more}`;
    }
    case 'tls':
      return last ? `${base} (at ${endpointWords(last)})` : base;
    default:
      return base;
  }
}
