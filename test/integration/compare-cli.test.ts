import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../electron/core/store/index.ts';
import { psw } from '../helpers/psw.ts';
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
