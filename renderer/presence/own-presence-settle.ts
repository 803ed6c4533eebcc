import type { OwnPresence } from '../../preload/contract.js';

/**
 * After a setOwnPresence call of ours succeeded: the own presence to show. Main's 'own-presence' events come
 * in the order main set it, our own call's first; one that changed `current` away from what it was when the
 * call was made (`before`) is either our own (equal to `sent`) or a newer change from elsewhere (the tray),
 * which stays. Unchanged, the call's `sent` is shown.
 */
export function settledOwnPresence(before: OwnPresence, current: OwnPresence, sent: OwnPresence): OwnPresence {
  return current === before ? sent : current;
}

/** Tells the screen the own presence shown after such a call (xm-own-presence-set, detail: the presence). */
export function announceOwnPresence(host: HTMLElement, presence: OwnPresence): void {
  host.dispatchEvent(new CustomEvent('xm-own-presence-set', { bubbles: true, composed: true, detail: presence }));
}
