/**
 * Undoing a denial (issue 12 #7), shared by the app and the headless command,
 * which works on the profile without signing in.
 *
 * A denial is two things: the remembered "do not show their requests again"
 * and the `unsubscribed` answer in the presence outbox. Undo forgets the
 * first and, if the answer has not been written to any connection yet (the
 * denial was made offline), drops it too: the server then still holds the
 * request and re-sends it at the next sign-in, so the user gets to answer it
 * again. An answer that went out cannot be called back; the person's next
 * request is shown.
 */
import type { PresenceDenialStore } from '../store/presence-denial-store.js';
import type { PresenceOutboxStore } from '../store/presence-outbox-store.js';

export interface UndoneDenial {
  /** There was a denial of this address. */
  undone: boolean;
  /** Its answer had not gone out and was dropped: the server will ask again at the next sign-in. */
  answerDropped: boolean;
}

export function undoDenial(
  denials: PresenceDenialStore,
  outbox: PresenceOutboxStore,
  account: string,
  jid: string,
): UndoneDenial {
  const deniedAt = denials.deniedAt(account, jid);
  if (deniedAt === null) return { undone: false, answerDropped: false };
  // Only refusals made with or after the denial: an older unsubscribed (stop sharing) is another decision.
  const unsent = outbox
    .list(account)
    .filter(
      (step) => step.jid === jid && step.type === 'unsubscribed' && step.sentAt === null && step.createdAt >= deniedAt,
    );
  outbox.delete(unsent.map((step) => step.id));
  denials.forget(account, jid);
  return { undone: true, answerDropped: unsent.length > 0 };
}
