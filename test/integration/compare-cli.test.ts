import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Store } from '../../electron/core/store/index.ts';
import { toPlainJson } from '../../electron/shared/csv.ts';
import { decodeMessage } from '../../electron/shared/wire.ts';
import { initialCompareForm, toCompareInput } from '../../renderer/src/features/compare/form.ts';
import { startPswServe } from '../helpers/serve.ts';
import type { RunDetail } from '../../electron/shared/runs.ts';
import { psw } from '../helpers/psw.ts';
import { startResponder, type Responder } from '../helpers/responder.ts';
import { seedDelayRuns } from '../helpers/seed-latency.ts';
import { tempDir } from '../helpers/tmp.ts';

const dir = tempDir();
const db = dir.file('compare.sqlite');
const at = Date.parse('2026-11-10T00:00:00Z');

beforeAll(() => {
  const store = new Store(db);
  for (let i = 0; i < 8; i += 1) {
    const id = store.runs.create({ kind: 'throughput', host: 'ps.example.net', port: null, family: 'any', options: {}, now: at + i * 3_600_000 });
    store.runs.finish(id, { status: 'succeeded', error: null, summary: { receivedBitsPerSecond: i < 4 ? 2e8 + i : 9e8 + i, retransmits: 0, meanRtt: 30_000 }, stdout: '', stderr: '', now: at + i * 3_600_000 + 1, family: i % 2 ? '6' : '4', pathFingerprint: 'p' });
  }
  store.close();
});
afterAll(() => dir.remove());

describe('psw compare', () => {
  it('before-after says whether a change is beyond noise', async () => {
    const result = await psw(['compare', 'before-after', 'ps.example.net', '--at', '2026-11-10T04:00:00Z', '--db', db]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/before\s+n=\s+4/);
    expect(result.stdout).toMatch(/beyond run-to-run noise/);
  });

  it('--json gives the same chart-ready series with plain arrays', async () => {
    const result = await psw(['compare', 'timeline', 'ps.example.net', '--json', '--db', db]);
    const value = JSON.parse(result.stdout) as { series: Array<{ x: number[]; y: number[]; total: number }> };
    expect(value.series[0]?.total).toBe(8);
    expect(value.series[0]?.x[0]).toBe(at);
    expect(Array.isArray(value.series[0]?.y)).toBe(true);
  });

  it('--csv exports one row per point with the run behind it', async () => {
    const result = await psw(['compare', 'families', 'ps.example.net', '--csv', '--db', db]);
    const lines = result.stdout.trim().split('\r\n');
    expect(lines[0]).toBe('group,throughput_bit/s,run_id');
    expect(lines.filter((l) => l.startsWith('IPv4,'))).toHaveLength(4);
  });

  it('refuses bad input with exit status 2', async () => {
    expect((await psw(['compare', 'runs', 'abc', '--db', db])).exitCode).toBe(2);
    expect((await psw(['compare', 'timeline', '--evil', '--db', db])).exitCode).toBe(2);
    expect((await psw(['compare', 'timeline', 'ps.example.net', '--metric', 'nonsense', '--db', db])).exitCode).toBe(2);
  });
});

interface JsonResult {
  view: string;
  metric: string;
  kind: string | null;
  unit: string;
  series: Array<{ id: string; label: string; x: number[]; y: number[]; runIds: number[]; total: number }>;
  groups: Array<{ label: string; n: number; median: number | null; values: number[]; runIds: number[] }>;
  difference: { beyondNoise: boolean; explanation: string } | null;
}

/** Real OWAMP, TWAMP and ping runs on loopback (psw run against psw responder), then psw compare on them. */
describe('psw compare on stored latency, twamp and ping runs', () => {
  const ldb = dir.file('latency.sqlite');
  const responders: Responder[] = [];
  const ids = { latency: [] as number[], twamp: [] as number[], rtt: [] as number[] };
  const details = new Map<number, RunDetail>();
  const change = Date.parse('2026-11-20T00:00:00Z');

  async function measure(args: string[]): Promise<number> {
    const result = await psw([...args, '--json', '--db', ldb]);
    expect(result.exitCode, result.stderr).toBe(0);
    const run = JSON.parse(result.stdout) as RunDetail;
    expect(run.status).toBe('succeeded');
    details.set(run.id, run);
    return run.id;
  }

  beforeAll(async () => {
    const owamp = await startResponder('owamp');
    const twamp = await startResponder('twamp');
    responders.push(owamp, twamp);
    for (let i = 0; i < 3; i += 1) ids.latency.push(await measure(['run', 'latency', '--to', `127.0.0.1:${owamp.port}`, '--count', '40', '--interval', '0.01']));
    for (let i = 0; i < 2; i += 1) ids.twamp.push(await measure(['run', 'twamp', '--to', `127.0.0.1:${twamp.port}`, '--count', '30', '--interval', '0.01']));
    for (let i = 0; i < 2; i += 1) ids.rtt.push(await measure(['run', 'rtt', '--to', '127.0.0.1', '--count', '10', '--interval', '0.05']));
    // Loopback loses nothing: a second target's twamp history, before and after a change, gives loss to compare.
    seedDelayRuns(ldb, Array.from({ length: 8 }, (_, i) => ({ kind: 'twamp' as const, host: 'lossy.example.net', at: change + (i - 4) * 3_600_000, delayMs: 25, loseEvery: i < 4 ? 0 : 8 + i })));
  }, 120_000);
  afterAll(async () => {
    await Promise.all(responders.map((r) => r.stop()));
  });

  const json = async (args: string[]) => {
    const result = await psw(['compare', ...args, '--json', '--db', ldb]);
    expect(result.exitCode, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as JsonResult;
  };
  const session = (id: number, direction: string) => details.get(id)?.oneway?.sessions.find((s) => s.direction === direction);

  it('timeline of one-way delay each way: one point per latency run, the stored median', async () => {
    const to = await json(['timeline', '127.0.0.1', '--metric', 'delayTo']);
    expect(to).toMatchObject({ view: 'timeline', metric: 'delayTo', kind: 'latency', unit: 'ms' });
    expect(to.series).toHaveLength(1);
    expect(to.series[0]?.total).toBe(3);
    expect(to.series[0]?.runIds).toEqual(ids.latency);
    expect(to.series[0]?.y).toEqual(ids.latency.map((id) => session(id, 'to')?.medianMs));
    for (const y of to.series[0]?.y ?? []) expect(y).toBeGreaterThan(0);
    // The kind alone picks its first metric: the same chart-ready series.
    expect(await json(['timeline', '127.0.0.1', '--kind', 'latency'])).toEqual(to);
    const from = await json(['timeline', '127.0.0.1', '--metric', 'delayFrom']);
    expect(from.series[0]?.y).toEqual(ids.latency.map((id) => session(id, 'from')?.medianMs));
    const loss = await json(['timeline', '127.0.0.1', '--metric', 'lossFrom']);
    expect(loss.series[0]?.y).toEqual([0, 0, 0]);
  });

  it('round trip: twamp median and loss, ping p50', async () => {
    const tw = await json(['timeline', '127.0.0.1', '--kind', 'twamp', '--metric', 'rtt']);
    expect(tw.series[0]?.y).toEqual(ids.twamp.map((id) => session(id, 'round-trip')?.medianMs));
    expect((await json(['timeline', '127.0.0.1', '--kind', 'twamp', '--metric', 'loss'])).series[0]?.y).toEqual([0, 0]);
    const ping = await json(['timeline', '127.0.0.1', '--kind', 'rtt']);
    expect(ping).toMatchObject({ metric: 'rtt', kind: 'rtt' });
    expect(ping.series[0]?.y).toEqual(ids.rtt.map((id) => details.get(id)?.rtt?.p50Ms));
  });

  it('run vs run: the per-packet delays of each session, in send order', async () => {
    const runs = await json(['runs', String(ids.latency[0]), String(ids.latency[1]), '--metric', 'delayFrom']);
    expect(runs).toMatchObject({ view: 'runs', metric: 'delayFrom', kind: 'latency' });
    expect(runs.series.map((s) => s.total)).toEqual([40, 40]);
    const [first] = runs.series;
    expect(first?.runIds.every((id) => id === ids.latency[0])).toBe(true);
    expect(first?.x.every((x, i, a) => i === 0 || x >= a[i - 1]!)).toBe(true);
    expect(first?.y.every((y) => y > 0 && y < 1000)).toBe(true);
    // The same packets the run's own view draws.
    const stored = await psw(['runs', 'show', String(ids.latency[0]), '--json', '--db', ldb]);
    const packets = (JSON.parse(stored.stdout) as { data: { sessions: Array<{ direction: string; delayMs: number[] }> } }).data.sessions.find((s) => s.direction === 'from');
    expect([...(first?.y ?? [])].sort((a, b) => a - b)).toEqual([...(packets?.delayMs ?? [])].sort((a, b) => a - b));
    const rtt = await json(['runs', String(ids.twamp[0]), String(ids.rtt[0]), '--metric', 'rtt', '--max-points', '20']);
    expect(rtt.kind).toBeNull();
    expect(rtt.series.map((s) => s.total)).toEqual([30, 10]);
    expect(rtt.series.map((s) => s.x.length)).toEqual([20, 10]);
  });

  it('loss before and after a change, as text and CSV', async () => {
    const args = ['compare', 'before-after', 'lossy.example.net', '--at', new Date(change).toISOString(), '--metric', 'loss', '--kind', 'twamp', '--db', ldb];
    const text = await psw(args);
    expect(text.exitCode, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^Round-trip loss of twamp runs \(loss, %\)/);
    expect(text.stdout).toMatch(/before\s+n=\s+4\s+median 0 %/);
    expect(text.stdout).toMatch(/beyond run-to-run noise/);
    const csv = (await psw([...args, '--csv'])).stdout.trim().split('\r\n');
    expect(csv[0]).toBe('group,loss_%,run_id');
    expect(csv.filter((l) => l.startsWith('after,'))).toHaveLength(4);
  });

  it('refuses a metric the runs do not carry with exit status 2 and says why', async () => {
    const wrongKind = await psw(['compare', 'timeline', '127.0.0.1', '--kind', 'rtt', '--metric', 'delayTo', '--db', ldb]);
    expect(wrongKind.exitCode).toBe(2);
    expect(wrongKind.stderr).toMatch(/delayTo is not a metric of rtt runs \(it comes from latency runs\)/);
    const notSeries = await psw(['compare', 'runs', String(ids.latency[0]), '--metric', 'lossTo', '--db', ldb]);
    expect(notSeries.exitCode).toBe(2);
    expect(notSeries.stderr).toMatch(/one figure per latency run, not a series/);
    expect((await psw(['compare', 'runs', String(ids.latency[0]), '--kind', 'latency', '--db', ldb])).exitCode).toBe(2);
    expect((await psw(['compare', 'timeline', '127.0.0.1', '--kind', 'trace', '--db', ldb])).exitCode).toBe(2);
  });
});

/** The bridge's answer to one call, as the renderer decodes it. */
async function bridgeCall(url: string, token: string, channel: string, input: unknown): Promise<{ ok: boolean; value?: unknown; error?: { message: string } }> {
  const ws = new WebSocket(url.replace(/^http/, 'ws').replace(/\/\?token=.*$/, '/api'), { headers: { authorization: `Bearer ${token}` } });
  try {
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    return await new Promise((resolve) => {
      ws.on('message', (data, binary) => {
        const message = decodeMessage(binary ? new Uint8Array(data as Buffer) : String(data)) as { id?: number; result?: { ok: boolean; value?: unknown } };
        if (message.id === 1 && message.result) resolve(message.result);
      });
      ws.send(JSON.stringify({ id: 1, channel, input }));
    });
  } finally {
    ws.close();
  }
}

describe('psw compare --json and the UI, for the same request', () => {
  const bdb = dir.file('bridge.sqlite');
  const t0 = Date.parse('2024-01-01T00:00:00Z');
  const runs = 6000;

  beforeAll(() => {
    // More runs than the old CLI default of 5000 points: a different default would cut one series and not the other.
    const store = new Store(bdb);
    store.db.exec("INSERT INTO targets (host, port, family, created_at) VALUES ('many.example.net', 5201, 'any', 0)");
    store.db.exec(`
      INSERT INTO runs (kind, target_id, options, status, created_at, summary, family_used)
      WITH RECURSIVE s(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM s WHERE n < ${runs - 1})
      SELECT 'throughput', 1, '{}', 'succeeded', ${t0} + n * 60000, json_object('receivedBitsPerSecond', 9e8 + (n * 7919 % 1000) * 1e5), '4' FROM s`);
    store.timeline.rebuildAll();
    store.close();
  });

  it('gives the same chart-ready series from the CLI as from the bridge the UI asks', async () => {
    const form = { ...initialCompareForm, mode: 'timeline' as const, hosts: 'many.example.net' };
    const cli = await psw(['compare', 'timeline', 'many.example.net', '--json', '--db', bdb]);
    expect(cli.exitCode, cli.stderr).toBe(0);
    const serve = await startPswServe(bdb);
    try {
      const bridged = await bridgeCall(serve.url, serve.token, 'compare.series', toCompareInput(form));
      expect(bridged.ok, bridged.error?.message).toBe(true);
      const fromCli = JSON.parse(cli.stdout) as { series: Array<{ x: number[]; total: number }> };
      expect(fromCli.series[0]?.total).toBe(runs);
      expect(fromCli.series[0]?.x).toHaveLength(runs);
      expect(JSON.parse(toPlainJson(bridged.value))).toEqual(fromCli);
    } finally {
      await serve.stop();
    }
  });
});
