// What the roster progress display says, in one place: the panel, its bar's
// accessible value and its (rare) announcements all use these words.
import type { RosterProgress } from '../../preload/contract.js';

// The app's words are English: so are its digits' separators ("23,000").
const count = new Intl.NumberFormat('en');
const megabytes = new Intl.NumberFormat('en', { maximumFractionDigits: 1, minimumFractionDigits: 1 });

/** "2.3 MB", or "156 KB" below a tenth of a megabyte (where "0.0 MB" would say nothing arrived). */
function amount(bytes: number): string {
  return bytes < 100_000
    ? `${count.format(Math.max(1, Math.round(bytes / 1_000)))} KB`
    : `${megabytes.format(bytes / 1_000_000)} MB`;
}

export function formatCount(n: number): string {
  return count.format(n);
}

/** "Receiving your contacts: 23,000 so far"; before the first byte, "Asking the server for your contacts…". */
export function progressHeadline(progress: RosterProgress | null): string {
  if (progress === null || progress.items === 0)
    return progress === null ? 'Asking the server for your contacts…' : 'Receiving your contacts…';
  return `Receiving your contacts: ${formatCount(progress.items)} so far`;
}

/** The line under the headline: the estimate it is measured against, and the amount received. */
export function progressDetail(progress: RosterProgress | null): string {
  if (progress === null) return 'A large list can take a few seconds to arrive.';
  const received = `${amount(progress.bytes)} received`;
  return progress.total === null
    ? `${received}. The server does not say how many to expect.`
    : `About ${formatCount(progress.total)} expected (your list at the last sign-in). ${received}.`;
}

/** The bar's aria-valuetext: the count in words, with the estimate where there is one. */
export function progressValueText(progress: RosterProgress | null): string {
  if (progress === null) return 'Waiting for the server';
  if (progress.total === null) return `${formatCount(progress.items)} contacts so far`;
  return `${formatCount(progress.items)} of about ${formatCount(progress.total)} contacts`;
}

/** The bar's fill, 0 to 1, or null when nothing says how far along it is (an indeterminate bar). */
export function progressFraction(progress: RosterProgress | null): number | null {
  if (progress?.total == null) return null;
  // An estimate can be passed (contacts added elsewhere): the bar stays just short of full until done.
  return Math.min(progress.items / progress.total, 0.99);
}
