import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { compare } from '../../electron/core/compare/index.ts';
import { runValueSql } from '../../electron/core/compare/metrics.ts';
import { PACKET_SERIES_SQL, PING_SERIES_SQL } from '../../electron/core/store/compare.ts';
import { Store } from '../../electron/core/store/index.ts';
import { up as migration90 } from '../../electron/core/store/migrations/0090-latency-timelines.ts';
import { layoutOf } from '../../electron/core/store/timeline.ts';
import { Workbench } from '../../electron/core/workbench.ts';
import { CompareInput, formatMetricValue, hasSeries, kindsOf, metricsFor, type CompareResult } from '../../electron/shared/compare.ts';
import { compareToCsv } from '../../electron/shared/csv.ts';
import { seedDelayRuns, type SeededDelayRun } from '../helpers/seed-latency.ts';
import { tempDir } from '../helpers/tmp.ts';

const dirs: Array<ReturnType<typeof tempDir>> = [];
const file = () => {
  const d = tempDir();
  dirs.push(d);
  return d.file('l.sqlite');
};
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

const T0 = Date.parse('2026-11-01T00:00:00Z');
const HOUR = 3_600_000;

/** ps-a: 6 latency runs (loss in the last 3 "to" sessions), 4 twamp, 4 ping; ps-b: 3 latency runs. */
function seed(db: string) {
  const runs: SeededDelayRun[] = [
    ...Array.from({ length: 6 }, (_, i): SeededDelayRun => ({ kind: 'latency', host: 'ps-a', at: T0 + i * HOUR, delayMs: 10 + i, fromDelayMs: 20 + i, loseEvery: i >= 3 ? 10 : 0, family: i % 2 ? '6' : '4' })),
    ...Array.from({ length: 4 }, (_, i): SeededDelayRun => ({ kind: 'twamp', host: 'ps-a', at: T0 + i * HOUR + 60_000, delayMs: 30 + i, loseEvery: i < 2 ? 0 : 4 + i, tags: [i < 2 ? 'clean' : 'lossy'] })),
    ...Array.from({ length: 4 }, (_, i): SeededDelayRun => ({ kind: 'rtt', host: 'ps-a', at: T0 + i * HOUR + 120_000, delayMs: 40 + i, loseEvery: i === 3 ? 5 : 0 })),
    ...Array.from({ length: 3 }, (_, i): SeededDelayRun => ({ kind: 'latency', host: 'ps-b', at: T0 + i * 2 * HOUR, delayMs: 50, fromDelayMs: 55 })),
  ];
  const ids = seedDelayRuns(db, runs);
  return { ids, latencyA: ids.slice(0, 6), twamp: ids.slice(6, 10), ping: ids.slice(10, 14), latencyB: ids.slice(14) };
}

const parse = (input: unknown) => CompareInput.safeParse(input);
const run = (store: Store, input: unknown): CompareResult => compare(store, CompareInput.parse(input));
const ys = (r: CompareResult, i = 0) => Array.from(r.series[i]?.y ?? []);

describe('metric catalogue and validation at the contract', () => {
  it('each kind carries its own metrics; the throughput timeline layout is unchanged', () => {
    expect(metricsFor('throughput')).toEqual(['throughput', 'retransmits', 'rtt']);
    expect(metricsFor('latency')).toEqual(['delayTo', 'delayFrom', 'jitterTo', 'jitterFrom', 'lossTo', 'lossFrom']);
    expect(metricsFor('twamp')).toEqual(['rtt', 'jitter', 'loss']);
    expect(metricsFor('rtt')).toEqual(['rtt', 'jitter', 'loss']);
    expect(metricsFor('trace')).toEqual([]);
    expect(kindsOf('loss')).toEqual(['twamp', 'rtt']);
    expect(hasSeries('delayFrom', 'latency')).toBe(true);
    expect(hasSeries('lossTo', 'latency')).toBe(false);
    // Existing throughput chunks stay valid: no rebuild on upgrade.
    expect(layoutOf('throughput')).toBe('x,run,family,route,throughput,retransmits,rtt');
  });

  it('infers the kind from the metric and the metric from the kind', () => {
    const byMetric = parse({ view: 'timeline', hosts: ['ps-a'], metric: 'delayFrom' });
    expect(byMetric.success && byMetric.data).toMatchObject({ kind: 'latency', metric: 'delayFrom' });
    const byKind = parse({ view: 'groups', groups: [{ label: 'a', host: 'ps-a' }], kind: 'twamp' });
    expect(byKind.success && byKind.data).toMatchObject({ kind: 'twamp', metric: 'rtt' });
    const neither = parse({ view: 'timeline', hosts: ['ps-a'] });
    expect(neither.success && neither.data).toMatchObject({ kind: 'throughput', metric: 'throughput' });
    const loss = parse({ view: 'timeline', hosts: ['ps-a'], metric: 'loss', kind: 'rtt' });
    expect(loss.success && loss.data).toMatchObject({ kind: 'rtt', metric: 'loss' });
  });

  it('refuses a metric the kind does not carry, with INVALID_INPUT and a clear message', async () => {
    const bad = parse({ view: 'timeline', hosts: ['ps-a'], kind: 'rtt', metric: 'delayTo' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toBe('delayTo is not a metric of rtt runs (it comes from latency runs); rtt runs have rtt, jitter, loss.');
    expect(bad.error?.issues[0]?.path).toEqual(['metric']);
    expect(parse({ view: 'groups', groups: [{ label: 'a' }], kind: 'trace' }).error?.issues[0]?.message).toMatch(/trace runs have no metric to compare/);
    expect(parse({ view: 'timeline', hosts: ['ps-a'], kind: 'latency', metric: 'retransmits' }).success).toBe(false);
    const wb = Workbench.open({ dbPath: file(), adapter: 'cli', validateOutputs: true });
    const result = await wb.invoke('compare.series', { view: 'groups', groups: [{ label: 'x', host: 'ps-a' }], kind: 'throughput', metric: 'lossTo' });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('INVALID_INPUT');
      expect(result.error.message).toMatch(/metric: lossTo is not a metric of throughput runs \(it comes from latency runs\)/);
    }
    await wb.close();
  });

  it('formats delay, jitter and loss values', () => {
    expect(formatMetricValue('delayTo', 12.34567)).toBe('12.35 ms');
    expect(formatMetricValue('rtt', 0.04531)).toBe('0.04531 ms');
    expect(formatMetricValue('jitterFrom', 1234.56)).toBe('1235 ms');
    expect(formatMetricValue('lossTo', 2.5)).toBe('2.5 %');
    expect(formatMetricValue('loss', 33.3333)).toBe('33.3 %');
    expect(formatMetricValue('loss', 0)).toBe('0 %');
    expect(formatMetricValue('lossFrom', null)).toBe('—');
    expect(formatMetricValue('delayFrom', Number.NaN)).toBe('—');
    expect(formatMetricValue('throughput', 9.02e8)).toBe('902 Mbit/s');
    expect(formatMetricValue('retransmits', 12)).toBe('12 count');
  });
});

describe('timelines and groups of latency, twamp and ping runs', () => {
  it('read the stored summaries: delay and loss each way, one point per run', () => {
    const db = file();
    const { latencyA } = seed(db);
    const store = new Store(db);
    const summaries = latencyA.map((id) => store.runs.get(id)!.oneway!.sessions);
    const to = run(store, { view: 'timeline', hosts: ['ps-a', 'ps-b'], metric: 'delayTo' });
    expect(to.kind).toBe('latency');
    expect(to.unit).toBe('ms');
    expect(to.series.map((s) => s.total)).toEqual([6, 3]);
    expect(ys(to)).toEqual(summaries.map((s) => s.find((x) => x.direction === 'to')!.medianMs));
    expect(ys(to)[0]).toBeCloseTo(10, 0);
    expect(ys(to)[5]).toBeCloseTo(15, 0);
    expect(Array.from(to.series[0]!.runIds)).toEqual(latencyA);
    const from = run(store, { view: 'timeline', hosts: ['ps-a'], metric: 'delayFrom' });
    expect(ys(from)).toEqual(summaries.map((s) => s.find((x) => x.direction === 'from')!.medianMs));
    expect(ys(from)[0]).toBeCloseTo(20, 0);
    expect(ys(run(store, { view: 'timeline', hosts: ['ps-a'], metric: 'lossTo' }))).toEqual([0, 0, 0, 10, 10, 10]);
    expect(ys(run(store, { view: 'timeline', hosts: ['ps-a'], metric: 'lossFrom' }))).toEqual([0, 0, 0, 0, 0, 0]);
    // owping's jitter is P95 − P50 over every packet sent: with 10 % lost, P95 is a lost one (nan).
    const jitter = run(store, { view: 'timeline', hosts: ['ps-a'], metric: 'jitterTo' });
    expect(jitter.series[0]?.total).toBe(3);
    expect(ys(jitter)).toEqual(summaries.slice(0, 3).map((s) => s.find((x) => x.direction === 'to')!.jitterMs));
    expect(ys(jitter).every((v) => v > 0 && v < 1)).toBe(true);
    expect(run(store, { view: 'timeline', hosts: ['ps-a'], metric: 'jitterFrom' }).series[0]?.total).toBe(6);
    expect(run(store, { view: 'timeline', hosts: ['ps-a'], metric: 'delayTo', family: '6' }).series[0]?.total).toBe(3);
    store.close();
  });

  it('round trip from twamp (median, loss, jitter) and ping (p50, loss, p95 − p50)', () => {
    const db = file();
    const { twamp, ping } = seed(db);
    const store = new Store(db);
    const tw = twamp.map((id) => store.runs.get(id)!.oneway!.sessions[0]!);
    const pg = ping.map((id) => store.runs.get(id)!.rtt!);
    const twRtt = run(store, { view: 'timeline', hosts: ['ps-a'], kind: 'twamp', metric: 'rtt' });
    expect(ys(twRtt)).toEqual(tw.map((s) => s.medianMs));
    expect(ys(twRtt)[3]).toBeCloseTo(33, 0);
    expect(ys(run(store, { view: 'timeline', hosts: ['ps-a'], kind: 'twamp', metric: 'loss' }))).toEqual(tw.map((s) => s.lossPercent));
    // Every 6th and every 7th of 50 packets lost.
    expect(ys(run(store, { view: 'timeline', hosts: ['ps-a'], kind: 'twamp', metric: 'loss' }))).toEqual([0, 0, 16, 14]);
    expect(ys(run(store, { view: 'timeline', hosts: ['ps-a'], kind: 'twamp', metric: 'jitter' }))).toEqual(tw.filter((s) => s.jitterMs !== null).map((s) => s.jitterMs));
    expect(ys(run(store, { view: 'timeline', hosts: ['ps-a'], kind: 'rtt' }))).toEqual(pg.map((s) => s.p50Ms));
    expect(ys(run(store, { view: 'timeline', hosts: ['ps-a'], kind: 'rtt', metric: 'loss' }))).toEqual([0, 0, 0, 20]);
    const jitter = ys(run(store, { view: 'timeline', hosts: ['ps-a'], kind: 'rtt', metric: 'jitter' }));
    jitter.forEach((v, i) => expect(v).toBeCloseTo(pg[i]!.p95Ms! - pg[i]!.p50Ms!, 9));
    store.close();
  });

  it('groups: loss of clean vs lossy twamp runs is beyond noise; delay to IPv4 vs IPv6', () => {
    const db = file();
    const { twamp } = seed(db);
    const store = new Store(db);
    const loss = run(store, { view: 'groups', kind: 'twamp', metric: 'loss', groups: [{ label: 'clean', tag: 'clean' }, { label: 'lossy', tag: 'lossy' }] });
    expect(loss.groups.map((g) => g.n)).toEqual([2, 2]);
    expect(Array.from(loss.groups[1]!.runIds)).toEqual(twamp.slice(2));
    expect(loss.groups[0]!.median).toBe(0);
    expect(loss.groups[1]!.median).toBe(15);
    expect(loss.difference?.beyondNoise).toBe(true);
    expect(loss.difference?.relative).toBeNull();
    expect(loss.difference?.explanation).toMatch(/"lossy" differs from "clean" by \+15 percentage points: beyond run-to-run noise/);
    const fam = run(store, { view: 'groups', metric: 'delayTo', groups: [{ label: 'IPv4', host: 'ps-a', family: '4' }, { label: 'IPv6', host: 'ps-a', family: '6' }] });
    expect(fam.groups.map((g) => g.n)).toEqual([3, 3]);
    expect(fam.difference?.absolute).toBeCloseTo(1, 1);
    expect(compareToCsv(loss).split('\r\n')[0]).toBe('group,loss_%,run_id');
    store.close();
  });

  it('migration 90 builds the timelines of latency runs stored before it', () => {
    const db = file();
    seed(db);
    const raw = new Database(db);
    raw.exec("DELETE FROM timeline_chunks WHERE kind IN ('latency', 'twamp', 'rtt')");
    // Migration 90 alone: rewinding user_version would rerun later migrations that are not repeatable.
    migration90(raw);
    raw.close();
    const store = new Store(db);
    expect(run(store, { view: 'timeline', hosts: ['ps-a', 'ps-b'], metric: 'delayTo' }).series.map((s) => s.total)).toEqual([6, 3]);
    expect(run(store, { view: 'timeline', hosts: ['ps-a'], kind: 'rtt' }).series[0]?.total).toBe(4);
    store.close();
  });
});

describe('run vs run: per-packet delay series', () => {
  it('one series per run from the stored packets, lost ones left out, in send order', () => {
    const db = file();
    const { latencyA } = seed(db);
    const store = new Store(db);
    const result = run(store, { view: 'runs', runIds: [latencyA[0], latencyA[4]] });
    expect(result.metric).toBe('delayTo');
    expect(result.kind).toBe('latency');
    expect(result.series.map((s) => s.total)).toEqual([50, 45]);
    const lossy = result.series[1]!;
    expect(lossy.x.length).toBe(45);
    expect(Array.from(lossy.y).every((v) => Number.isFinite(v) && v > 13.7 && v < 14.3)).toBe(true);
    expect(Array.from(lossy.x).every((v, i, a) => i === 0 || v > a[i - 1]!)).toBe(true);
    expect(lossy.x[0]).toBeCloseTo(0, 6);
    expect(lossy.x[9]).toBeCloseTo(0.1, 6);
    expect(Array.from(lossy.runIds).every((id) => id === latencyA[4])).toBe(true);
    const from = run(store, { view: 'runs', runIds: [latencyA[4]], metric: 'delayFrom' });
    expect(from.series[0]?.total).toBe(50);
    expect(from.series[0]?.y[0]).toBeCloseTo(24, 0);
    store.close();
  });

  it('RTT per packet (twamp) and per echo (ping) overlay; x of ping is seconds', () => {
    const db = file();
    const { twamp, ping } = seed(db);
    const store = new Store(db);
    const result = run(store, { view: 'runs', runIds: [twamp[0], ping[3]], metric: 'rtt' });
    expect(result.kind).toBeNull();
    expect(result.series.map((s) => s.total)).toEqual([50, 40]);
    expect(result.series[0]!.y[0]).toBeCloseTo(30, 0);
    expect(result.series[1]!.y[0]).toBeCloseTo(43, 0);
    expect(result.series[1]!.x[0]).toBe(0);
    expect(result.series[1]!.x[1]).toBeCloseTo(0.01, 9);
    // icmp_seq 5 (every 5th) got no reply: a gap in x, not a point.
    expect(result.series[1]!.x[4]).toBeCloseTo(0.05, 9);
    expect(result.series[1]!.x[39]).toBeCloseTo(0.48, 9);
    store.close();
  });

  it('downsamples long sessions with LTTB and keeps the spike', () => {
    const db = file();
    const [id] = seedDelayRuns(db, [{ kind: 'latency', host: 'big', at: T0, delayMs: 5, packets: 20_000 }]);
    const store = new Store(db);
    store.db.prepare("UPDATE oneway_packets SET delay_s = 0.5 WHERE run_id = ? AND idx = 12345 AND session = (SELECT session FROM oneway_sessions WHERE run_id = ? AND direction = 'to')").run(id, id);
    const result = run(store, { view: 'runs', runIds: [id], maxPoints: 500 });
    expect(result.series[0]?.total).toBe(20_000);
    expect(result.series[0]?.x.length).toBe(500);
    expect(Math.max(...result.series[0]!.y)).toBeCloseTo(500, 6);
    store.close();
  });

  it('refuses metrics a run has no series of', async () => {
    const db = file();
    const { latencyA, twamp, ping } = seed(db);
    const wb = Workbench.open({ dbPath: db, adapter: 'cli', validateOutputs: true });
    const expectInvalid = async (input: unknown, message: RegExp) => {
      const r = await wb.invoke('compare.series', input);
      expect(r.ok ? 'ok' : r.error.code).toBe('INVALID_INPUT');
      if (!r.ok) expect(r.error.message).toMatch(message);
    };
    await expectInvalid({ view: 'runs', runIds: [latencyA[0]], metric: 'throughput' }, new RegExp(`Run ${latencyA[0]} is a latency run; it has no throughput series \\(it has delayTo, delayFrom\\)`));
    await expectInvalid({ view: 'runs', runIds: [latencyA[0]], metric: 'lossTo' }, /lossTo is one figure per latency run, not a series/);
    await expectInvalid({ view: 'runs', runIds: [twamp[0], latencyA[0]], metric: 'rtt' }, /is a latency run; it has no rtt series/);
    const ok = await wb.invoke('compare.series', { view: 'runs', runIds: [ping[0]] });
    expect(ok.ok && ok.value.metric).toBe('rtt');
    await wb.close();
  });
});

describe('the new hot queries use indexes', () => {
  it('packet and ping series walk primary keys; latency groups and timeline rebuilds use run indexes', () => {
    const store = new Store(file());
    const plan = (sql: string) => (store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...(sql.includes('@run') ? [{ run: 1, direction: 'to' }] : sql.includes('?') ? [1] : [])) as Array<{ detail: string }>).map((r) => r.detail).join(' | ');
    const oneway = plan(PACKET_SERIES_SQL.latency);
    expect(oneway).toMatch(/SEARCH p USING PRIMARY KEY \(run_id=\? AND session=\?\)/);
    expect(oneway).toMatch(/SEARCH o USING (PRIMARY KEY|INDEX oneway_sessions_by_direction) \((run_id|direction)=\?/);
    expect(oneway).not.toMatch(/TEMP B-TREE|SCAN/);
    const twamp = plan(PACKET_SERIES_SQL.twamp);
    expect(twamp).toMatch(/SEARCH p USING PRIMARY KEY \(run_id=\? AND session=\?\)/);
    expect(twamp).not.toMatch(/TEMP B-TREE|SCAN/);
    const ping = plan(PING_SERIES_SQL);
    expect(ping).toMatch(/SEARCH p USING PRIMARY KEY \(run_id=\?\)/);
    expect(ping).not.toMatch(/TEMP B-TREE/);
    const group = plan(`SELECT r.created_at, ${runValueSql('delayTo', 'latency')}, r.id FROM runs r WHERE +r.kind = 'latency' AND +r.status = 'succeeded' AND r.target_id IN (SELECT id FROM targets WHERE host = 'a') AND +r.family_used = '6' ORDER BY r.id`);
    expect(group).toMatch(/runs_by_target/);
    expect(group).not.toMatch(/SCAN r\b/);
    const rebuild = plan(`SELECT r.created_at, ${runValueSql('lossFrom', 'latency')} FROM runs r WHERE r.target_id = 1 AND r.kind = 'latency' AND r.status = 'succeeded' ORDER BY r.created_at, r.id`);
    expect(rebuild).toMatch(/SEARCH r USING INDEX runs_by_(target|kind)/);
    store.close();
  });
});
