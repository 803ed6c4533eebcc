/** What `balcony-roster diagnose` prints: the connection report as JSON for scripts, or as text for a person. */
import type { ConnectionReport, ConnectionStep } from '../../preload/contract.js';
import { printable } from './cli-output.js';

/** One field from the network (a certificate name, the server's software, an error) on a text line. */
const f = (text: string): string => printable(text);

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** The stable JSON form: dns, attempts, tls, sasl, server, features, roster, failure, in this order. */
export function reportJson(account: string, report: ConnectionReport): string {
  return JSON.stringify({
    account,
    dns: report.dns.map((d) => ({ name: d.name, type: d.type, answers: d.answers, error: d.error })),
    attempts: report.attempts.map((a) => ({ host: a.host, port: a.port, tls: a.tls, ok: a.ok, error: a.error })),
    tls: report.tls && {
      version: report.tls.version,
      cipher: report.tls.cipher,
      certificate: {
        subject: report.tls.certificate.subject,
        issuer: report.tls.certificate.issuer,
        validTo: report.tls.certificate.validTo,
      },
    },
    sasl: report.sasl && { mechanism: report.sasl.mechanism, channelBinding: report.sasl.channelBinding },
    server: report.server && { name: report.server.name, version: report.server.version },
    features: { ...report.features },
    roster: { lastFullSync: iso(report.roster.lastFullSync), spoofedPushes: report.roster.spoofedPushes },
    failure: report.failure && {
      step: report.failure.step,
      code: report.failure.code,
      message: report.failure.message,
    },
  });
}

const STEP_WORDS: Record<ConnectionStep, string> = {
  dns: 'finding the server (DNS)',
  connect: 'connecting to the server',
  tls: 'securing the connection (TLS)',
  sasl: 'signing in (SASL)',
  session: 'starting the session',
};

const yesNo = (value: boolean): string => (value ? 'yes' : 'no');

export function reportText(account: string, report: ConnectionReport): string {
  const lines = [`Connection report for ${f(account)}`];
  lines.push(
    report.failure
      ? `Sign-in FAILED while ${STEP_WORDS[report.failure.step]}: ${f(report.failure.code)}: ${f(report.failure.message)}`
      : 'Signed in.',
  );

  lines.push(report.dns.length ? 'DNS:' : 'DNS: no lookups (a host was given, or the domain was used as it is)');
  for (const d of report.dns) {
    const answers = d.error ? `error: ${f(d.error)}` : d.answers.length ? d.answers.map(f).join('; ') : 'no answer';
    lines.push(`  ${f(d.name)} ${d.type}: ${answers}`);
  }

  lines.push(report.attempts.length ? 'Endpoints tried:' : 'Endpoints tried: none');
  for (const a of report.attempts) {
    const host = a.host.includes(':') ? `[${f(a.host)}]` : f(a.host);
    lines.push(
      `  ${host}:${a.port} (${a.tls === 'direct' ? 'Direct TLS' : 'STARTTLS'}): ${a.ok ? 'ok' : `failed: ${f(a.error ?? 'unknown error')}`}`,
    );
  }

  const tls = report.tls;
  lines.push(
    tls
      ? `TLS: ${f(tls.version)}, ${f(tls.cipher)}; certificate for ${f(tls.certificate.subject)}, issued by ${f(tls.certificate.issuer)}, valid until ${f(tls.certificate.validTo)}`
      : 'TLS: not established',
  );
  lines.push(
    report.sasl
      ? `Sign-in method: ${f(report.sasl.mechanism)}, ${report.sasl.channelBinding ? `channel binding ${f(report.sasl.channelBinding)}` : 'no channel binding'}`
      : 'Sign-in method: none completed',
  );
  lines.push(
    report.server
      ? `Server software: ${f(report.server.name)}${report.server.version ? ` ${f(report.server.version)}` : ''}`
      : 'Server software: not known (the server did not say)',
  );
  if (report.failure) {
    lines.push('Server features: not known (not signed in)');
  } else {
    const { rosterVersioning, streamManagement, preApproval, blocking } = report.features;
    lines.push(
      `Server features: roster versioning ${yesNo(rosterVersioning)}, stream management ${yesNo(streamManagement)}, ` +
        `pre-approval ${yesNo(preApproval)}, blocking ${yesNo(blocking)}`,
    );
  }
  const synced = iso(report.roster.lastFullSync);
  lines.push(`Roster: last full sync ${synced ?? 'never'}; spoofed pushes dropped: ${report.roster.spoofedPushes}`);
  return lines.join('\n');
}
