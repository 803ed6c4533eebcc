/**
 * The session's locks (issue 13 #5): permissions denied but for our page's
 * notifications (core/desktop/permissions.ts decides), no device access, and
 * the spellchecker as the settings say (core/desktop/spellcheck-policy.ts).
 */
import type { Session } from 'electron';
import { permissionGranted } from './core/desktop/permissions.js';
import { spellcheckPlan } from './core/desktop/spellcheck-policy.js';

export function lockPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(permissionGranted({ permission, origin: details.requestingUrl, isMainFrame: details.isMainFrame }));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    permissionGranted({ permission, origin: requestingOrigin }),
  );
  session.setDevicePermissionHandler(() => false);
}

export function applySpellcheck(session: Session, wanted: boolean): void {
  const plan = spellcheckPlan(process.platform, wanted);
  if (plan.dictionaryDownloadUrl) session.setSpellCheckerDictionaryDownloadURL(plan.dictionaryDownloadUrl);
  session.setSpellCheckerEnabled(plan.enabled);
}
