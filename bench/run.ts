import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { benchCompare } from './compare.ts';
import { benchDiscovery } from './discovery.ts';
import { benchOneway } from './oneway.ts';
import { benchRenderer } from './renderer.ts';
import { benchStore } from './store.ts';

// `npm run bench`: every figure in one JSON document (stdout and bench/results/latest.json).
const work = mkdtempSync(join(tmpdir(), 'psw-bench-'));
const started = Date.now();
try {
  const results: Record<string, unknown> = {};
  results.store = await benchStore(join(work, 'bench.sqlite'), { runs: 100_000, samplesPerRun: 3600, insertRuns: 60 });
  results.compare = await benchCompare(join(work, 'compare.sqlite'), { runs: 100_000, hosts: 50, samplesPerRun: 100, traceEveryHours: 48 });
  results.discovery = await benchDiscovery();
  results.renderer = await benchRenderer(join(work, 'renderer.sqlite'), 1_000_000);
  results.oneway = await benchOneway();
  const report = {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? null,
    wallSeconds: (Date.now() - started) / 1000,
    results,
  };
  const text = JSON.stringify(report, null, 2);
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(new URL('./results/latest.json', import.meta.url), `${text}\n`);
  process.stdout.write(`${text}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
