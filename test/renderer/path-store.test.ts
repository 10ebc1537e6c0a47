import { beforeEach, describe, expect, it } from 'vitest';
import type { Channel } from '../../electron/shared/channels.ts';
import type { Result } from '../../electron/shared/errors.ts';
import type { WorkbenchEvent } from '../../electron/shared/events.ts';
import type { MtuProbe, PathHop, PingReply } from '../../electron/shared/path.ts';
import { setTransport } from '../../renderer/src/api/index.ts';
import { openPathHistory, openRun, pathTargets, usePaths } from '../../renderer/src/store/paths.ts';
import { LIVE_REPLY_LIMIT, useRuns } from '../../renderer/src/store/runs.ts';
import { useUi } from '../../renderer/src/store/ui.ts';
import { fixtureTrace, historyResult } from './path-fixtures.ts';

const calls: Array<[Channel, unknown]> = [];
let answer: (channel: Channel, input: unknown) => Promise<Result<unknown>> = async () => ({ ok: true, value: [] });
setTransport({
  kind: 'bridge',
  call: async (channel, input) => {
    calls.push([channel, input]);
    return answer(channel, input);
  },
  onEvent: () => () => {},
});

beforeEach(() => {
  calls.length = 0;
  answer = async () => ({ ok: true, value: [] });
  usePaths.setState({ host: '', limit: 200, loadedHost: null, result: null, loading: false, error: null, resultId: 0 });
  useRuns.setState({ history: [], selectedId: null, detail: null, live: {}, error: null, starting: false });
  useUi.setState({ view: 'measure' });
});

describe('paths store', () => {
  it('loads one target’s path history and opens the Paths view', async () => {
    const result = historyResult();
    answer = async (channel) => (channel === 'paths.history' ? { ok: true, value: result } : { ok: true, value: [] });
    openPathHistory('ps.example.net');
    expect(useUi.getState().view).toBe('paths');
    await expect.poll(() => usePaths.getState().resultId).toBe(1);
    expect(calls.filter(([c]) => c === 'paths.history')).toEqual([['paths.history', { host: 'ps.example.net', limit: 200 }]]);
    expect(usePaths.getState()).toMatchObject({ host: 'ps.example.net', loadedHost: 'ps.example.net', loading: false, error: null });
    expect(usePaths.getState().result?.history.distinctPaths).toBe(2);
  });

  it('asks for one address family’s route series when one is picked', async () => {
    answer = async (channel) => (channel === 'paths.history' ? { ok: true, value: historyResult() } : { ok: true, value: [] });
    await usePaths.getState().load('ps.example.net', '6');
    expect(calls.filter(([c]) => c === 'paths.history')).toEqual([['paths.history', { host: 'ps.example.net', limit: 200, family: '6' }]]);
  });

  it('asks for a target before calling, and reports the core’s refusal', async () => {
    await usePaths.getState().load('  ');
    expect(usePaths.getState().error).toMatch(/target/);
    expect(calls).toEqual([]);
    answer = async () => ({ ok: false, error: { code: 'INVALID_INPUT', message: 'host: too long' } });
    await usePaths.getState().load('x');
    expect(usePaths.getState()).toMatchObject({ error: 'host: too long', loading: false, result: null });
  });

  it('keeps the newest answer when an older request returns last', async () => {
    const slow = historyResult();
    const fast = { ...historyResult(), runs: [] };
    let release: () => void = () => {};
    answer = async (_c, input) => {
      if ((input as { host: string }).host === 'old.example.net') await new Promise<void>((r) => (release = r));
      return { ok: true, value: (input as { host: string }).host === 'old.example.net' ? slow : fast };
    };
    const first = usePaths.getState().load('old.example.net');
    await usePaths.getState().load('new.example.net');
    release();
    await first;
    expect(usePaths.getState().loadedHost).toBe('new.example.net');
    expect(usePaths.getState().result?.runs).toEqual([]);
  });

  it('lists targets with path runs and opens a run in the Measure view', async () => {
    expect(pathTargets([{ kind: 'trace', target: { host: 'a' } }, { kind: 'throughput', target: { host: 'b' } }, { kind: 'mtu', target: { host: 'c' } }, { kind: 'trace', target: { host: 'a' } }])).toEqual(['a']);
    useUi.setState({ view: 'paths' });
    openRun(12);
    expect(useUi.getState().view).toBe('measure');
    expect(useRuns.getState().selectedId).toBe(12);
  });
});

describe('live path runs in the runs store', () => {
  const progress = (runId: number, extra: Partial<Extract<WorkbenchEvent, { type: 'run.progress' }>>): WorkbenchEvent => ({ type: 'run.progress', runId, elapsed: 1, fraction: null, interval: null, ...extra });
  const hops = fixtureTrace('linux/traceroute-udp-ecmp.txt').hops as PathHop[];

  it('keeps the kind from the queued event and hops in TTL order as they arrive', () => {
    const { handleEvent } = useRuns.getState();
    handleEvent({ type: 'run.queued', runId: 5, kind: 'trace' });
    handleEvent(progress(5, { hop: hops[1] }));
    handleEvent(progress(5, { hop: hops[0] }));
    handleEvent(progress(5, { hop: hops[0] })); // a hop repeated replaces, never duplicates
    const live = useRuns.getState().live[5];
    expect(live?.kind).toBe('trace');
    expect(live?.status).toBe('running');
    expect(live?.hops.map((h) => h.ttl)).toEqual([1, 2]);
    expect(live?.hops[1]?.responders).toHaveLength(2);
    expect(live?.series.end).toEqual([]);
  });

  it('collects replies (bounded) and DF probes', () => {
    const { handleEvent } = useRuns.getState();
    handleEvent({ type: 'run.started', runId: 6, kind: 'rtt', tool: 'ping', toolVersion: 'x' });
    const reply = (seq: number): PingReply => ({ seq, status: seq % 10 === 0 ? 'timeout' : 'reply', rttMs: seq % 10 === 0 ? null : 1, ttl: 64, bytes: 64, from: '127.0.0.1', message: null, mtu: null });
    for (let seq = 1; seq <= LIVE_REPLY_LIMIT + 20; seq += 1) handleEvent(progress(6, { reply: reply(seq) }));
    const replies = useRuns.getState().live[6]?.replies ?? [];
    expect(replies).toHaveLength(LIVE_REPLY_LIMIT);
    expect(replies[0]?.seq).toBe(21);
    expect(replies[replies.length - 1]?.seq).toBe(LIVE_REPLY_LIMIT + 20);

    handleEvent({ type: 'run.queued', runId: 7, kind: 'mtu' });
    const probe = (step: number, mtu: number, outcome: MtuProbe['outcome']): MtuProbe => ({ step, mtu, outcome, reportedMtu: outcome === 'tooBig' ? 1400 : null, from: null });
    handleEvent(progress(7, { mtuProbe: probe(1, 576, 'fits') }));
    handleEvent(progress(7, { mtuProbe: probe(2, 1500, 'tooBig') }));
    expect(useRuns.getState().live[7]?.probes.map((p) => p.outcome)).toEqual(['fits', 'tooBig']);
  });

  it('a run started from the form knows its kind before any event', async () => {
    answer = async (channel) => (channel === 'runs.start' ? { ok: true, value: { runId: 9 } } : { ok: true, value: [] });
    await useRuns.getState().start({ kind: 'rtt', target: { host: '127.0.0.1' } });
    expect(useRuns.getState().live[9]).toMatchObject({ kind: 'rtt', status: 'queued', replies: [], hops: [], probes: [] });
  });
});
