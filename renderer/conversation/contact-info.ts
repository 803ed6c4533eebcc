import type { PresenceShow } from '../../preload/contract.js';

/** What the conversation header shows of the contact: the roster's name (null: not in the roster) and presence. */
export interface ContactInfo {
  label: string | null;
  show: PresenceShow;
  status: string | null;
}

export const unknownContact: ContactInfo = { label: null, show: 'offline', status: null };
