/**
 * `denied` and `undeny <jid>` (issue 12 #7): the denied requests of the
 * profile, and undoing one. Both work on the profile alone, with no sign-in
 * and no network: a denial is remembered on this computer, and undoing one
 * sends nothing (core/presence/denials.ts).
 */
import { normalizeBareJid } from '../core/jid.js';
import { openStore } from '../core/roster-core.js';
import { undoDenial } from '../core/presence/denials.js';
import type { Recovery } from '../core/store/database.js';
import { PresenceDenialStore } from '../core/store/presence-denial-store.js';
import { PresenceOutboxStore } from '../core/store/presence-outbox-store.js';
import { printable } from './cli-output.js';

export interface DenialCommand {
  command: 'denied' | 'undeny';
  account: string;
  jid?: string;
  json: boolean;
}

/** Runs the command on the profile; returns what to print (JSON or text) and any recovery to tell. */
export function runDenialCommand(
  options: DenialCommand,
  profileDir: string,
  log?: (message: string) => void,
): { output: string; recovery?: Recovery } {
  const { db, recovery } = openStore(profileDir, log, { allowReadOnly: options.command === 'denied' });
  try {
    const denials = new PresenceDenialStore(db);
    if (options.command === 'denied') {
      const entries = denials.entries(options.account);
      if (options.json) return { output: JSON.stringify({ denied: entries }), recovery };
      if (entries.length === 0) return { output: 'No denied requests.', recovery };
      const lines = [`${entries.length} denied request(s); their later requests are not shown:`];
      for (const e of entries) lines.push(`${printable(e.jid)}  (denied ${new Date(e.deniedAt).toISOString()})`);
      return { output: lines.join('\n'), recovery };
    }
    const jid = normalizeBareJid(options.jid ?? '');
    const result = undoDenial(denials, new PresenceOutboxStore(db), options.account, jid);
    if (options.json) return { output: JSON.stringify({ undenied: jid, ...result }), recovery };
    if (!result.undone) return { output: `${jid} was not denied; nothing to undo.`, recovery };
    return {
      output: result.answerDropped
        ? `Undone: the refusal of ${jid} had not been sent and will not be; their request comes back at the next sync.`
        : `Undone: the next request from ${jid} will be shown.`,
      recovery,
    };
  } finally {
    db.close();
  }
}
