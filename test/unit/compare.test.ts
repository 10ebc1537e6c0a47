import { afterEach, describe, expect, it } from 'vitest';
import { lttbIndices } from '../../electron/core/compare/downsample.ts';
import { quantile, studentTwoSidedP, welchPValue } from '../../electron/core/compare/stats.ts';
import { Store } from '../../electron/core/store/index.ts';
import { CHUNK_POINTS } from '../../electron/core/store/timeline.ts';
import { Workbench } from '../../electron/core/workbench.ts';
import { compareToCsv, csvField } from '../../electron/shared/csv.ts';
import { detectPathChanges } from '../../electron/core/measure/trace/identity.ts';
import type { ThroughputInterval } from '../../electron/shared/throughput.ts';
import { storeDiagnosis } from '../helpers/seed-diagnosis.ts';
import { storeTraceRuns } from '../helpers/seed-trace.ts';
import { tempDir } from '../helpers/tmp.ts';

const dirs: Array<ReturnType<typeof tempDir>> = [];
const file = () => {
  const d = tempDir();
  dirs.push(d);
  return d.file('c.sqlite');
};
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

describe('statistics', () => {
  it('Student t tail probabilities match the tables', () => {
    expect(studentTwoSidedP(12.706, 1)).toBeCloseTo(0.05, 3);
    expect(studentTwoSidedP(2.228, 10)).toBeCloseTo(0.05, 3);
    expect(studentTwoSidedP(2.042, 30)).toBeCloseTo(0.05, 3);
    expect(studentTwoSidedP(0, 5)).toBeCloseTo(1, 6);
  });
  it('Welch separates shifted groups and not identical ones', () => {
    const a = Float64Array.from([100, 102, 98, 101, 99, 100, 103, 97]);
    expect(welchPValue(a, Float64Array.from(a, (v) => v + 20))).toBeLessThan(1e-6);
    expect(welchPValue(a, Float64Array.from(a))).toBeCloseTo(1, 6);
    expect(welchPValue(a, Float64Array.from([100]))).toBeNull();
  });
  it('quantiles interpolate linearly', () => {
    const sorted = Float64Array.from([1, 2, 3, 4]);
    expect(quantile(sorted, 0.5)).toBe(2.5);
    expect(quantile(sorted, 0)).toBe(1);
    expect(quantile(new Float64Array(0), 0.5)).toBeNull();
  });
  it('LTTB keeps the ends and the spike', () => {
    const n = 10_000;
    const x = Float64Array.from({ length: n }, (_, i) => i);
    const y = Float64Array.from({ length: n }, (_, i) => (i === 5000 ? 100 : Math.sin(i / 100)));
    const keep = lttbIndices(x, y, 200);
    expect(keep.length).toBe(200);
    expect(keep[0]).toBe(0);
    expect(keep[199]).toBe(n - 1);
    expect(Array.from(keep)).toContain(5000);
    expect(Array.from(keep).every((v, i, a) => i === 0 || v > (a[i - 1] ?? -1))).toBe(true);
  });
  it('CSV quotes and defuses formulas', () => {
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField(Number.NaN)).toBe('');
  });
});

function seed(store: Store) {
  const at = Date.parse('2026-11-01T00:00:00Z');
  const runs: number[] = [];
  const add = (host: string, i: number, bps: number, family: '4' | '6', intervals = 0) => {
    const id = store.runs.create({ kind: 'throughput', host, port: null, family: 'any', options: {}, now: at + i * 3_600_000 });
    const samples: ThroughputInterval[] = Array.from({ length: intervals }, (_, s) => ({ seq: s, stream: -1, start: s, end: s + 1, bitsPerSecond: bps + s, bytes: bps / 8, retransmits: s, cwnd: null, rtt: 20_000 + s, rttvar: null, pmtu: null, omitted: s === 0, jitterMs: null, lostPackets: null, packets: null }));
    store.runs.finish(id, { status: 'succeeded', error: null, summary: { receivedBitsPerSecond: bps, retransmits: 10, meanRtt: 20_000 }, stdout: '', stderr: '', now: at + i * 3_600_000 + 10_000, family, pathFingerprint: null }, () => store.throughput.insert(id, samples));
    runs.push(id);
    return id;
  };
  for (let i = 0; i < 10; i += 1) add('a.example', i, i < 5 ? 9e8 + i * 1e6 : 5e8 + i * 1e6, i % 2 ? '6' : '4', 5);
  for (let i = 0; i < 4; i += 1) add('b.example', i, 3e8, '4');
  // Trace runs to a.example between the throughput runs, as the trace method stores them: the IPv4
  // route moves from hop 198.18.2.2 to 198.18.4.2 at 5.5 h, the IPv6 one at 8.5 h; the families interleave.
  const h = (hours: number) => at + hours * 3_600_000;
  const traces = storeTraceRuns(store, [
    { host: 'a.example', at: h(0.5), fixture: 'traceroute-udp-3hop' },
    { host: 'a.example', at: h(2.5), fixture: 'traceroute-udp-ipv6' },
    { host: 'a.example', at: h(4.5), fixture: 'traceroute-udp-3hop' },
    { host: 'a.example', at: h(5.5), fixture: 'traceroute-udp-route-b' },
    { host: 'a.example', at: h(7.5), fixture: 'traceroute-udp-route-b' },
    { host: 'a.example', at: h(8.5), fixture: 'tracepath-ipv6-route-b', targetAddress: '2001:db8:9::1' },
  ]);
  return { runs, at, traces, h };
}

describe('compare views over the store', () => {
  it('runs: per-interval series per run, omitted intervals left out', async () => {
    const db = file();
    const store = new Store(db);
    const { runs } = seed(store);
    store.close();
    const wb = Workbench.open({ dbPath: db, adapter: 'cli', validateOutputs: true });
    const result = await wb.invoke('compare.series', { view: 'runs', runIds: [runs[0]!, runs[1]!], metric: 'rtt' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.series).toHaveLength(2);
    expect(Array.from(result.value.series[0]!.x)).toEqual([2, 3, 4, 5]);
    expect(Array.from(result.value.series[0]!.y)).toEqual([20.001, 20.002, 20.003, 20.004]);
    expect((await wb.invoke('compare.series', { view: 'runs', runIds: [99_999] })).ok).toBe(false);
    await wb.close();
  });

  it('timeline: one point per run per host, route-change markers, downsampling bound', async () => {
    const db = file();
    const store = new Store(db);
    const { at, traces, h } = seed(store);
    store.close();
    const wb = Workbench.open({ dbPath: db, adapter: 'cli', validateOutputs: true });
    const result = await wb.invoke('compare.series', { view: 'timeline', hosts: ['a.example', 'b.example', 'a.example'] });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.series.map((s) => s.id)).toEqual(['host-a.example', 'host-b.example']);
    const [a, b] = result.value.series;
    expect(a?.total).toBe(10);
    expect(b?.total).toBe(4);
    expect(a?.x[0]).toBe(at);
    // Placed at the trace that saw the new route, linked to it; one family's traces never compared with the other's.
    expect(result.value.markers).toEqual([
      { x: h(5.5), seriesId: 'host-a.example', runId: traces[3], label: 'route changed (IPv4)' },
      { x: h(8.5), seriesId: 'host-a.example', runId: traces[5], label: 'route changed (IPv6)' },
    ]);
    const v6 = await wb.invoke('compare.series', { view: 'timeline', hosts: ['a.example'], family: '6' });
    expect(v6.ok && v6.value.markers.map((m) => m.runId)).toEqual([traces[5]]);
    const late = await wb.invoke('compare.series', { view: 'timeline', hosts: ['a.example'], from: h(6) });
    expect(late.ok && late.value.markers.map((m) => m.runId)).toEqual([traces[5]]);
    expect(late.ok && late.value.series[0]?.total).toBe(4);
    const small = await wb.invoke('compare.series', { view: 'timeline', hosts: ['a.example'], maxPoints: 10, family: '6' });
    expect(small.ok && small.value.series[0]?.total).toBe(5);
    const csv = compareToCsv(result.value);
    expect(csv.split('\r\n')[0]).toBe('series,time_iso,throughput_bit/s,run_id');
    expect(csv.split('\r\n').length).toBe(1 + 14 + 1);
    await wb.close();
  });

  it('timeline: throughput carries the diagnosed expected ceilings of each host, other metrics none', async () => {
    const db = file();
    const store = new Store(db);
    const { h } = seed(store);
    const first = storeDiagnosis(store, 'a.example', h(1.2), 8e8);
    const second = storeDiagnosis(store, 'a.example', h(6.2), 4e8);
    storeDiagnosis(store, 'b.example', h(2), 2.5e8);
    const unfinished = store.diagnoses.create('a.example', null, { via: [], targetBitsPerSecond: 1e9, depth: 'quick' }, h(7));
    store.close();
    const wb = Workbench.open({ dbPath: db, adapter: 'cli', validateOutputs: true });
    const result = await wb.invoke('compare.series', { view: 'timeline', hosts: ['a.example'] });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.ceilings).toEqual([
      { x: h(1.2), y: 8e8, seriesId: 'host-a.example', diagnosisId: first },
      { x: h(6.2), y: 4e8, seriesId: 'host-a.example', diagnosisId: second },
    ]);
    expect(result.value.ceilings.map((c) => c.diagnosisId)).not.toContain(unfinished);
    const ranged = await wb.invoke('compare.series', { view: 'timeline', hosts: ['a.example'], from: h(3) });
    expect(ranged.ok && ranged.value.ceilings.map((c) => c.diagnosisId)).toEqual([second]);
    const rtt = await wb.invoke('compare.series', { view: 'timeline', hosts: ['a.example'], metric: 'rtt' });
    expect(rtt.ok && rtt.value.ceilings).toEqual([]);
    await wb.close();
  });

  it('reads the traces that can change a route, hop for hop as the path history reads them', () => {
    const store = new Store(file());
    // Repeats of the path before (same family) are left out: they cannot start a change.
    const fixtures = ['traceroute-udp-ecmp', 'traceroute-udp-ecmp', 'traceroute-silent-hop', 'traceroute-udp-ipv6', 'traceroute-host-unreachable', 'traceroute-udp-ipv6', 'traceroute-admin-prohibited', 'traceroute-udp-ecmp'];
    const ids = storeTraceRuns(store, fixtures.map((fixture, i) => ({ host: 'p.example', at: 1_000 + i * 10, fixture })));
    storeTraceRuns(store, [{ host: 'other.example', at: 5, fixture: 'traceroute-udp-3hop' }]);
    // The tracepath of an mtu run to the same host is no route observation.
    storeTraceRuns(store, [{ host: 'p.example', at: 1_035, fixture: 'tracepath-3hop', targetAddress: '198.18.9.1', kind: 'mtu' }]);
    const shape = (path: { reached: boolean; hops: ReadonlyArray<{ ttl: number; flags: readonly string[]; reached: boolean; responders: ReadonlyArray<{ address: string }> }> }) => ({
      reached: path.reached,
      hops: path.hops.map((h) => ({ ttl: h.ttl, flags: [...h.flags], reached: h.reached, addresses: h.responders.map((r) => r.address).sort() })),
    });
    const kept = store.compare.routeTraces('p.example');
    const keptIds = [0, 2, 3, 4, 6, 7].map((i) => ids[i]);
    expect(kept.map((t) => t.runId)).toEqual(keptIds);
    expect(kept.map((t) => t.family)).toEqual(['4', '4', '6', '4', '4', '4']);
    const targetId = store.db.prepare("SELECT id FROM targets WHERE host = 'p.example'").pluck().get() as number;
    const history = store.paths.history(targetId).reverse().filter((h) => keptIds.includes(h.runId));
    expect(kept.map((t) => ({ at: t.at, path: shape(t.path) }))).toEqual(history.map((h) => ({ at: h.at, path: shape(h.path) })));
    expect(kept.some((t) => t.path.hops.some((h) => h.responders.length > 1))).toBe(true);
    expect(kept.some((t) => t.path.hops.some((h) => h.flags.length > 0))).toBe(true);
    // And the changes found over them are those found over every trace.
    const all = store.paths.history(targetId).filter((h) => h.stored.family === '4');
    expect(detectPathChanges(kept.filter((t) => t.family === '4')).changes).toEqual(detectPathChanges(all).changes);
    store.close();
  });

  it('groups by host, family and range read the timelines, and get what the runs table holds', async () => {
    const db = file();
    const store = new Store(db);
    const { h } = seed(store);
    // A run created earlier that finished later, and a failed one: neither may change the answer.
    const late = store.runs.create({ kind: 'throughput', host: 'b.example', port: 5201, family: 'any', options: {}, now: h(-1) });
    const failed = store.runs.create({ kind: 'throughput', host: 'b.example', port: null, family: 'any', options: {}, now: h(1) });
    store.runs.finish(failed, { status: 'failed', error: { code: 'TOOL_FAILED', message: 'x' }, summary: null, stdout: '', stderr: '', now: h(1) });
    store.runs.finish(late, { status: 'succeeded', error: null, summary: { receivedBitsPerSecond: 7e8 }, stdout: '', stderr: '', now: h(12), family: '6' });
    const groups = [{}, { host: 'a.example' }, { host: 'b.example' }, { family: '6' as const }, { from: h(2), to: h(7) }, { host: 'a.example', family: '4' as const, from: h(3) }, { to: h(0) }, { host: 'nowhere.example' }];
    const wb = Workbench.open({ dbPath: db, adapter: 'cli', validateOutputs: true });
    for (const g of groups) {
      for (const metric of ['throughput', 'rtt'] as const) {
        const sql = store.compare.groupValues(g, 'throughput', metric);
        const result = await wb.invoke('compare.series', { view: 'groups', metric, groups: [{ label: 'g', ...g }] });
        if (!result.ok) throw new Error(result.error.message);
        const [group] = result.value.groups;
        expect({ g, ids: Array.from(group?.runIds ?? []), values: Array.from(group?.values ?? []) }).toEqual({ g, ids: Array.from(sql.runIds), values: Array.from(sql.y) });
      }
    }
    expect(store.compare.groupValues({ family: '6' }, 'throughput', 'throughput').runIds).toContain(late);
    await wb.close();
    store.close();
  });

  it('timeline reads only the chunks that overlap the range', () => {
    const store = new Store(file());
    const t0 = Date.parse('2026-01-01T00:00:00Z');
    const n = 3 * CHUNK_POINTS;
    for (let i = 0; i < n; i += 1) {
      const id = store.runs.create({ kind: 'throughput', host: 'big.example', port: null, family: 'any', options: {}, now: t0 + i * 60_000 });
      store.runs.finish(id, { status: 'succeeded', error: null, summary: { receivedBitsPerSecond: 1e8 + i }, stdout: '', stderr: '', now: t0 + i * 60_000 + 1, family: '4' });
    }
    expect(store.timeline.read('big.example', 'throughput').x.length).toBe(n);
    // A range inside the second chunk reads that chunk alone.
    const inside = store.timeline.read('big.example', 'throughput', { from: t0 + (CHUNK_POINTS + 10) * 60_000, to: t0 + (CHUNK_POINTS + 20) * 60_000 });
    expect(inside.x.length).toBe(CHUNK_POINTS);
    expect(inside.x[0]).toBe(t0 + CHUNK_POINTS * 60_000);
    const tail = store.timeline.read('big.example', 'throughput', { from: t0 + (2 * CHUNK_POINTS - 1) * 60_000 });
    expect(tail.x.length).toBe(2 * CHUNK_POINTS);
    store.close();
  });

  it('groups: before/after is beyond noise, IPv4 vs IPv6 is not', async () => {
    const db = file();
    const store = new Store(db);
    const { at } = seed(store);
    store.close();
    const wb = Workbench.open({ dbPath: db, adapter: 'cli', validateOutputs: true });
    const change = at + 5 * 3_600_000;
    const ba = await wb.invoke('compare.series', { view: 'groups', groups: [{ label: 'before', host: 'a.example', to: change }, { label: 'after', host: 'a.example', from: change }] });
    if (!ba.ok) throw new Error(ba.error.message);
    expect(ba.value.groups.map((g) => g.n)).toEqual([5, 5]);
    expect(ba.value.difference?.beyondNoise).toBe(true);
    expect(ba.value.difference?.relative).toBeCloseTo(-0.44, 1);
    const fam = await wb.invoke('compare.series', { view: 'groups', groups: [{ label: 'IPv4', host: 'b.example', family: '4' }, { label: 'IPv6', host: 'b.example', family: '6' }] });
    expect(fam.ok && fam.value.groups.map((g) => g.n)).toEqual([4, 0]);
    expect(fam.ok && fam.value.difference).toBeNull();
    await wb.close();
  });
});
