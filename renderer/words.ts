// Plain words for the states and error codes of the contract, in one place
// so every screen says the same thing the same way.
import type { BatchResult, ErrorInfo, PendingEdit, RosterItem } from '../preload/contract.js';

export function subscriptionWords(subscription: RosterItem['subscription']): string {
  switch (subscription) {
    case 'both':
      return 'you see each other';
    case 'from':
      return 'they see you';
    case 'to':
      return 'you see them';
    default:
      return 'not sharing presence';
  }
}

/** The mark of an edit still in the outbox: waiting to be sent, or refused by the server. */
export function pendingWords(pending: PendingEdit): string {
  if (pending.state === 'failed') return `not saved: ${pending.error?.message ?? 'the server refused it'}`;
  return { add: 'adding — waiting to sync', update: 'change waiting to sync', remove: 'removal waiting to sync' }[
    pending.op
  ];
}

/** Sign-in and connection failures, which a person can act on if named plainly. */
export function signInErrorWords(error: ErrorInfo): string {
  switch (error.code) {
    case 'auth-failed':
      return 'Wrong address or password';
    case 'host-unreachable':
      return 'Server unreachable';
    case 'tls-failed':
    case 'tls-required':
      return `Secure connection problem: ${error.message}`;
    default:
      return error.message;
  }
}

/** Any other failed call: the message main wrote for people, with a hint where one helps. */
export function errorWords(error: ErrorInfo): string {
  if (error.code === 'not-connected') return `${error.message} — try again when you are online.`;
  return error.message;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** How a group rename went: all, some (a partial success, not a failure) or none of its contacts moved. */
export type RenameOutcome = 'done' | 'partial' | 'failed';

export function renameOutcome(result: BatchResult): RenameOutcome {
  if (result.failed.length === 0) return 'done';
  return result.succeeded.length > 0 ? 'partial' : 'failed';
}

/** At most this many refused contacts are named with their reason; the rest are counted. */
const REASONS_SHOWN = 5;

export function renameGroupSummary(from: string, to: string, result: BatchResult): string {
  const moved = result.succeeded.length;
  const total = moved + result.failed.length;
  if (result.failed.length === 0) return `Renamed “${from}” to “${to}” for ${plural(moved, 'contact')}.`;
  const named = result.failed.slice(0, REASONS_SHOWN).map((f) => `${f.jid} (${f.error.message})`);
  const more = result.failed.length - named.length;
  const reasons = more > 0 ? `${named.join(', ')} and ${more} more` : named.join(', ');
  if (moved === 0)
    return `Could not rename “${from}”: none of its ${plural(total, 'contact')} could be changed: ${reasons}.`;
  return `Renamed ${moved} of ${plural(total, 'contact')} to “${to}”; ${result.failed.length} could not be changed: ${reasons}.`;
}

const savedAtFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function syncedAtWords(syncedAt: number | null): string {
  return syncedAt === null ? 'never synced' : `showing contacts saved at ${savedAtFormat.format(syncedAt)}`;
}
