import { beforeEach, describe, expect, it } from 'vitest';
import type { Channel } from '../../electron/shared/channels.ts';
import type { Result } from '../../electron/shared/errors.ts';
import type { WorkbenchEvent } from '../../electron/shared/events.ts';
import type { LiveInterval } from '../../electron/shared/throughput.ts';
import { setTransport } from '../../renderer/src/api/index.ts';
import { useRuns } from '../../renderer/src/store/runs.ts';

const calls: Array<[Channel, unknown]> = [];
const answers: Partial<Record<Channel, Result<unknown>>> = {};
setTransport({
  kind: 'bridge',
  call: async (channel, input) => {
    calls.push([channel, input]);
    return answers[channel] ?? { ok: true, value: [] };
  },
  onEvent: () => () => {},
});

const interval = (seq: number, provisional: boolean): LiveInterval => ({
  seq, stream: -1, start: seq, end: seq + 1, bitsPerSecond: 1e9, bytes: 1, retransmits: 0, cwnd: null, rtt: null, rttvar: null, pmtu: null, omitted: false, jitterMs: null, lostPackets: null, packets: null, provisional,
});
const progress = (runId: number, i: LiveInterval): WorkbenchEvent => ({ type: 'run.progress', runId, elapsed: i.end, fraction: 0.5, interval: i });

beforeEach(() => {
  calls.length = 0;
  useRuns.setState({ history: [], selectedId: null, detail: null, live: {}, error: null, starting: false });
});

describe('runs store', () => {
  it('starts a run through the api, selects it and tracks it live', async () => {
    answers['runs.start'] = { ok: true, value: { runId: 7 } };
    await useRuns.getState().start({ kind: 'throughput', target: { host: 'h.example', port: null } });
    expect(calls[0]).toEqual(['runs.start', { kind: 'throughput', target: { host: 'h.example', port: null } }]);
    expect(useRuns.getState().selectedId).toBe(7);
    expect(useRuns.getState().live[7]?.status).toBe('queued');
  });

  it('appends live intervals, and exact intervals replace provisional ones', () => {
    const s = useRuns.getState();
    s.handleEvent({ type: 'run.started', runId: 3, kind: 'throughput', tool: 'iperf3', toolVersion: '3.12' });
    s.handleEvent(progress(3, interval(0, true)));
    s.handleEvent(progress(3, interval(1, true)));
    expect(useRuns.getState().live[3]?.series.end).toEqual([1, 2]);
    s.handleEvent(progress(3, interval(0, false)));
    expect(useRuns.getState().live[3]?.series.end).toEqual([1]);
    expect(useRuns.getState().live[3]?.provisional).toBe(false);
  });

  it('a finished run leaves the live set and is reloaded from the store', async () => {
    useRuns.setState({ selectedId: 3 });
    const s = useRuns.getState();
    s.handleEvent(progress(3, interval(0, false)));
    answers['runs.get'] = { ok: true, value: { id: 3, status: 'succeeded' } };
    s.handleEvent({ type: 'run.finished', runId: 3, status: 'succeeded', error: null });
    expect(useRuns.getState().live[3]).toBeUndefined();
    await new Promise((r) => setTimeout(r, 0));
    expect(calls.map((c) => c[0])).toEqual(expect.arrayContaining(['runs.list', 'runs.get']));
    expect(useRuns.getState().detail).toMatchObject({ id: 3 });
  });

  it('api errors become a visible message, not an exception', async () => {
    answers['runs.start'] = { ok: false, error: { code: 'INVALID_INPUT', message: 'Refused target "-x"' } };
    await useRuns.getState().start({ kind: 'throughput', target: { host: 'h.example', port: null } });
    expect(useRuns.getState().error).toMatch(/Refused target/);
    expect(useRuns.getState().starting).toBe(false);
  });
});

describe('live OWAMP/TWAMP packets', () => {
  const batch = (runId: number, session: 'to' | 'from' | 'round-trip', sent: number, received: number, lost: number, offsets: number[], delays: Array<number | null>): WorkbenchEvent => ({
    type: 'run.progress',
    runId,
    elapsed: 1,
    fraction: 0.5,
    interval: null,
    packets: { session, sent, received, lost, seq: offsets.map((_, i) => i), sendOffsetS: offsets, delayMs: delays },
  });

  it('appends each session\'s batches, keeps the workbench\'s counters, and leaves untouched sessions as they were', () => {
    const s = useRuns.getState();
    s.handleEvent({ type: 'run.started', runId: 9, kind: 'latency', tool: 'psw-owamp', toolVersion: '1' });
    s.handleEvent(batch(9, 'from', 0, 2, 0, [0, 0.02], [0.21, 0.2]));
    s.handleEvent(batch(9, 'to', 12, 0, 0, [], []));
    const fromBefore = useRuns.getState().live[9]?.packets.from;
    s.handleEvent(batch(9, 'from', 0, 3, 1, [0.04, 0.06], [null, 0.25]));
    const live = useRuns.getState().live[9];
    expect(live?.packets.to).toMatchObject({ sent: 12, received: 0, lost: 0 });
    expect(live?.packets.to?.points.received).toBe(0);
    expect(live?.packets.from).toMatchObject({ received: 3, lost: 1 });
    expect(live?.packets.from?.points.received).toBe(3);
    expect(live?.packets.from?.points.lost).toBe(1);
    expect(Array.from(live?.packets.from?.points.xy.subarray(0, 6) ?? [])).toEqual([0, 0.21, 0.02, 0.2, 0.06, 0.25]);
    // the earlier state is still what it was (a chart holding it draws the same thing)
    expect(fromBefore?.points.received).toBe(2);
    s.handleEvent(batch(9, 'to', 20, 0, 0, [], []));
    expect(useRuns.getState().live[9]?.packets.from).toBe(live?.packets.from);
  });
});
