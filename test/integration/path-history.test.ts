import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../../electron/core/store/index.ts';
import { Workbench } from '../../electron/core/workbench.ts';
import { storeTraceRuns, traceFixture } from '../helpers/seed-trace.ts';
import { tempDir } from '../helpers/tmp.ts';

/**
 * Route history is made of trace runs, one series per address family: the tracepath of an mtu
 * run (which stops where PMTU discovery stops) and an IPv6 trace must never read as a route change
 * of the IPv4 route.
 */

let dir: ReturnType<typeof tempDir>;
let db: string;

beforeEach(() => {
  dir = tempDir('psw-path-history-');
  db = dir.file('paths.sqlite');
});
afterEach(() => dir.remove());

/** An mtu run whose stored tracepath stopped early (no reply from hop 3 on), as runMtuMethod stores it. */
function storeMtuRun(store: Store, host: string, at: number): number {
  const result = traceFixture('tracepath-no-reply', '198.18.9.1');
  const id = store.runs.create({ kind: 'mtu', host, port: null, family: 'any', options: {}, now: at });
  store.runs.finish(id, { status: 'succeeded', error: null, summary: null, stdout: '', stderr: '', now: at + 5_000, family: '4', pathFingerprint: null }, () => store.paths.insertTrace(id, at, result));
  return id;
}

describe('path history: trace runs only, per address family', () => {
  it('paths.history leaves out mtu tracepaths and the other family; one real change is reported', async () => {
    const store = new Store(db);
    const [v4a] = storeTraceRuns(store, [{ host: 'p.example', at: 1_000, fixture: 'traceroute-udp-3hop' }]);
    const mtu = storeMtuRun(store, 'p.example', 2_000);
    const [v6] = storeTraceRuns(store, [{ host: 'p.example', at: 3_000, fixture: 'traceroute-udp-ipv6' }]);
    const [v4b, v4c] = storeTraceRuns(store, [
      { host: 'p.example', at: 4_000, fixture: 'traceroute-udp-3hop' },
      { host: 'p.example', at: 5_000, fixture: 'traceroute-udp-route-b' },
    ]);
    const targetId = store.db.prepare("SELECT id FROM targets WHERE host = 'p.example'").pluck().get() as number;
    expect(store.paths.history(targetId).map((h) => h.runId)).toEqual([v4c, v4b, v6, v4a]);
    expect(store.paths.history(targetId, { family: '6' }).map((h) => h.runId)).toEqual([v6]);
    store.close();

    const wb = Workbench.open({ dbPath: db, adapter: 'cli', validateOutputs: true });
    try {
      const v4 = await wb.call('paths.history', { host: 'p.example' });
      expect(v4.family).toBe('4');
      expect(v4.families).toEqual(['4', '6']);
      expect(v4.runs.map((r) => r.runId)).toEqual([v4a, v4b, v4c]);
      expect(v4.runs.map((r) => r.runId)).not.toContain(mtu);
      expect(v4.history.changes.map((c) => [c.previousRunId, c.runId, c.diff.firstChangedTtl])).toEqual([[v4b, v4c, 2]]);
      expect(v4.history.distinctPaths).toBe(2);
      const six = await wb.call('paths.history', { host: 'p.example', family: '6' });
      expect(six.runs.map((r) => r.runId)).toEqual([v6]);
      expect(six.history.changes).toEqual([]);
    } finally {
      await wb.close();
    }
  });

  it('latestRoute, which the next trace takes its route fingerprint from, skips mtu runs and the other family', () => {
    const store = new Store(db);
    const [v4] = storeTraceRuns(store, [{ host: 'p.example', at: 1_000, fixture: 'traceroute-udp-3hop' }]);
    const [v6] = storeTraceRuns(store, [{ host: 'p.example', at: 2_000, fixture: 'traceroute-udp-ipv6' }]);
    storeMtuRun(store, 'p.example', 3_000);
    const targetId = store.db.prepare("SELECT id FROM targets WHERE host = 'p.example'").pluck().get() as number;
    expect(store.paths.latestRoute(targetId, '4')?.runId).toBe(v4);
    expect(store.paths.latestRoute(targetId, '6')?.runId).toBe(v6);
    expect(store.paths.latestRoute(targetId)?.runId).toBe(v6);
    store.close();
  });
});
