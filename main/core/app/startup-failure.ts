import { toErrorInfo } from '../errors.js';

/** What the app shows, in a native message box, when it cannot start at all. */
export interface StartupFailure {
  title: string;
  /** Plain words first, then what can be done; the technical detail last. */
  detail: string;
}

/**
 * Turns a failure to open the profile (or any other failure before the
 * window can show an error itself) into words for a message box. Before
 * this, such a failure was an unhandled rejection in main: the app vanished
 * without a word. Storage errors already carry sentences a person can act
 * on (StoreError); anything else keeps its message as the detail.
 */
export function describeStartupFailure(error: unknown): StartupFailure {
  const info = toErrorInfo(error);
  const title = 'Balcony could not start';
  if (info.code === 'internal') {
    return { title, detail: `Something went wrong while opening your data.\n\n${info.message}` };
  }
  return { title, detail: info.message };
}
