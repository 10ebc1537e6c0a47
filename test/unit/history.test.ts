import { afterEach, describe, expect, it } from 'vitest';
import { Store } from '../../electron/core/store/index.ts';
import { Workbench } from '../../electron/core/workbench.ts';
import { parseWhen } from '../../electron/cli/commands/runs.ts';
import { tempDir } from '../helpers/tmp.ts';

const dirs: Array<ReturnType<typeof tempDir>> = [];
const file = () => {
  const d = tempDir();
  dirs.push(d);
  return d.file('h.sqlite');
};
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

function seed(store: Store) {
  const make = (host: string, at: number, family: '4' | '6' | null, fingerprint: string | null, status: 'succeeded' | 'failed' = 'succeeded') => {
    const id = store.runs.create({ kind: 'throughput', host, port: null, family: 'any', options: {}, now: at });
    store.runs.finish(id, { status, error: status === 'failed' ? { code: 'TIMEOUT', message: 'slow' } : null, summary: null, stdout: '', stderr: '', now: at + 1, family, pathFingerprint: fingerprint });
    return id;
  };
  return [make('a.example', 1000, '4', 'fp1'), make('a.example', 2000, '6', 'fp1'), make('b.example', 3000, '4', 'fp2', 'failed'), make('a.example', 4000, '4', 'fp2')];
}

describe('run history: filters, tags, delete', () => {
  it('filters by time range, family, fingerprint and tag, newest first', () => {
    const store = new Store(file());
    const [r1, r2, r3, r4] = seed(store);
    const ids = (f: Parameters<typeof store.runs.list>[0]) => store.runs.list(f).map((r) => r.id);
    expect(ids({ limit: 10, from: 2000, to: 4000 })).toEqual([r3, r2]);
    expect(ids({ limit: 10, family: '6' })).toEqual([r2]);
    expect(ids({ limit: 10, pathFingerprint: 'fp2' })).toEqual([r4, r3]);
    expect(ids({ limit: 10, host: 'a.example', family: '4' })).toEqual([r4, r1]);
    store.runs.tag([r1!, r4!], ['before-tuning', 'ticket-42'], []);
    store.runs.tag([r4!], [], ['before-tuning']);
    expect(ids({ limit: 10, tag: 'before-tuning' })).toEqual([r1]);
    expect(store.runs.get(r4!)?.tags).toEqual(['ticket-42']);
    expect(store.runs.get(r1!)?.tags).toEqual(['before-tuning', 'ticket-42']);
    expect(store.runs.get(r2!)?.family).toBe('6');
    store.close();
  });

  it('deletes runs with their output and samples, refuses runs in flight', () => {
    const store = new Store(file());
    const [r1] = seed(store);
    const inFlight = store.runs.create({ kind: 'throughput', host: 'c.example', port: null, family: 'any', options: {}, now: 5000 });
    expect(() => store.runs.delete([r1!, inFlight])).toThrow(/still in flight/);
    expect(store.runs.get(r1!)).not.toBeNull();
    expect(store.runs.delete([r1!])).toBe(1);
    expect(store.runs.get(r1!)).toBeNull();
    expect(store.runs.output(r1!)).toBeNull();
    expect((store.db.prepare('SELECT count(*) AS n FROM run_tags WHERE run_id = ?').get(r1) as { n: number }).n).toBe(0);
    store.close();
  });

  it('time-range, tag and fingerprint filters use indexes', () => {
    const store = new Store(file());
    const plan = (sql: string) => (store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>).map((r) => r.detail).join(' | ');
    expect(plan('SELECT id FROM runs WHERE created_at >= 1 AND created_at < 2')).toMatch(/runs_by_created/);
    expect(plan("SELECT run_id FROM run_tags WHERE tag = 'x'")).toMatch(/run_tags_by_tag/);
    expect(plan("SELECT id FROM runs WHERE path_fingerprint = 'x'")).toMatch(/runs_by_fingerprint/);
    store.close();
  });

  it('the contract bounds tags and id lists', async () => {
    const wb = Workbench.open({ dbPath: file(), adapter: 'cli', validateOutputs: true });
    expect((await wb.invoke('runs.tag', { runIds: [1], add: ['bad\u0007tag'] })).ok).toBe(false);
    expect((await wb.invoke('runs.tag', { runIds: [1], add: ['x'.repeat(65)] })).ok).toBe(false);
    expect((await wb.invoke('runs.delete', { runIds: [] })).ok).toBe(false);
    expect((await wb.invoke('runs.delete', { runIds: Array.from({ length: 1001 }, (_, i) => i + 1) })).ok).toBe(false);
    expect(await wb.invoke('runs.delete', { runIds: [12345] })).toEqual({ ok: true, value: { deleted: 0 } });
    await wb.close();
  });

  it('parses --since/--until as dates or ages', () => {
    const now = Date.parse('2026-11-22T12:00:00Z');
    expect(parseWhen('24h', 'since', now)).toBe(now - 86_400_000);
    expect(parseWhen('2026-11-20', 'since', now)).toBe(Date.parse('2026-11-20'));
    expect(() => parseWhen('yesterday', 'since', now)).toThrow(/ISO date or an age/);
    expect(() => parseWhen('2026-13-45', 'since', now)).toThrow(/not a date/);
  });
});

describe('settings', () => {
  it('a partial update changes only the keys it names', async () => {
    const wb = Workbench.open({ dbPath: file(), adapter: 'cli', validateOutputs: true });
    await wb.call('settings.update', { lsSources: ['http://127.0.0.1:9/lookup/_search'] });
    const after = await wb.call('settings.update', { location: { latitude: 46.2, longitude: 6.1, label: 'Geneva' } });
    expect(after.lsSources).toEqual(['http://127.0.0.1:9/lookup/_search']);
    expect((await wb.call('settings.update', { lsSources: [] })).location?.label).toBe('Geneva');
    expect((await wb.invoke('settings.update', { location: { latitude: 91, longitude: 0 } })).ok).toBe(false);
    expect((await wb.invoke('settings.update', { lsSources: ['file:///etc/passwd'] })).ok).toBe(false);
    await wb.close();
  });
});
