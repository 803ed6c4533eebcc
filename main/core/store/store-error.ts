import type { ErrorCode } from '../../../preload/contract.js';

export type StoreErrorCode = Extract<ErrorCode, 'database-too-new' | 'database-corrupt'>;

/**
 * An error from the profile database. The code is one of the contract's
 * storage ErrorCodes so the UI can choose its own words; the message is
 * already a sentence a person can read (logs, the headless command).
 */
export class StoreError extends Error {
  constructor(
    public readonly code: StoreErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

export function databaseTooNew(file: string, found: number, known: number): StoreError {
  return new StoreError(
    'database-too-new',
    `This profile was written by a newer version of Balcony (schema ${found}; ` +
      `this version knows ${known}). It was left untouched: update Balcony to open it. ` +
      `(${file})`,
  );
}

export function databaseCorrupt(file: string, detail: string): StoreError {
  return new StoreError(
    'database-corrupt',
    'The profile database is damaged, and Balcony could not set it aside and start ' +
      `a fresh one (${detail}). Check that its folder is writable. (${file})`,
  );
}
