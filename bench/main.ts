/**
 * `npm run bench [-- name…]`: runs the named benchmarks (all by default), prints a table and writes
 * JSON to bench/results/<name>.json.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { alertLatencyBench } from './alert-latency.ts';
import { brokerBench } from './broker.ts';
import { dashboardBench } from './dashboard.ts';
import { ingestBench } from './ingest.ts';

const BENCHMARKS: Record<string, () => Promise<unknown>> = {
  alerts: () => alertLatencyBench(),
  broker: () => brokerBench(),
  dashboard: () => dashboardBench(),
  ingest: () => ingestBench(),
};

const requested = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = requested.filter((name) => !BENCHMARKS[name]);
if (unknown.length) {
  console.error(`bench: unknown benchmark ${unknown.join(', ')}; available: ${Object.keys(BENCHMARKS).join(', ')}`);
  process.exit(2);
}
const resultsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
await fs.mkdir(resultsDir, { recursive: true });
for (const name of requested.length ? requested : Object.keys(BENCHMARKS)) {
  console.log(`running ${name}…`);
  const result = { benchmark: name, at: new Date().toISOString(), node: process.version, cpus: (await import('node:os')).cpus().length, ...(await BENCHMARKS[name]!()) as object };
  await fs.writeFile(path.join(resultsDir, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
  // A benchmark may supply its own readable `table` (an array of rows); otherwise one row per key.
  const { table, ...rest } = result as { table?: unknown };
  if (Array.isArray(table)) {
    console.table(Object.fromEntries(Object.entries(rest).filter(([, v]) => typeof v !== 'object')));
    console.table(table);
  } else console.table(Object.fromEntries(Object.entries(result).map(([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : v])));
}
process.exit(0);
