/**
 * What `blocked`, `block` and `unblock` print (issue 12 #8). Text for a
 * person (each field escaped by the caller's print()), or one JSON object:
 * `{"supported", "blocked": [{"jid", "pending"?}], "failed": [{"op", "jids", "error"}]}`.
 */
import type { BlocklistSnapshot, BlockingOutcome } from '../../preload/contract.js';

export function blocklistJson(list: BlocklistSnapshot): string {
  return JSON.stringify({
    supported: list.supported,
    blocked: list.items.map((item) => (item.pending ? { jid: item.jid, pending: item.pending } : { jid: item.jid })),
    failed: list.failures.map((f) => ({ op: f.op, jids: f.jids, error: f.error })),
  });
}

export function blocklistText(list: BlocklistSnapshot): string {
  const lines: string[] = [];
  if (!list.supported) lines.push('The server does not offer blocking (or has not been asked yet: run sync).');
  if (list.items.length === 0) lines.push('Nobody is blocked.');
  for (const item of list.items) {
    const mark =
      item.pending === 'block'
        ? '  (waiting to be blocked)'
        : item.pending === 'unblock'
          ? '  (waiting to be unblocked)'
          : '';
    lines.push(`${item.jid}${mark}`);
  }
  for (const failure of list.failures)
    lines.push(`refused: ${failure.op} ${failure.jids.join(', ')}: ${failure.error.code}: ${failure.error.message}`);
  return lines.join('\n');
}

export function blockingOutcomeText(op: 'block' | 'unblock', jid: string, outcome: BlockingOutcome): string {
  if (outcome.queued) return `The server is not reachable: the ${op} is queued and will be sent by the next sync.`;
  return op === 'block' ? `Blocked ${jid}: no messages, presence or requests from them.` : `Unblocked ${jid}.`;
}

export function blockingOutcomeJson(op: 'block' | 'unblock', jid: string, outcome: BlockingOutcome): string {
  const key = op === 'block' ? 'blocked' : 'unblocked';
  return JSON.stringify(outcome.queued ? { [key]: jid, queued: true } : { [key]: jid });
}
