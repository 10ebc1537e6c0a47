import { performance } from 'node:perf_hooks';
import { Store } from '../electron/core/store/index.ts';
import type { ThroughputInterval } from '../electron/shared/throughput.ts';
import { timeIt } from './stats.ts';

const interval = (seq: number): ThroughputInterval => ({
  seq, stream: -1, start: seq, end: seq + 1, bitsPerSecond: 9.4e8 + (seq % 17) * 1e6, bytes: 117_500_000, retransmits: seq % 5,
  cwnd: 3_000_000, rtt: 48_000 + (seq % 100), rttvar: 900, pmtu: 1500, omitted: false, jitterMs: null, lostPackets: null, packets: null,
});

/** Sample-insert throughput and the run-history query over a large store. */
export async function benchStore(dbPath: string, options: { runs: number; samplesPerRun: number; insertRuns: number }) {
  const store = new Store(dbPath);
  const summary = { protocol: 'tcp', reverse: false, sentBitsPerSecond: 9.4e8, receivedBitsPerSecond: 9.3e8 };

  // Per-interval samples as the workbench writes them: one transaction per finished run.
  const samples = Array.from({ length: options.samplesPerRun }, (_, i) => interval(i));
  const insertStart = performance.now();
  for (let r = 0; r < options.insertRuns; r += 1) {
    const id = store.runs.create({ kind: 'throughput', host: `insert-${r % 50}.example`, port: 5201, family: 'any', options: {}, now: Date.now() });
    store.runs.finish(id, { status: 'succeeded', error: null, summary, stdout: '{}', stderr: '', now: Date.now() }, () => store.throughput.insert(id, samples));
  }
  const insertSeconds = (performance.now() - insertStart) / 1000;
  const insertedRows = options.insertRuns * options.samplesPerRun;

  // A history of `runs` runs across 500 targets, seeded in bulk.
  const seedStart = performance.now();
  const targets = 500;
  store.db.transaction(() => {
    const target = store.db.prepare("INSERT INTO targets (host, port, family, created_at) VALUES (?, 5201, 'any', 0) ON CONFLICT DO NOTHING");
    for (let t = 0; t < targets; t += 1) target.run(`ps-${t}.example.net`);
    const run = store.db.prepare(
      `INSERT INTO runs (kind, target_id, options, status, created_at, started_at, finished_at, tool, tool_version, summary)
       SELECT 'throughput', (SELECT id FROM targets WHERE host = ?), '{"duration":10}', ?, ?, ?, ?, 'iperf3', '3.12', ?`,
    );
    const text = JSON.stringify(summary);
    for (let i = 0; i < options.runs; i += 1) {
      const at = 1_700_000_000_000 + i * 60_000;
      run.run(`ps-${i % targets}.example.net`, i % 20 === 0 ? 'failed' : 'succeeded', at, at, at + 10_000, text);
    }
  })();
  const seedSeconds = (performance.now() - seedStart) / 1000;
  const total = (store.db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n;

  const latest = timeIt(() => store.runs.list({ limit: 100 }), 200);
  const byHost = timeIt(() => store.runs.list({ limit: 100, host: 'ps-123.example.net' }), 200);
  const deepPage = timeIt(() => store.runs.list({ limit: 100, before: Math.floor(total / 10) }), 200);
  const failed = timeIt(() => store.runs.list({ limit: 100, status: 'failed' }), 200);
  store.close();
  return {
    sampleInsert: { rows: insertedRows, seconds: Math.round(insertSeconds * 1000) / 1000, rowsPerSecond: Math.round(insertedRows / insertSeconds) },
    runHistory: { storedRuns: total, seedSeconds: Math.round(seedSeconds * 100) / 100, latest100Ms: latest, byHost100Ms: byHost, deepPage100Ms: deepPage, failedOnly100Ms: failed },
  };
}
