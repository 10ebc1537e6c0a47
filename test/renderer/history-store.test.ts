import { beforeEach, describe, expect, it } from 'vitest';
import type { RunListFilter, RunSummary } from '../../electron/shared/runs.ts';
import { setTransport } from '../../renderer/src/api/index.ts';
import { emptyFilter, PAGE_SIZE, toListFilter, useHistory } from '../../renderer/src/store/history.ts';

/** runs.list answers are held until the test releases them, in any order. */
const pending: Array<{ input: RunListFilter; answer(runs: RunSummary[]): void }> = [];
const tagCalls: unknown[] = [];
setTransport({
  kind: 'bridge',
  call: (channel, input) => {
    if (channel === 'runs.tag') {
      tagCalls.push(input);
      return Promise.resolve({ ok: true, value: { runIds: [] } });
    }
    return new Promise((resolve) => pending.push({ input: input as RunListFilter, answer: (runs) => resolve({ ok: true, value: runs }) }));
  },
  onEvent: () => () => {},
});

const run = (id: number, host = 'a.example'): RunSummary =>
  ({ id, kind: 'throughput', target: { host, port: null }, status: 'succeeded', createdAt: id, tags: [], pathFingerprint: null }) as unknown as RunSummary;
const ids = () => useHistory.getState().runs.map((r) => r.id);
const settle = () => new Promise((r) => setTimeout(r, 0));

beforeEach(() => {
  pending.length = 0;
  tagCalls.length = 0;
  useHistory.setState({ filter: emptyFilter, runs: [], hasMore: false, selected: [], loading: false, error: null });
});

describe('history store', () => {
  it('an older, slower answer never overwrites the list for the newer filter', async () => {
    const s = useHistory.getState();
    s.setFilter({ host: 'a' });
    const first = s.load();
    s.setFilter({ host: 'ab' });
    const second = s.load();
    expect(pending.map((p) => p.input.host)).toEqual(['a', 'ab']);
    pending[1]?.answer([run(2, 'ab.example')]);
    await second;
    pending[0]?.answer([run(1, 'a.example'), run(2, 'ab.example')]);
    await first;
    expect(ids()).toEqual([2]);
    expect(useHistory.getState().loading).toBe(false);
  });

  it('loads older pages with before = the last id shown, and knows when there are no more', async () => {
    const s = useHistory.getState();
    const page = (from: number, n: number) => Array.from({ length: n }, (_, i) => run(from - i));
    const load = s.load();
    pending[0]?.answer(page(500, PAGE_SIZE));
    await load;
    expect(useHistory.getState().hasMore).toBe(true);
    const more = s.loadMore();
    expect(pending[1]?.input).toMatchObject({ before: 500 - PAGE_SIZE + 1, limit: PAGE_SIZE });
    pending[1]?.answer(page(500 - PAGE_SIZE, 3));
    await more;
    expect(ids()).toHaveLength(PAGE_SIZE + 3);
    expect(ids().at(-1)).toBe(500 - PAGE_SIZE - 2);
    expect(useHistory.getState().hasMore).toBe(false);
  });

  it('a page that arrives after the filter changed is dropped', async () => {
    const s = useHistory.getState();
    const load = s.load();
    pending[0]?.answer(Array.from({ length: PAGE_SIZE }, (_, i) => run(1000 - i)));
    await load;
    const more = s.loadMore();
    s.setFilter({ kind: 'trace' });
    const reload = s.load();
    pending[2]?.answer([run(7)]);
    await reload;
    pending[1]?.answer([run(10), run(9)]);
    await more;
    expect(ids()).toEqual([7]);
  });

  it('removes one tag from one run, then reloads as many rows as were shown', async () => {
    useHistory.setState({ runs: Array.from({ length: PAGE_SIZE + 5 }, (_, i) => run(900 - i)) });
    const removing = useHistory.getState().removeTag(900, 'before-tuning');
    await settle();
    expect(tagCalls).toEqual([{ runIds: [900], add: [], remove: ['before-tuning'] }]);
    expect(pending[0]?.input.limit).toBe(PAGE_SIZE + 5);
    pending[0]?.answer([run(900)]);
    await removing;
  });

  it('turns the form into the contract filter: path fingerprint and whole local days', () => {
    const f = toListFilter({ ...emptyFilter, fingerprint: ' fp2 ', since: '2026-03-01', until: '2026-03-02', status: 'queued' });
    expect(f).toEqual({ limit: PAGE_SIZE, pathFingerprint: 'fp2', status: 'queued', from: new Date(2026, 2, 1).getTime(), to: new Date(2026, 2, 3).getTime() });
    expect(toListFilter({ ...emptyFilter, since: 'yesterday', until: '' })).toEqual({ limit: PAGE_SIZE });
  });
});
