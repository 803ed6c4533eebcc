/**
 * Peak memory of the core process for one roster size, in a process of its
 * own so that sizes (and the benchmark's own replays) do not pollute each
 * other: build the real core, sign in with an empty cache, take the full
 * roster (parse, store, the 'replace' change event with its snapshot),
 * then report process.resourceUsage().maxRSS.
 *
 * usage: node rss-child.js '<json: {port, caFile, user, password, expected}>'
 */
import { rmSync } from 'node:fs';
import type { RetrievalResult } from '../../main/core/roster/roster-service.js';
import { openCore, tempDir } from '../support/roster-fixtures.js';

interface Config {
  port: number;
  caFile: string;
  user: string;
  password: string;
  expected: number;
}

const config = JSON.parse(process.argv[2] ?? '{}') as Config;
const baselineRssMB = process.memoryUsage().rss / 1024 ** 2;
const dataDir = tempDir('balcony-bench-rss-');
const core = openCore({ port: config.port, caFile: config.caFile }, config.user, config.password, {
  dataDir,
  resource: 'bench-rss',
  session: { iqTimeoutMs: 120_000, connectTimeoutMs: 60_000 },
});
let outcome: RetrievalResult;
try {
  const retrieved = new Promise<RetrievalResult>((resolve, reject) => {
    core.roster.once('retrieved', resolve);
    core.roster.once('retrievalFailed', reject);
  });
  const timer = setTimeout(() => {
    console.error('rss-child: no roster within 180 s');
    process.exit(3);
  }, 180_000);
  await core.session.start({ failFast: true });
  outcome = await retrieved;
  clearTimeout(timer);
} finally {
  await core.close();
  rmSync(dataDir, { recursive: true, force: true });
}
if (outcome.kind !== 'full' || outcome.count !== config.expected) {
  console.error(`rss-child: expected a full roster of ${config.expected}, got ${outcome.kind} ${outcome.count}`);
  process.exit(4);
}
const mem = process.memoryUsage();
console.log(
  JSON.stringify({
    count: outcome.count,
    baselineRssMB,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
    rssAfterMB: mem.rss / 1024 ** 2,
    heapUsedAfterMB: mem.heapUsed / 1024 ** 2,
  }),
);
