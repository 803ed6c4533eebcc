import type { ProfileRecovery } from '../../../preload/contract.js';
import type { Recovery } from './database.js';

/** The contract's summary of a recovery: counts, not table names. */
export function profileRecovery(recovery: Recovery): ProfileRecovery {
  let keptEdits = 0;
  let keptOther = 0;
  for (const [table, n] of Object.entries(recovery.salvaged)) {
    // every queue of changes waiting for the server is an outbox
    if (table.includes('outbox')) keptEdits += n;
    else keptOther += n;
  }
  return { movedTo: recovery.movedTo, keptEdits, keptOther };
}

/** One paragraph for a person: what was found, what was kept, what happens next. */
export function recoveryWords(recovery: ProfileRecovery, nextSync = 'at the next sign-in'): string {
  const kept =
    recovery.keptEdits === 0
      ? 'No changes waiting to be sent could be read back from it.'
      : `${plural(recovery.keptEdits, 'change')} waiting to be sent ${recovery.keptEdits === 1 ? 'was' : 'were'} read back from it and will be sent ${nextSync}.`;
  return (
    `The saved data was damaged, so Balcony set it aside (kept as ${recovery.movedTo}) and started afresh. ` +
    `${kept} The contact list will be fetched again from the server.`
  );
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
