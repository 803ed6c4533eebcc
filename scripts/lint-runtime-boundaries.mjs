// Checks that each folder imports only what its runtime has (DESIGN.md "The
// folder is the runtime"): the renderer no Node and no Electron, the preload
// only electron's contextBridge/ipcRenderer and the contract, the core
// (main/core) and the CLI no Electron. The tsconfig projects catch most of
// this as type errors; this catches what a type check cannot (a Node builtin
// the web project would happily resolve through @types, an electron import
// in the Electron-free core).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const nodeBuiltins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

function files(dir) {
  let out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out = out.concat(files(path));
    else if (/\.ts$/.test(name)) out.push(path);
  }
  return out;
}

function imports(file) {
  const text = readFileSync(file, 'utf8');
  const found = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(import|export)\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    found.push({ spec: m[3] ?? m[4] ?? m[5], typeOnly: Boolean(m[2]) });
  }
  return found;
}

const rules = [
  {
    dir: 'renderer',
    check: ({ spec }) => (nodeBuiltins.has(spec) || spec === 'electron' || spec.startsWith('electron/')) && 'renderer code runs in the page: no Node, no Electron',
  },
  {
    dir: 'preload',
    check: ({ spec, typeOnly }, file) => {
      if (file.endsWith('contract.ts')) return !typeOnly && 'contract.ts has no runtime imports';
      if (spec === 'electron' || spec === './contract.js') return false;
      return 'the sandboxed preload may import only electron and ./contract.js';
    },
  },
  {
    dir: 'main/core',
    check: ({ spec }) => (spec === 'electron' || spec.startsWith('electron/')) && 'main/core is Electron-free',
  },
  {
    dir: 'main/cli',
    check: ({ spec }) => (spec === 'electron' || spec.startsWith('electron/')) && 'the headless command is Electron-free',
  },
];

let problems = 0;
for (const rule of rules) {
  let list;
  try {
    list = files(join(root, rule.dir));
  } catch {
    continue;
  }
  for (const file of list) {
    for (const imp of imports(file)) {
      const why = rule.check(imp, file);
      if (why) {
        problems += 1;
        console.error(`${relative(root, file)}: imports ${imp.spec}: ${why}`);
      }
    }
  }
}
if (problems > 0) {
  console.error(`${problems} runtime boundary problem(s)`);
  process.exit(1);
}
console.log('runtime boundaries: ok');
