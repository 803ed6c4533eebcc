import type {
  ConnectAttempt,
  ConnectionReport,
  ConnectionStep,
  DnsLookup,
  ErrorInfo,
  TlsDetails,
} from '../../../preload/contract.js';
import { failedStep } from './failed-step.js';

/**
 * Collects what one sign-in saw, step by step, for the connection report
 * (preload/contract.ts ConnectionReport): the code that finds the server
 * records its DNS answers and each endpoint tried, the TLS code the session
 * it got, SASL the mechanism and channel binding, the session the features
 * and the server's software. A new sign-in starts a new record; the last one
 * is kept, so a failed sign-in can still be explained.
 */
export class ConnectionRecorder {
  #report: ConnectionReport = emptyReport();

  /** Starts the record of a new sign-in attempt (the DNS answers and endpoints start empty). */
  begin(): void {
    this.#report = emptyReport();
  }

  dns(lookup: DnsLookup): void {
    this.#report.dns.push(lookup);
  }

  attempt(attempt: ConnectAttempt): void {
    this.#report.attempts.push(attempt);
  }

  tls(details: TlsDetails): void {
    this.#report.tls = details;
  }

  sasl(mechanism: string, channelBinding: string | null): void {
    this.#report.sasl = { mechanism, channelBinding };
  }

  server(name: string, version: string): void {
    this.#report.server = { name, version };
  }

  features(features: Partial<ConnectionReport['features']>): void {
    this.#report.features = { ...this.#report.features, ...features };
  }

  /** Records why the sign-in failed; the step is taken from the code and how far the record got unless given. */
  failed(error: ErrorInfo, step?: ConnectionStep): void {
    const progress = { tls: this.#report.tls !== null, sasl: this.#report.sasl !== null };
    this.#report.failure = { code: error.code, message: error.message, step: step ?? failedStep(error.code, progress) };
  }

  /** Whether TLS details were recorded (code that knows less fills them only where nobody did). */
  hasTls(): boolean {
    return this.#report.tls !== null;
  }

  hasSasl(): boolean {
    return this.#report.sasl !== null;
  }

  succeeded(): void {
    this.#report.failure = null;
  }

  /** A copy of the record so far; `roster` is filled by whoever knows the roster. */
  report(roster: ConnectionReport['roster'] = { lastFullSync: null, spoofedPushes: 0 }): ConnectionReport {
    return structuredClone({ ...this.#report, roster });
  }
}

/** A report of no sign-in at all (no account yet). */
export function emptyReport(): ConnectionReport {
  return {
    dns: [],
    attempts: [],
    tls: null,
    sasl: null,
    server: null,
    features: { rosterVersioning: false, streamManagement: false, preApproval: false, blocking: false },
    roster: { lastFullSync: null, spoofedPushes: 0 },
    failure: null,
  };
}
