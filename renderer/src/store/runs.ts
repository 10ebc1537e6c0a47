import { create } from 'zustand';
import type { WorkbenchEvent } from '../../../electron/shared/events.ts';
import type { PacketProgress } from '../../../electron/shared/latency.ts';
import type { MtuProbe, PathHop, PingReply } from '../../../electron/shared/path.ts';
import type { RunDetail, RunKind, RunSummary, StartRunInput } from '../../../electron/shared/runs.ts';
import type { LiveInterval, ThroughputSeries } from '../../../electron/shared/throughput.ts';
import { api, ApiError, onWorkbenchEvent } from '../api/index.ts';
import { appendDelays, emptyDelayPoints, type DelayPoints } from '../charts/options/latency.ts';

export type PacketSession = PacketProgress['session'];

/** One OWAMP/TWAMP session in flight: the workbench's counters and the packets drawn so far. */
export interface LivePackets {
  session: PacketSession;
  sent: number;
  received: number;
  lost: number;
  /** Appended in place (typed arrays that grow by doubling), never rebuilt per batch. */
  points: DelayPoints;
}

export interface LiveRun {
  runId: number;
  status: 'queued' | 'running';
  elapsed: number;
  fraction: number | null;
  /** Columnar, append-only: what the chart draws while the run is in flight. */
  series: ThroughputSeries;
  provisional: boolean;
  /** The latest word from the workbench about this run (e.g. a busy server being retried). */
  note: string | null;
  /** The run's kind, once known (from the start request or the queued/started events). */
  kind: RunKind | null;
  /** Path runs, as they arrive: hops by TTL (trace), echo replies (rtt, the latest LIVE_REPLY_LIMIT), DF probes (mtu). */
  hops: PathHop[];
  replies: PingReply[];
  probes: MtuProbe[];
  /** Latency and twamp runs: per session, as the packet batches arrive. */
  packets: Partial<Record<PacketSession, LivePackets>>;
}

/** A live rtt run keeps this many replies for its chart; the stored run keeps them all. */
export const LIVE_REPLY_LIMIT = 5000;

const newLive = (runId: number, status: LiveRun['status'], kind: RunKind | null): LiveRun => ({
  runId, status, elapsed: 0, fraction: 0, series: emptySeries(), provisional: false, note: null, kind, hops: [], replies: [], probes: [], packets: {},
});

/** Appends an OWAMP/TWAMP packet batch to its session (a batch without packets still updates the counters). */
export function appendPackets(live: LiveRun, batch: PacketProgress | undefined): LiveRun {
  if (!batch) return live;
  const current = live.packets[batch.session];
  const points = appendDelays(current?.points ?? emptyDelayPoints(), batch.sendOffsetS, batch.delayMs);
  const next: LivePackets = { session: batch.session, sent: batch.sent, received: batch.received, lost: batch.lost, points };
  return { ...live, packets: { ...live.packets, [batch.session]: next } };
}

/** Appends the path data a progress event carries (a hop replaces an earlier one with its TTL). */
function appendPathData(live: LiveRun, event: Extract<WorkbenchEvent, { type: 'run.progress' }>): LiveRun {
  if (!event.hop && !event.reply && !event.mtuProbe) return live;
  const { hop, reply, mtuProbe } = event;
  return {
    ...live,
    hops: hop ? [...live.hops.filter((h) => h.ttl !== hop.ttl), hop].sort((a, b) => a.ttl - b.ttl) : live.hops,
    replies: reply ? [...(live.replies.length >= LIVE_REPLY_LIMIT ? live.replies.slice(1 - LIVE_REPLY_LIMIT) : live.replies), reply] : live.replies,
    probes: mtuProbe ? [...live.probes, mtuProbe] : live.probes,
  };
}

export interface RunsState {
  history: RunSummary[];
  selectedId: number | null;
  detail: RunDetail | null;
  live: Record<number, LiveRun>;
  error: string | null;
  starting: boolean;
  loadHistory(): Promise<void>;
  select(runId: number | null): Promise<void>;
  start(input: StartRunInput): Promise<void>;
  cancel(runId: number): Promise<void>;
  clearError(): void;
  handleEvent(event: WorkbenchEvent): void;
  init(): () => void;
}

const emptySeries = (): ThroughputSeries => ({ start: [], end: [], bitsPerSecond: [], retransmits: [], rtt: [], cwnd: [] });

function appendInterval(live: LiveRun, interval: LiveInterval): LiveRun {
  // Exact intervals (from --json-stream) replace provisional ones from socket sampling.
  const base = live.provisional && !interval.provisional ? emptySeries() : live.series;
  return {
    ...live,
    provisional: interval.provisional,
    series: {
      start: [...base.start, interval.start],
      end: [...base.end, interval.end],
      bitsPerSecond: [...base.bitsPerSecond, interval.bitsPerSecond],
      retransmits: [...base.retransmits, interval.retransmits],
      rtt: [...base.rtt, interval.rtt],
      cwnd: [...base.cwnd, interval.cwnd],
    },
  };
}

const message = (error: unknown) => (error instanceof ApiError || error instanceof Error ? error.message : String(error));

export const useRuns = create<RunsState>()((set, get) => ({
  history: [],
  selectedId: null,
  detail: null,
  live: {},
  error: null,
  starting: false,

  async loadHistory() {
    try {
      const history = await api.runs.list({ limit: 200 });
      set({ history });
    } catch (error) {
      set({ error: message(error) });
    }
  },

  async select(runId) {
    set({ selectedId: runId, detail: runId === null ? null : get().detail?.id === runId ? get().detail : null });
    if (runId === null) return;
    try {
      const detail = await api.runs.get({ runId });
      if (get().selectedId === runId) set({ detail });
    } catch (error) {
      set({ error: message(error) });
    }
  },

  async start(input) {
    set({ starting: true, error: null });
    try {
      const { runId } = await api.runs.start(input);
      set((s) => ({
        selectedId: runId,
        detail: null,
        live: { ...s.live, [runId]: newLive(runId, 'queued', input.kind) },
      }));
      void get().loadHistory();
    } catch (error) {
      set({ error: message(error) });
    } finally {
      set({ starting: false });
    }
  },

  async cancel(runId) {
    try {
      await api.runs.cancel({ runId });
    } catch (error) {
      set({ error: message(error) });
    }
  },

  clearError: () => set({ error: null }),

  handleEvent(event) {
    if (event.type === 'run.queued' || event.type === 'run.started') {
      set((s) => {
        const current = s.live[event.runId] ?? newLive(event.runId, 'queued', event.kind);
        return { live: { ...s.live, [event.runId]: { ...current, kind: event.kind, status: event.type === 'run.started' ? 'running' : current.status } } };
      });
      if (event.type === 'run.started') void get().loadHistory();
      return;
    }
    if (event.type === 'run.progress') {
      set((s) => {
        const current = s.live[event.runId] ?? newLive(event.runId, 'running', null);
        const progressed: LiveRun = appendPackets(appendPathData({ ...current, status: 'running', elapsed: event.elapsed, fraction: event.fraction, note: event.note ?? current.note }, event), event.packets);
        return { live: { ...s.live, [event.runId]: event.interval ? appendInterval(progressed, event.interval) : progressed } };
      });
      return;
    }
    if (event.type === 'run.finished') {
      set((s) => {
        const live = { ...s.live };
        delete live[event.runId];
        return { live };
      });
      void get().loadHistory();
      if (get().selectedId === event.runId) void get().select(event.runId);
    }
  },

  init() {
    const unsubscribe = onWorkbenchEvent((event) => get().handleEvent(event));
    void get().loadHistory();
    return unsubscribe;
  },
}));

export const runsSelectors = {
  selectedLive: (s: RunsState): LiveRun | null => (s.selectedId === null ? null : (s.live[s.selectedId] ?? null)),
  activeRunIds: (s: RunsState): number[] => Object.keys(s.live).map(Number),
};
