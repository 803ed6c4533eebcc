/**
 * What the About screen shows (issue 13): the app's name and version, the
 * runtime it runs on, and the licences of what it ships. Electron-free: the
 * Electron entry passes its versions in (app.getVersion(), process.versions).
 */
import type { AboutInfo } from '../../../preload/contract.js';
import { shippedLicences } from './shipped-licences.js';

export interface AboutInput {
  /** The app's root folder (app.getAppPath()): its package.json and node_modules are read for the licences. */
  appRoot: string;
  name: string;
  version: string;
  /** process.versions: electron, chrome, node, v8 are shown where present. */
  versions: Readonly<Partial<Record<string, string>>>;
  /** The operating system in words, e.g. "Linux 6.1.0 (x64)", or omitted. */
  os?: string;
}

/** The runtime parts worth a bug report, in the order people look for them. */
const RUNTIME: readonly [key: string, name: string][] = [
  ['electron', 'Electron'],
  ['chrome', 'Chromium'],
  ['node', 'Node.js'],
  ['v8', 'V8'],
];

export function aboutInfo(input: AboutInput): AboutInfo {
  const runtime = RUNTIME.flatMap(([key, name]) => {
    const version = input.versions[key];
    return version ? [{ name, version }] : [];
  });
  if (input.os) runtime.push({ name: 'Operating system', version: input.os });
  return {
    name: input.name,
    version: input.version,
    runtime,
    licences: shippedLicences(input.appRoot),
  };
}
