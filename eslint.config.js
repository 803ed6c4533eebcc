// One lint for the whole tree (`npm run lint`): typescript-eslint's strict and
// stylistic type-checked rules everywhere, Lit's rules for the renderer,
// Node's for main, and the runtime boundaries of DESIGN.md ("the folder is the
// runtime") as no-restricted-imports per folder. Every rule turned off or
// relaxed below says why in one line.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import lit from 'eslint-plugin-lit';
import litA11y from 'eslint-plugin-lit-a11y';
import nodePlugin from 'eslint-plugin-n';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];
const electron = ['electron', 'electron/*'];

/**
 * no-restricted-imports for a folder: `names` are exact modules; `group` is one
 * gitignore-style pattern list (a later `!pattern` allows what an earlier one refused);
 * `regex` refuses every module it matches.
 */
function restrictImports(message, { names = [], group = [], regex }) {
  const patterns = [...(group.length > 0 ? [{ group, message }] : []), ...(regex ? [{ regex, message }] : [])];
  return { 'no-restricted-imports': ['error', { paths: names.map((name) => ({ name, message })), patterns }] };
}

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', '.native/**', '.tmp/**'] },

  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [...tseslint.configs.strictTypeChecked, ...tseslint.configs.stylisticTypeChecked],
    languageOptions: {
      // Each folder's own tsconfig project (its runtime's types), as `npm run typecheck` uses them.
      parserOptions: { project: './tsconfig.node.json', tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // A dropped promise in main is how an unhandled rejection kills the app.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // Numbers and booleans in messages read fine; objects and nullish values stay refused.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      // `_name` marks a parameter an interface requires but this implementation does not use.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // `(e) => list.push(e)` and `() => dialog.close()` in handlers read as what they do.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
    },
  },
  { files: ['renderer/**/*.ts'], languageOptions: { parserOptions: { project: './tsconfig.web.json' } } },
  {
    files: ['test/components/**/*.ts'],
    languageOptions: { parserOptions: { project: './test/components/tsconfig.json' } },
  },
  {
    files: ['test/e2e/**/*.ts', 'test/electron/**/*.ts'],
    languageOptions: { parserOptions: { project: './tsconfig.browser-tests.json' } },
  },

  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: globals.node },
  },

  // The renderer runs in the page: DOM only, no Node, no Electron.
  {
    files: ['renderer/**/*.ts'],
    extends: [lit.configs['flat/recommended'], litA11y.configs.recommended],
    languageOptions: { globals: globals.browser },
    rules: {
      ...restrictImports('renderer code runs in the page: no Node, no Electron', {
        names: [...nodeBuiltins],
        group: electron,
      }),
      // Lit calls a template's event listeners with the element as `this` (`@click=${this.save}`).
      '@typescript-eslint/unbound-method': 'off',
    },
  },

  // The sandboxed preload: only electron's contextBridge/ipcRenderer and the contract.
  {
    files: ['preload/**/*.ts'],
    ignores: ['preload/contract.ts', 'preload/roster-order.ts'],
    rules: restrictImports('the sandboxed preload may import only electron and ./contract.js', {
      regex: '^(?!electron$|\\./contract\\.js$)',
    }),
  },
  // The contract is plain types and channel names, and the list's order pure functions both sides run: no runtime import at all.
  {
    files: ['preload/contract.ts', 'preload/roster-order.ts'],
    rules: {
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', disallowTypeAnnotations: true },
      ],
      ...restrictImports('contract.ts and roster-order.ts have no runtime imports', { group: ['*'] }),
    },
  },

  // main: Node's rules; the core and the CLI stay Electron-free.
  {
    files: ['main/**/*.ts'],
    plugins: { n: nodePlugin },
    languageOptions: { globals: globals.node },
    rules: {
      'n/no-deprecated-api': 'error',
      'n/prefer-node-protocol': 'error',
      'n/no-process-env': 'off', // the CLI and the app read a few documented variables (BALCONY_PASSWORD, CI).
      'n/no-sync': 'off', // better-sqlite3 is synchronous by design; sync fs calls are at start-up only.
    },
  },
  {
    files: ['main/core/**/*.ts'],
    rules: restrictImports('main/core is Electron-free', { group: electron }),
  },
  {
    files: ['main/cli/**/*.ts'],
    rules: restrictImports('the headless command is Electron-free', { group: electron }),
  },

  // Tests run under node:test and in Chromium through Playwright.
  {
    files: ['test/**/*.ts'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      // node:test's test() and describe() return promises the runner awaits itself.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', name: ['test', 'describe', 'it', 'suite'], package: 'node:test' },
          ],
        },
      ],
      // In a test, `x!` on a value the test just made is an assertion: null fails loudly on that line.
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
