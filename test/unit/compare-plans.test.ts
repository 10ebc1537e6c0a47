import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CEILINGS_SQL, groupValuesSql, runSeriesSql, TRACE_HOPS_SQL, TRACE_RUNS_SQL } from '../../electron/core/store/compare.ts';
import { Store } from '../../electron/core/store/index.ts';
import { runListSql } from '../../electron/core/store/runs.ts';
import { timelineChunkSql } from '../../electron/core/store/timeline.ts';
import { tempDir } from '../helpers/tmp.ts';

/** The plans of the exact SQL the stores run, with the parameters they bind. */
const dir = tempDir();
let store: Store;
beforeAll(() => {
  store = new Store(dir.file('plans.sqlite'));
});
afterAll(() => {
  store.close();
  dir.remove();
});

const plan = (sql: string, params: object = {}) => (store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as Array<{ detail: string }>).map((r) => r.detail).join(' | ');

describe('compare and history queries, as built', () => {
  it('timeline chunks: by host and kind on the primary key, the time range cut in the same search', () => {
    for (const range of [{}, { from: 1 }, { to: 2 }, { from: 1, to: 2 }]) {
      const p = plan(timelineChunkSql(range), { host: 'a', kind: 'throughput', ...range });
      expect(p).toMatch(/SEARCH c USING PRIMARY KEY \(target_id=\? AND kind=\?\)/);
      expect(p).toMatch(/targets_identity/);
      expect(p).not.toMatch(/SCAN|TEMP B-TREE/);
    }
    expect(timelineChunkSql({ from: 1, to: 2 })).toMatch(/c\.last_x >= @from AND c\.first_x < @to/);
  });

  it('group values: run ids by primary key, tags by their index, a host by its targets', () => {
    const ids = groupValuesSql({ runIds: [3, 1, 2] }, 'throughput', 'throughput');
    expect(ids.params.runIds).toBe('[3,1,2]');
    expect(ids.sql).not.toMatch(/\d,\d/);
    expect(plan(ids.sql, ids.params)).toMatch(/SEARCH r USING INTEGER PRIMARY KEY \(rowid=\?\)/);
    const tag = groupValuesSql({ tag: 'x' }, 'latency', 'lossTo');
    expect(plan(tag.sql, tag.params)).toMatch(/run_tags_by_tag/);
    expect(plan(tag.sql, tag.params)).not.toMatch(/SCAN r\b/);
    for (const group of [{ host: 'h' }, { host: 'h', family: '4' as const, from: 1, to: 2 }]) {
      const q = groupValuesSql(group, 'twamp', 'loss');
      const p = plan(q.sql, q.params);
      expect(p).toMatch(/SEARCH r USING INDEX runs_by_target \(target_id=\?\)/);
      expect(p).not.toMatch(/SCAN r\b/);
    }
    const range = groupValuesSql({ from: 1, to: 2 }, 'throughput', 'throughput');
    expect(plan(range.sql, range.params)).toMatch(/runs_by_created/);
    const family = groupValuesSql({ family: '6' }, 'throughput', 'throughput');
    expect(plan(family.sql, family.params)).toMatch(/runs_by_family/);
  });

  it('a run\'s per-interval series walks the samples\' primary key in order', () => {
    const p = plan(runSeriesSql('s.bits_per_second').replace('?', '1'));
    expect(p).toMatch(/SEARCH s USING PRIMARY KEY \(run_id=\? AND stream=\?\)/);
    expect(p).not.toMatch(/TEMP B-TREE/);
  });

  it('a host\'s traces: its targets\' runs by index, then the kept runs\' hops and responders by primary key', () => {
    const runs = plan(TRACE_RUNS_SQL.replace('?', "'h'"));
    expect(runs).toMatch(/SEARCH r USING (COVERING )?INDEX runs_by_target_kind \(target_id=\? AND kind=\?\)/);
    expect(runs).toMatch(/SEARCH p USING INTEGER PRIMARY KEY \(rowid=\?\)/);
    expect(runs).not.toMatch(/SCAN (r|p)\b/);
    const hops = plan(TRACE_HOPS_SQL.replace('?', "'[1,2]'"));
    expect(hops).toMatch(/SEARCH h USING PRIMARY KEY \(run_id=\?\)/);
    expect(hops).toMatch(/SEARCH pr USING PRIMARY KEY \(run_id=\? AND ttl=\?\)/);
    expect(hops).not.toMatch(/SCAN h\b|TEMP B-TREE/);
  });

  it('ceilings: a host\'s diagnoses by their per-host index', () => {
    expect(plan(CEILINGS_SQL.replace('?', "'h'"))).toMatch(/SEARCH d USING INDEX diagnoses_by_host \(host=\?\)/);
  });

  it('the runs list: newest first without sorting, each filter by an index', () => {
    const base = { limit: 100 };
    expect(plan(runListSql(base).sql, runListSql(base).params)).not.toMatch(/TEMP B-TREE/);
    const cases: Array<[object, RegExp]> = [
      [{ host: 'h' }, /targets_identity|runs_by_target/],
      [{ tag: 't' }, /run_tags_by_tag/],
      [{ pathFingerprint: 'f' }, /runs_by_fingerprint/],
      [{ from: 1, to: 2 }, /runs_by_created/],
      [{ status: 'running' }, /runs_by_status/],
    ];
    for (const [filter, index] of cases) {
      const { sql, params } = runListSql({ ...base, ...filter });
      expect(plan(sql, params), JSON.stringify(filter)).toMatch(index);
    }
  });
});
