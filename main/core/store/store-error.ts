import type { ErrorCode } from '../../../preload/contract.js';

export type StoreErrorCode = Extract<
  ErrorCode,
  | 'database-too-new'
  | 'database-corrupt'
  | 'database-foreign'
  | 'profile-path-invalid'
  | 'profile-read-only'
  | 'disk-full'
>;

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

export function databaseForeign(file: string, tables: string[]): StoreError {
  const shown = tables.slice(0, 3).join(', ') + (tables.length > 3 ? ', …' : '');
  return new StoreError(
    'database-foreign',
    `The file where Balcony keeps its data holds another program's database (tables ${shown}). ` +
      `It was left untouched: move it away, or choose another data folder. (${file})`,
  );
}

export function profileFolderIsFile(dir: string): StoreError {
  return new StoreError(
    'profile-path-invalid',
    `Balcony keeps its data in the folder ${dir}, but a file (not a folder) is in the way. ` +
      'Move that file away, or choose another data folder.',
  );
}

export function databaseIsFolder(file: string): StoreError {
  return new StoreError(
    'profile-path-invalid',
    `Balcony keeps its data in the file ${file}, but a folder of that name is in the way. ` +
      'Move that folder away, or choose another data folder.',
  );
}

export function profileReadOnly(file: string, detail: string): StoreError {
  return new StoreError(
    'profile-read-only',
    `Balcony cannot save to its data folder: ${detail}. Contacts saved earlier can still be listed; ` +
      `to make changes, make the folder writable or choose another one. (${file})`,
  );
}
