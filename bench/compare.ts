import { performance } from 'node:perf_hooks';
import { compare } from '../electron/core/compare/index.ts';
import { Store } from '../electron/core/store/index.ts';
import { CompareInput } from '../electron/shared/compare.ts';
import { storeTraceRuns, type SeededTrace } from '../test/helpers/seed-trace.ts';
import { timeIt } from './stats.ts';

/**
 * Compare queries over a large history: `runs` runs spread over `hosts` targets, each with
 * `samplesPerRun` interval samples (100k × 100 = 10M rows by default). Samples are generated in
 * SQL so seeding takes seconds, not minutes.
 */
export async function benchCompare(dbPath: string, options: { runs: number; hosts: number; samplesPerRun: number; traceEveryHours: number }) {
  const store = new Store(dbPath);
  const seedStart = performance.now();
  const t0 = Date.parse('2024-01-01T00:00:00Z');
  store.db.transaction(() => {
    const target = store.db.prepare("INSERT INTO targets (host, port, family, created_at) VALUES (?, 5201, 'any', 0)");
    for (let h = 0; h < options.hosts; h += 1) target.run(`ps-${h}.example.net`);
    const run = store.db.prepare(
      `INSERT INTO runs (kind, target_id, options, status, created_at, started_at, finished_at, tool, tool_version, summary, family_used)
       VALUES ('throughput', ?, '{}', 'succeeded', ?, ?, ?, 'iperf3', '3.12', ?, ?)`,
    );
    for (let i = 0; i < options.runs; i += 1) {
      const at = t0 + i * 600_000;
      const summary = `{"receivedBitsPerSecond":${9e8 + (i % 97) * 1e6},"retransmits":${i % 13},"meanRtt":${20_000 + (i % 500)}}`;
      run.run((i % options.hosts) + 1, at, at, at + 10_000, summary, i % 3 === 0 ? '6' : '4');
    }
    // As many latency (OWAMP) runs, both directions in their summary, as the one-way metrics read them.
    const latency = store.db.prepare(
      `INSERT INTO runs (kind, target_id, options, status, created_at, started_at, finished_at, tool, tool_version, summary, family_used)
       VALUES ('latency', ?, '{}', 'succeeded', ?, ?, ?, 'psw-owamp', '1', ?, ?)`,
    );
    const session = (direction: string, i: number, base: number) => `{"direction":"${direction}","medianMs":${base + (i % 89) / 100},"jitterMs":${(i % 7) / 10},"lossPercent":${i % 50 === 0 ? 1 : 0}}`;
    for (let i = 0; i < options.runs; i += 1) {
      const at = t0 + i * 600_000 + 300_000;
      const summary = `{"protocol":"owamp","sessions":[${session('to', i, 10)},${session('from', i, 11)}]}`;
      latency.run((i % options.hosts) + 1, at, at, at + 10_000, summary, i % 3 === 0 ? '6' : '4');
    }
    // Two tagged groups of 10k throughput runs each, spread over every host and the whole span.
    const tag = store.db.prepare('INSERT INTO run_tags (run_id, tag) VALUES (?, ?)');
    for (let i = 0; i < Math.min(options.runs, 20_000); i += 1) tag.run(1 + i * Math.floor(options.runs / 20_000), i % 2 ? 'tuned' : 'baseline');
  })();
  // Route changes come from trace runs, stored as the trace method stores them: one trace per host
  // every `traceEveryHours`, the route switching every 30 days (the marker query reads them all).
  const span = options.runs * 600_000;
  const traces: SeededTrace[] = [];
  for (let at = t0; at < t0 + span; at += options.traceEveryHours * 3_600_000) {
    const route = Math.floor((at - t0) / (30 * 86_400_000)) % 2 ? 'traceroute-udp-route-b' : 'traceroute-udp-3hop';
    for (let h = 0; h < options.hosts; h += 1) traces.push({ host: `ps-${h}.example.net`, at: at + h * 1000, fixture: route });
  }
  store.db.transaction(() => storeTraceRuns(store, traces))();
  const fill = store.db.prepare(`
    INSERT INTO throughput_samples (run_id, stream, seq, start_s, end_s, bits_per_second, bytes, retransmits, cwnd, rtt_us, rttvar_us, pmtu, omitted)
    WITH RECURSIVE s(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM s WHERE n < ${options.samplesPerRun - 1})
    SELECT r.id, -1, s.n, s.n, s.n + 1, 9e8 + (abs(random()) % 100000000), 112500000, abs(random()) % 5, 3000000, 20000 + abs(random()) % 1000, 500, 1500, 0
    FROM runs r, s WHERE r.id BETWEEN ? AND ?`);
  const batch = 10_000;
  for (let first = 1; first <= options.runs; first += batch) store.db.transaction(() => fill.run(first, first + batch - 1))();
  store.timeline.rebuildAll();
  const seedSeconds = (performance.now() - seedStart) / 1000;
  const samples = (store.db.prepare('SELECT count(*) AS n FROM throughput_samples').get() as { n: number }).n;

  const run = (input: unknown) => () => compare(store, CompareInput.parse(input));
  const hosts8 = Array.from({ length: 8 }, (_, i) => `ps-${i}.example.net`);
  const mid = t0 + (options.runs / 2) * 600_000;
  const results = {
    timeline1Host: timeIt(run({ view: 'timeline', hosts: ['ps-7.example.net'] }), 50),
    timeline8Hosts: timeIt(run({ view: 'timeline', hosts: hosts8 }), 30),
    timelineRangeIPv6: timeIt(run({ view: 'timeline', hosts: ['ps-3.example.net'], family: '6', from: mid, to: mid + 30 * 86_400_000 }), 50),
    runs8Series: timeIt(run({ view: 'runs', runIds: [1, 5000, 10_000, 25_000, 50_000, 75_000, 90_000, options.runs] }), 50),
    beforeAfter: timeIt(run({ view: 'groups', groups: [{ label: 'before', host: 'ps-5.example.net', to: mid }, { label: 'after', host: 'ps-5.example.net', from: mid }] }), 30),
    ipv4VsIpv6: timeIt(run({ view: 'groups', groups: [{ label: 'IPv4', host: 'ps-9.example.net', family: '4' }, { label: 'IPv6', host: 'ps-9.example.net', family: '6' }] }), 30),
    delayTimeline8Hosts: timeIt(run({ view: 'timeline', hosts: hosts8, metric: 'delayTo' }), 30),
    lossBeforeAfter: timeIt(run({ view: 'groups', metric: 'lossFrom', groups: [{ label: 'before', host: 'ps-5.example.net', to: mid }, { label: 'after', host: 'ps-5.example.net', from: mid }] }), 30),
    /** Every throughput run (all hosts) before vs after the midpoint: the whole 100k. */
    allRunsBeforeAfter: timeIt(run({ view: 'groups', groups: [{ label: 'before', to: mid }, { label: 'after', from: mid }] }), 10),
    /** Two tags of 10k runs each, across all hosts. */
    tags10kEach: timeIt(run({ view: 'groups', groups: [{ label: 'baseline', tag: 'baseline' }, { label: 'tuned', tag: 'tuned' }] }), 10),
  };
  const markers = compare(store, CompareInput.parse({ view: 'timeline', hosts: ['ps-7.example.net'] })).markers.length;
  const p95s = Object.values(results).map((r) => r.p95);
  store.close();
  return { runs: options.runs, latencyRuns: options.runs, traceRuns: traces.length, routeMarkersOneHost: markers, samples, seedSeconds: Math.round(seedSeconds * 10) / 10, queriesMs: results, worstP95Ms: Math.max(...p95s), goalP95Ms: 50 };
}
