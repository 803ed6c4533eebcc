/**
 * The packages Balcony ships, for the About screen: the production
 * dependency tree read at run time from the app's own package.json and
 * node_modules (what electron-builder packs), each with its declared licence
 * and the licence text it carries. Electron-free: the caller passes the app's
 * root folder. Read once and cached, since the tree does not change while the
 * app runs.
 */
import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { ShippedLicence } from '../../../preload/contract.js';

/** A licence text longer than this is cut (a few packages ship their whole NOTICE history). */
export const LICENCE_TEXT_LIMIT = 64 * 1024;
/** A package.json larger than this is not one (guards against reading a huge file by mistake). */
const MANIFEST_LIMIT = 1024 * 1024;
/** More packages than this would mean a loop we did not catch; stop rather than swell. */
const PACKAGE_LIMIT = 5000;

/** LICENSE, LICENCE, COPYING, with or without an extension or suffix (LICENSE.md, LICENSE-MIT), any case. */
const LICENCE_FILE = /^(licen[cs]e|copying)([.-].*)?$/i;

interface Manifest {
  name: string;
  version: string;
  licence: string;
  dependencies: string[];
}

const cache = new Map<string, ShippedLicence[]>();

/** The shipped packages under `appRoot`, sorted by name and version (cached per folder after the first call). */
export function shippedLicences(appRoot: string): ShippedLicence[] {
  let found = cache.get(appRoot);
  if (!found) {
    found = readTree(appRoot);
    cache.set(appRoot, found);
  }
  return found;
}

function readTree(appRoot: string): ShippedLicence[] {
  const root = readManifest(join(appRoot, 'package.json'));
  if (!root) return [];
  const byDir = new Map<string, ShippedLicence>();
  // Breadth first from the app: each dependency resolved as Node resolves it, from the folder that needs it.
  const queue: { from: string; name: string }[] = root.dependencies.map((name) => ({ from: appRoot, name }));
  for (const { from, name } of queue) {
    if (byDir.size >= PACKAGE_LIMIT) break;
    const dir = resolvePackage(from, name, appRoot);
    if (!dir || byDir.has(dir)) continue;
    const manifest = readManifest(join(dir, 'package.json'));
    if (!manifest) continue;
    byDir.set(dir, {
      name: manifest.name || name,
      version: manifest.version,
      licence: manifest.licence,
      text: readLicenceText(dir),
    });
    for (const dependency of manifest.dependencies) queue.push({ from: dir, name: dependency });
  }
  // One entry per name and version (the same package nested twice is shipped twice, but read once).
  const unique = new Map<string, ShippedLicence>();
  for (const entry of byDir.values()) unique.set(`${entry.name}@${entry.version}`, entry);
  const order = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return [...unique.values()].sort((a, b) => order(a.name, b.name) || order(a.version, b.version));
}

/** Node's lookup: `from/node_modules/name`, then each ancestor's, up to the app's root (never above it). */
function resolvePackage(from: string, name: string, appRoot: string): string | null {
  if (!/^(@[\w.-]+\/)?[\w.-]+$/.test(name)) return null;
  for (let dir = from; ; dir = dirname(dir)) {
    if (basename(dir) !== 'node_modules') {
      const candidate = join(dir, 'node_modules', name);
      if (isFile(join(candidate, 'package.json'))) return candidate;
    }
    if (dir === appRoot || dir === dirname(dir)) return null;
  }
}

function readManifest(file: string): Manifest | null {
  let value: unknown;
  try {
    if (statSync(file).size > MANIFEST_LIMIT) return null;
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const json = value as Record<string, unknown>;
  const deps = (field: unknown): string[] => (typeof field === 'object' && field !== null ? Object.keys(field) : []);
  return {
    name: typeof json.name === 'string' ? json.name : '',
    version: typeof json.version === 'string' ? json.version : '',
    licence: licenceField(json.license ?? json.licenses),
    // Optional ones are shipped when installed; a missing one is skipped by the lookup.
    dependencies: [...deps(json.dependencies), ...deps(json.optionalDependencies)],
  };
}

/** The SPDX string; the old forms ({ type }, [{ type }]) as "A OR B"; '' when none is stated. */
function licenceField(field: unknown): string {
  if (typeof field === 'string') return field;
  const typeOf = (item: unknown): string =>
    typeof item === 'object' && item !== null && typeof (item as { type?: unknown }).type === 'string'
      ? (item as { type: string }).type
      : '';
  if (Array.isArray(field)) return field.map(typeOf).filter(Boolean).join(' OR ');
  return typeOf(field);
}

function readLicenceText(dir: string): string {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return '';
  }
  // The plainest name first: LICENSE before LICENSE.md before LICENSE-MIT.
  const file = names
    .filter((name) => LICENCE_FILE.test(name))
    .sort((a, b) => a.length - b.length || (a < b ? -1 : 1))
    .find((name) => isFile(join(dir, name)));
  if (!file) return '';
  // Read no more than the limit (plus one byte, to know it was cut), however large the file.
  let fd: number | null = null;
  try {
    fd = openSync(join(dir, file), 'r');
    const buffer = Buffer.alloc(LICENCE_TEXT_LIMIT + 1);
    const length = readSync(fd, buffer, 0, buffer.length, 0);
    const text = buffer.subarray(0, Math.min(length, LICENCE_TEXT_LIMIT)).toString('utf8');
    return length > LICENCE_TEXT_LIMIT ? `${text}\n…` : text;
  } catch {
    return '';
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
