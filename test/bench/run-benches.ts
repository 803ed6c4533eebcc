/**
 * `npm run bench`: the roster benchmark (its arguments: --sizes, --out, …),
 * then the messages benchmark with its defaults (`npm run bench:messages --
 * …` runs it alone with its own arguments). Each writes its own JSON; the
 * exit code is the first failure's.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = (name: string): string => fileURLToPath(new URL(`./${name}`, import.meta.url));
const runs: [string, string[]][] = [
  ['roster-bench.js', process.argv.slice(2)],
  ['messages-bench.js', []],
];
let code = 0;
for (const [script, args] of runs) {
  const r = spawnSync(process.execPath, [here(script), ...args], { stdio: 'inherit' });
  const status = r.status ?? 1;
  if (status !== 0) console.error(`${script} exited with ${r.status ?? r.signal}`);
  if (code === 0) code = status;
}
process.exit(code);
