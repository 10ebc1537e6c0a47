import type { RunDetail } from '../../shared/runs.ts';
import type { SelfCheckReport } from '../../shared/selfcheck.ts';
import { lossInterval } from '../stats/loss.ts';
import type { DiagnosisEvidence, LossEvidence, MtuEvidence, PathEvidence, ThroughputEvidence } from './evidence.ts';

/** A run as the diagnosis used it: its role in the plan ("throughput-upload", ...) and its data. */
export interface RoleRun {
  role: string;
  family: '4' | '6' | null;
  run: RunDetail;
}

/** iperf3 (3.9+) JSON: the largest window the receiver advertised to each sending stream, summed; null when absent. */
export function advertisedWindow(run: RunDetail): number | null {
  const text = run.raw?.stdout;
  if (!text || text.length > 16_000_000) return null;
  let report: unknown;
  try {
    report = JSON.parse(text);
  } catch {
    return null;
  }
  const streams = (report as { end?: { streams?: unknown } } | null)?.end?.streams;
  if (!Array.isArray(streams) || streams.length === 0) return null;
  const windows = streams.map((s) => (s as { sender?: { max_snd_wnd?: unknown } } | null)?.sender?.max_snd_wnd);
  if (!windows.every((w): w is number => typeof w === 'number' && Number.isFinite(w) && w > 0 && w <= 2 ** 32)) return null;
  return windows.reduce((a, b) => a + b, 0);
}

export function throughputEvidence(run: RunDetail, direction: 'upload' | 'download'): ThroughputEvidence | null {
  if (run.kind !== 'throughput') return null;
  const t = run.throughput;
  const intervals = run.data?.kind === 'throughput' ? run.data.intervals.filter((i) => i.stream === -1 && !i.omitted) : [];
  const failed = run.status === 'succeeded' ? null : { code: run.error?.code ?? run.status.toUpperCase(), message: run.error?.message ?? run.status };
  return {
    runId: run.id,
    direction,
    family: t?.family ?? run.family,
    bitsPerSecond: t ? (t.reverse ? t.receivedBitsPerSecond : t.receivedBitsPerSecond || t.sentBitsPerSecond) : 0,
    intervalBps: intervals.map((i) => i.bitsPerSecond),
    retransmits: t?.retransmits ?? null,
    bytes: t ? Math.max(t.sentBytes, t.receivedBytes) : 0,
    minRttUs: t?.minRtt ?? null,
    meanRttUs: t?.meanRtt ?? null,
    maxRttUs: t?.maxRtt ?? null,
    maxCwnd: t?.maxCwnd ?? null,
    advertisedWindow: direction === 'upload' && t && !t.reverse ? advertisedWindow(run) : null,
    pmtu: t?.pmtu ?? null,
    streams: t?.streams ?? 1,
    localCpuPercent: t?.localCpuPercent ?? null,
    remoteCpuPercent: t?.remoteCpuPercent ?? null,
    failed: t === null && !failed ? { code: 'UNPARSEABLE_OUTPUT', message: 'no summary' } : failed,
  };
}

/** Round-trip loss from echo requests (ping): direction unknown, but light probes like OWAMP's. */
export function rttLossEvidence(run: RunDetail): LossEvidence | null {
  const r = run.rtt;
  if (run.status !== 'succeeded' || !r || r.sent === 0) return null;
  const lost = Math.max(0, r.sent - r.received);
  const bounds = lossInterval(lost, r.sent);
  return { runId: run.id, direction: 'round-trip', sent: r.sent, lost, lowerBound: bounds?.lower ?? 0, upperBound: bounds?.upper ?? 1, minDelayMs: r.minMs, medianDelayMs: r.p50Ms, p95DelayMs: r.p95Ms };
}

/** One-way loss from OWAMP, per direction: the sessions say which way packets are lost. */
export function onewayLossEvidence(run: RunDetail): LossEvidence[] {
  if (run.status !== 'succeeded' || !run.oneway) return [];
  return run.oneway.sessions
    .filter((s) => s.sent > 0)
    .map((s) => {
      const bounds = lossInterval(s.lost, s.sent);
      return { runId: run.id, direction: s.direction, sent: s.sent, lost: s.lost, lowerBound: bounds?.lower ?? 0, upperBound: bounds?.upper ?? 1, minDelayMs: s.minMs, medianDelayMs: s.medianMs, p95DelayMs: s.p95Ms };
    });
}

/** The loss evidence of a loss step, whichever method it used. */
function lossEvidence(run: RunDetail): LossEvidence[] {
  if (run.kind === 'latency' || run.kind === 'twamp') return onewayLossEvidence(run);
  const l = rttLossEvidence(run);
  return l ? [l] : [];
}

export function pathEvidence(run: RunDetail, previous: PathEvidence['changedFrom']): PathEvidence | null {
  if (run.status !== 'succeeded' || run.data?.kind !== 'trace') return null;
  const assessment = new Map(run.data.assessment.map((a) => [a.ttl, a]));
  return {
    runId: run.id,
    reached: run.trace?.reached ?? false,
    fingerprint: run.pathFingerprint,
    changedFrom: previous,
    hops: run.data.hops.map((h) => {
      const a = assessment.get(h.ttl);
      return { ttl: h.ttl, address: h.responders[0]?.address ?? null, lossPercent: h.lossPercent, forwardingLoss: a?.lossStartsHere === true, mtu: h.mtu };
    }),
  };
}

/**
 * In a black hole no router reports the smaller MTU, but tracepath's full-size probes go silent
 * from the hop behind the narrow link on: the first TTL after the last one that answered.
 */
function firstSilentTtl(run: RunDetail): number | null {
  if (run.data?.kind !== 'mtu' || run.data.hops.length === 0) return null;
  const hops = [...run.data.hops].sort((a, b) => a.ttl - b.ttl);
  const answered = hops.filter((h) => h.received > 0);
  const last = answered.at(-1)?.ttl ?? 0;
  return hops.some((h) => h.ttl > last) && !answered.some((h) => h.reached) ? last + 1 : null;
}

export function mtuEvidence(run: RunDetail): MtuEvidence | null {
  const m = run.mtu;
  if (!m) return null;
  return { runId: run.id, pathMtu: m.pathMtu, localMtu: m.localMtu, blackhole: m.blackHoleSuspected, dropAtTtl: m.drops[0]?.ttl ?? (m.blackHoleSuspected ? firstSilentTtl(run) : null) };
}

/** Stored runs (by role) → the evidence the verdict rules read. */
export function evidenceFromRuns(input: {
  target: string;
  targetBitsPerSecond: number;
  host: SelfCheckReport | null;
  runs: RoleRun[];
  via?: string[];
  /** The route change since the last trace to this host before the diagnosis, if any. */
  pathChange?: PathEvidence['changedFrom'];
}): DiagnosisEvidence {
  const evidence: DiagnosisEvidence = { target: input.target, targetBitsPerSecond: input.targetBitsPerSecond, host: input.host, throughput: [], loss: [], path: null, mtu: null, segments: [] };
  for (const { role, run } of input.runs) {
    if (role === 'throughput-upload' || role === 'throughput-download') {
      const t = throughputEvidence(run, role === 'throughput-upload' ? 'upload' : 'download');
      if (t) evidence.throughput.push(t);
    } else if (role === 'loss-rtt' || role === 'loss-owamp') {
      evidence.loss.push(...lossEvidence(run));
    } else if (role === 'trace') {
      evidence.path = pathEvidence(run, input.pathChange ?? null);
    } else if (role === 'mtu') {
      evidence.mtu = mtuEvidence(run);
    } else {
      const segment = /^segment-(\d+)-(rtt|owamp|throughput-upload|throughput-download)$/.exec(role);
      if (segment) {
        const index = Number(segment[1]);
        let into = evidence.segments.find((s) => s.index === index);
        if (!into) {
          const to = input.via?.[index] ?? run.target.host;
          const from = index === 0 ? 'this host' : (input.via?.[index - 1] ?? 'previous hop');
          into = { index, from, to, loss: [], throughput: [] };
          evidence.segments.push(into);
        }
        if (segment[2] === 'rtt' || segment[2] === 'owamp') into.loss.push(...lossEvidence(run));
        else {
          const t = throughputEvidence(run, segment[2] === 'throughput-upload' ? 'upload' : 'download');
          if (t) into.throughput.push(t);
        }
      }
    }
  }
  return evidence;
}
