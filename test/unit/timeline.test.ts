import { afterEach, describe, expect, it } from 'vitest';
import { compare } from '../../electron/core/compare/index.ts';
import { Store } from '../../electron/core/store/index.ts';
import { CHUNK_POINTS, routeHash } from '../../electron/core/store/timeline.ts';
import { CompareInput } from '../../electron/shared/compare.ts';
import { tempDir } from '../helpers/tmp.ts';

const dirs: Array<ReturnType<typeof tempDir>> = [];
const file = () => {
  const d = tempDir();
  dirs.push(d);
  return d.file('t.sqlite');
};
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

/** The same timeline straight from the runs table, the reference the chunks must equal. */
function referenceTimeline(store: Store, host: string) {
  return store.db
    .prepare(`SELECT r.created_at AS x, json_extract(r.summary, '$.receivedBitsPerSecond') AS y, r.id AS id FROM runs r JOIN targets t ON t.id = r.target_id
      WHERE t.host = ? AND r.status = 'succeeded' AND r.kind = 'throughput' ORDER BY r.created_at, r.id`)
    .all(host) as Array<{ x: number; y: number; id: number }>;
}

function addRun(store: Store, host: string, at: number, bps: number, o: { port?: number; status?: 'succeeded' | 'failed'; fp?: string | null; finishLater?: boolean } = {}) {
  const id = store.runs.create({ kind: 'throughput', host, port: o.port ?? null, family: 'any', options: {}, now: at });
  const finish = () => store.runs.finish(id, { status: o.status ?? 'succeeded', error: null, summary: { receivedBitsPerSecond: bps }, stdout: '', stderr: '', now: at + 1, family: at % 2 ? '6' : '4', pathFingerprint: o.fp ?? null });
  if (!o.finishLater) finish();
  return { id, finish };
}

const timeline = (store: Store, hosts: string[], extra: Record<string, unknown> = {}) => compare(store, CompareInput.parse({ view: 'timeline', hosts, maxPoints: 1_000_000, ...extra }));

describe('columnar timelines', () => {
  it('equal the runs table across chunk boundaries, failures, ports and out-of-order finishes', () => {
    const store = new Store(file());
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const late: Array<() => void> = [];
    for (let i = 0; i < CHUNK_POINTS * 2 + 37; i += 1) {
      const run = addRun(store, 'a.example', 1_000_000 + i * 1000, 1e8 + rand() * 1e8, { port: i % 3 === 0 ? 5201 : undefined, status: rand() < 0.1 ? 'failed' : 'succeeded', finishLater: i % 97 === 5 });
      if (i % 97 === 5) late.push(run.finish);
    }
    late.forEach((f) => f());
    const reference = referenceTimeline(store, 'a.example');
    const [series] = timeline(store, ['a.example']).series;
    expect(series?.total).toBe(reference.length);
    expect(Array.from(series!.x)).toEqual(reference.map((r) => r.x));
    expect(Array.from(series!.y)).toEqual(reference.map((r) => r.y));
    expect(Array.from(series!.runIds)).toEqual(reference.map((r) => r.id));
    store.close();
  });

  it('follow deletes and filter by time and family; a fingerprint on a throughput run marks nothing', () => {
    const store = new Store(file());
    const ids = Array.from({ length: 10 }, (_, i) => addRun(store, 'b.example', 2000 + i * 10, 5e8, { fp: i < 6 ? 'route-a' : 'route-b' }).id);
    store.runs.delete([ids[0]!, ids[1]!]);
    const result = timeline(store, ['b.example']);
    expect(result.series[0]?.total).toBe(8);
    // Route changes come from the host's trace runs (compare.test.ts), not from fingerprints written into other runs.
    expect(result.markers).toEqual([]);
    expect(timeline(store, ['b.example'], { from: 2040, to: 2070 }).series[0]?.total).toBe(3);
    expect(timeline(store, ['b.example'], { family: '6' }).series[0]?.total).toBe(0);
    expect(timeline(store, ['b.example'], { family: '4' }).series[0]?.total).toBe(8);
    store.close();
  });

  it('a finish that does not change the run adds no point twice', () => {
    const store = new Store(file());
    const { id } = addRun(store, 'c.example', 5000, 1e9);
    store.runs.finish(id, { status: 'succeeded', error: null, summary: { receivedBitsPerSecond: 1 }, stdout: '', stderr: '', now: 6000 });
    expect(timeline(store, ['c.example']).series[0]?.total).toBe(1);
    store.close();
  });

  it('are rebuilt when their layout is stale, and built by the migration for existing runs', () => {
    const store = new Store(file());
    addRun(store, 'd.example', 7000, 3e8);
    store.db.prepare("UPDATE timeline_chunks SET layout = 'x,run,old'").run();
    expect(timeline(store, ['d.example']).series[0]?.total).toBe(1);
    expect((store.db.prepare('SELECT layout FROM timeline_chunks').get() as { layout: string }).layout).not.toBe('x,run,old');
    store.db.exec('DELETE FROM timeline_chunks');
    store.timeline.rebuildAll();
    expect(timeline(store, ['d.example']).series[0]?.total).toBe(1);
    store.close();
  });

  it('route hashes change with the route and are NaN when unknown', () => {
    expect(routeHash('a')).not.toBe(routeHash('b'));
    expect(routeHash('a')).toBe(routeHash('a'));
    expect(Number.isNaN(routeHash(null))).toBe(true);
  });
});
