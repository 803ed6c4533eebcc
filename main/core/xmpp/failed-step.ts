/**
 * Which step of a sign-in an error belongs to, for the connection report
 * ("finding the server", "securing the connection", "signing in", ...).
 */
import type { ConnectionStep } from '../../../preload/contract.js';

const DNS_CODES = new Set(['no-xmpp-service', 'dns-failed', 'no-server-found']);
const TLS_CODES = new Set(['tls-failed', 'tls-required', 'certificate-mismatch', 'certificate-invalid']);
const SASL_CODES = new Set(['auth-failed', 'auth-downgrade', 'server-unverified', 'sasl-downgrade']);
const CONNECT_CODES = new Set(['host-unreachable']);

/**
 * The step named by the error's code where the code says it; otherwise the
 * step after the last one that completed (`progress`): an error that carries
 * no step of its own (a timeout, a dropped connection, a stream error)
 * happened in the step that was under way.
 */
export function failedStep(code: string, progress: { tls: boolean; sasl: boolean }): ConnectionStep {
  if (DNS_CODES.has(code) || code.startsWith('dns-')) return 'dns';
  if (TLS_CODES.has(code) || code.startsWith('tls-') || code.startsWith('certificate-')) return 'tls';
  if (SASL_CODES.has(code) || code.startsWith('auth-') || code.startsWith('sasl-')) return 'sasl';
  if (CONNECT_CODES.has(code)) return 'connect';
  if (progress.sasl) return 'session';
  if (progress.tls) return 'sasl';
  return 'connect';
}
