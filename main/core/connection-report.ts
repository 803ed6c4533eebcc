/**
 * The connection report (preload/contract.ts ConnectionReport) of one
 * account: what the session's last sign-in recorded, with the roster's
 * figures from the cache and the roster service. Shared by the app's
 * "Account and connection" view and `balcony-roster diagnose`.
 */
import type { ConnectionReport } from '../../preload/contract.js';
import type { BlockingService } from './blocking/blocking-service.js';
import type { RosterService } from './roster/roster-service.js';
import type { RosterStore } from './store/roster-store.js';
import type { XmppSession } from './xmpp/session.js';

export interface ReportSources {
  session: XmppSession;
  store: RosterStore;
  /** Absent where no roster service runs (diagnose changes nothing): no pushes were taken. */
  roster?: RosterService;
  /** Its refused blocklist pushes count with the roster's spoofed pushes. */
  blocking?: BlockingService;
}

export function connectionReport({ session, store, roster, blocking }: ReportSources): ConnectionReport {
  return session.recorder.report({
    lastFullSync: store.getSyncedAt(session.account),
    spoofedPushes: (roster?.spoofedPushes ?? 0) + (blocking?.spoofedPushes ?? 0),
  });
}
