/** Small helpers for the roster benchmark: arguments, statistics, child processes, output. */
import { spawn } from 'node:child_process';
import { cpus, totalmem } from 'node:os';

export interface BenchArgs {
  sizes: number[];
  out: string;
  pushes: number;
  /** Where to keep each size's captured result chunks and cache database, for offline profiling. */
  keep: string | null;
}

const MAX_SIZE = 200_000;
const MAX_PUSHES = 10_000;

export function parseArgs(argv: readonly string[]): BenchArgs {
  const args: BenchArgs = { sizes: [10_000, 50_000], out: 'test-results/bench.json', pushes: 1_000, keep: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    if (flag === '--sizes') {
      args.sizes = value()
        .split(',')
        .map((s) => Number(s.trim()));
      if (args.sizes.length === 0 || args.sizes.some((n) => !Number.isInteger(n) || n < 1 || n > MAX_SIZE)) {
        throw new Error(`--sizes must be a comma-separated list of integers between 1 and ${MAX_SIZE}`);
      }
    } else if (flag === '--out') {
      args.out = value();
    } else if (flag === '--pushes') {
      args.pushes = Number(value());
      if (!Number.isInteger(args.pushes) || args.pushes < 1 || args.pushes > MAX_PUSHES)
        throw new Error(`--pushes must be 1..${MAX_PUSHES}`);
    } else if (flag === '--keep') {
      args.keep = value();
    } else if (flag === '--help' || flag === '-h') {
      console.log(
        'usage: node dist/test/bench/roster-bench.js [--sizes 10000,50000] [--out test-results/bench.json] [--pushes 1000] [--keep <dir>]',
      );
      process.exit(0);
    } else {
      throw new Error(`unknown argument ${arg}`);
    }
  }
  return args;
}

/** Nearest-rank percentile of a non-empty list (p in 0..100). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export const round = (v: number, digits = 2): number => {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
};

/** Rejects when `promise` does not settle within `ms`. Every wait of the benchmark goes through it. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs `node <script> <args>` and returns the JSON object it prints as its last stdout line. */
export function runNodeChild<T>(
  script: string,
  args: string[],
  timeoutMs: number,
  nodeFlags: string[] = [],
): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeFlags, script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const last = stdout.trim().split('\n').at(-1) ?? '';
      if (code !== 0) {
        reject(new Error(`${script} exited with ${code ?? signal}\n${stderr.slice(-4000)}`));
        return;
      }
      try {
        resolve(JSON.parse(last) as T);
      } catch {
        reject(new Error(`${script} printed no JSON result: ${last.slice(0, 200)}\n${stderr.slice(-2000)}`));
      }
    });
  });
}

export interface MachineInfo {
  cpus: number;
  model: string;
  memGB: number;
  node: string;
  platform: string;
  date: string;
}

export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    cpus: list.length,
    model: list[0]?.model.trim() ?? 'unknown',
    memGB: round(totalmem() / 1024 ** 3, 1),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    date: new Date().toISOString(),
  };
}

export interface ResultRow {
  n: number;
  metric: string;
  value: number | null;
  unit: string;
  floor: number | null;
  target: number | null;
  met: boolean | null;
}

/** A fixed-width table: metric, N, value, unit, floor, ratio, target, met. */
export function formatTable(rows: readonly ResultRow[]): string {
  const fmt = (v: number | null): string =>
    v === null || Number.isNaN(v)
      ? '-'
      : Math.abs(v) >= 100
        ? v.toFixed(0)
        : Math.abs(v) >= 10
          ? v.toFixed(1)
          : v.toFixed(2);
  const cells = rows.map((r) => [
    r.metric,
    String(r.n),
    fmt(r.value),
    r.unit,
    fmt(r.floor),
    r.floor !== null && r.value !== null && r.floor > 0 ? `${(r.value / r.floor).toFixed(2)}x` : '-',
    r.target === null ? '-' : (r.unit === 'x' ? '<= ' : '< ') + fmt(r.target),
    r.met === null ? '-' : r.met ? 'yes' : 'NO',
  ]);
  const header = ['metric', 'N', 'value', 'unit', 'floor', 'ratio', 'target', 'met'];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]): string =>
    c.map((s, i) => (i === 0 || i === 3 ? s.padEnd(widths[i]!) : s.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

/** One metric's growth from one size to the next (issue 14 #5). */
export interface GrowthRow {
  metric: string;
  unit: string;
  from: number;
  to: number;
  /** value at `to` / value at `from`. */
  ratio: number;
  /** to / from: what linear work grows by; constant work stays near 1. */
  sizeRatio: number;
}

/** The ratio of each metric between consecutive sizes (rows with a value at both; ratios of ratios left out). */
export function growthRatios(rows: readonly ResultRow[]): GrowthRow[] {
  const sizes = [...new Set(rows.map((r) => r.n))].sort((a, b) => a - b);
  const byKey = new Map(rows.map((r) => [`${r.n} ${r.metric}`, r]));
  const metrics = [...new Set(rows.map((r) => r.metric))];
  const out: GrowthRow[] = [];
  for (let i = 1; i < sizes.length; i++) {
    const from = sizes[i - 1]!;
    const to = sizes[i]!;
    for (const metric of metrics) {
      const a = byKey.get(`${from} ${metric}`);
      const b = byKey.get(`${to} ${metric}`);
      if (!a || !b || a.value === null || b.value === null || a.value <= 0 || a.unit === 'x') continue;
      out.push({ metric, unit: a.unit, from, to, ratio: b.value / a.value, sizeRatio: to / from });
    }
  }
  return out;
}

/** The growth rows as a table: metric, sizes, ratio beside the size ratio. */
export function formatGrowth(rows: readonly GrowthRow[]): string {
  const cells = rows.map((r) => [
    r.metric,
    `${r.from} -> ${r.to}`,
    `${r.ratio.toFixed(2)}x`,
    `${r.sizeRatio.toFixed(1)}x`,
  ]);
  const header = ['metric', 'sizes', 'growth', 'size growth'];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]): string =>
    c.map((s, i) => (i === 0 ? s.padEnd(widths[i]!) : s.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}
