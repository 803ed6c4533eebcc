/**
 * Top functions of a V8 CPU profile (node --cpu-prof): self time and total
 * (inclusive) time per function, optionally only under a function whose
 * name matches --under.
 *
 * usage: node dist/test/bench/profile-summary.js <file.cpuprofile> [--top 25] [--under <regexp>]
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const argv = process.argv.slice(2);
const file = argv[0];
if (!file) {
  console.error('usage: profile-summary.js <file.cpuprofile> [--top 25] [--under <regexp>]');
  process.exit(2);
}
const top = Number(argv[argv.indexOf('--top') + 1] ?? 25) || 25;
const underIdx = argv.indexOf('--under');
const under = underIdx >= 0 ? new RegExp(argv[underIdx + 1] ?? '') : null;

const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const label = (f: CallFrame): string =>
  `${f.functionName || '(anonymous)'} ${f.url ? `${basename(f.url)}:${f.lineNumber + 1}` : ''}`.trim();

// Time per sample: the delta that follows it (V8's convention: timeDeltas[i] precedes samples[i]).
const selfUs = new Map<number, number>();
for (let i = 0; i < profile.samples.length; i++) {
  const dt = profile.timeDeltas[i + 1] ?? 0;
  selfUs.set(profile.samples[i]!, (selfUs.get(profile.samples[i]!) ?? 0) + dt);
}

const selfBy = new Map<string, number>();
const totalBy = new Map<string, number>();
let considered = 0;
for (const [id, us] of selfUs) {
  const chain: CallFrame[] = [];
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) chain.push(byId.get(cur)!.callFrame);
  if (under && !chain.some((f) => under.test(f.functionName))) continue;
  considered += us;
  const leaf = label(chain[0]!);
  selfBy.set(leaf, (selfBy.get(leaf) ?? 0) + us);
  const seen = new Set<string>();
  for (const f of chain) {
    const l = label(f);
    if (seen.has(l)) continue;
    seen.add(l);
    totalBy.set(l, (totalBy.get(l) ?? 0) + us);
  }
}

const ms = (us: number): string => (us / 1000).toFixed(1).padStart(8);
console.log(
  `${file}: ${(considered / 1000).toFixed(1)} ms sampled${under ? ` under /${under.source}/` : ''} (profile ${((profile.endTime - profile.startTime) / 1000).toFixed(0)} ms)`,
);
console.log('\nself ms  function');
for (const [l, us] of [...selfBy].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${ms(us)}  ${l}`);
console.log('\ntotal ms  function');
for (const [l, us] of [...totalBy].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${ms(us)}   ${l}`);
