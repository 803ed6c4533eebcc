/**
 * What was typed in each conversation and not sent, kept while switching
 * between conversations (in memory for this window, per account and contact).
 */
const drafts = new Map<string, string>();

const key = (account: string, jid: string): string => `${account}\n${jid}`;

export function loadDraft(account: string, jid: string): string {
  return drafts.get(key(account, jid)) ?? '';
}

export function saveDraft(account: string, jid: string, text: string): void {
  if (text === '') drafts.delete(key(account, jid));
  else drafts.set(key(account, jid), text);
}
