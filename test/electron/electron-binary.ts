import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The Electron executable if it is installed, else null. Read from
 * electron's path.txt rather than require('electron'), which (Electron 45)
 * tries to download a missing binary: these tests must not touch the network.
 */
export function installedElectron(): string | null {
  const dir = fileURLToPath(new URL('../../node_modules/electron/', import.meta.url));
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const executable = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(executable) ? executable : null;
}
