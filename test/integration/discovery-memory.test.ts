import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_LS_SOURCES, type SourceReport } from '../../electron/shared/hosts.ts';
import { refreshCache } from '../../electron/core/discovery/index.ts';
import { generateRecords } from '../doubles/lookup-service/generate.ts';
import { startLookupServiceDouble, type LookupServiceDouble } from '../doubles/lookup-service/server.ts';
import { openCache } from './discovery-helpers.ts';

/* A hostile Lookup Service cannot make discovery run out of memory, even when every source of a query is hostile. */

const CHILD = fileURLToPath(new URL('./discovery-memory-child.ts', import.meta.url));
let ls: LookupServiceDouble;

beforeAll(async () => {
  ls = await startLookupServiceDouble();
  // 30 MiB of valid JSON, under the per-response limit: ten million empty objects (~700 MB of heap once parsed).
  ls.misbehave('all', { kind: 'body', body: `[${'{},'.repeat(10_000_000)}{}]` });
});
afterAll(async () => {
  await ls.close();
});

describe('discovery memory against hostile Lookup Services', () => {
  it(`refuses ${MAX_LS_SOURCES} sources each sending 30 MiB of empty objects, within a 256 MB heap, with a reason per source`, async () => {
    const urls = Array.from({ length: MAX_LS_SOURCES }, (_, i) => `${ls.url}/hostile${i}/records`);
    const child = await execa(process.execPath, ['--max-old-space-size=256', CHILD, ...urls], { reject: false, stdin: 'ignore', timeout: 120_000 });
    expect(child.stderr).not.toMatch(/heap out of memory/i);
    expect(child.exitCode).toBe(0);
    const sources = JSON.parse(child.stdout) as Pick<SourceReport, 'url' | 'ok' | 'error'>[];
    expect(sources.map((s) => s.url).sort()).toEqual([...urls].sort());
    for (const s of sources) {
      expect(s.ok).toBe(false);
      expect(s.error?.code).toBe('UNPARSEABLE_OUTPUT');
      expect(s.error?.message).toContain(s.url);
      expect(s.error?.message).toMatch(/more than 1000000 JSON objects and arrays|more than 96 MiB in all/);
    }
    // The shared limit cut the later sources off before they were read whole.
    expect(sources.some((s) => /in all/.test(s.error?.message ?? ''))).toBe(true);
  });

  it('still takes a full refresh of a global-LS-sized population (20,000 records) through both query forms', async () => {
    const now = Date.now();
    const global = await startLookupServiceDouble({ records: generateRecords({ records: 20_000, now, seed: 21, expiredShare: 0 }) });
    const cache = openCache();
    try {
      const result = await refreshCache(cache.store, { sources: [global.recordsUrl, global.searchUrl], now: () => now });
      expect(result.sources.map((s) => [s.ok, s.error])).toEqual([
        [true, null],
        [true, null],
      ]);
      expect(result.records).toBe(40_000);
    } finally {
      cache.cleanup();
      await global.close();
    }
  });
});
