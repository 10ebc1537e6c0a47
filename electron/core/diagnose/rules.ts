import type { RuleEvidence } from '../../shared/diagnosis.ts';
import { formatBitrate, formatBytes } from '../../shared/units.ts';
import type { DiagnosisEvidence, LossEvidence, ThroughputEvidence } from './evidence.ts';
import { coefficientOfVariation, mathisBps, mssFromMtu, packetsToResolve, tolerableLoss, windowLimitBps } from './formulas.ts';

/** Thresholds in one place, each with the reason for its value. */
export const THRESHOLDS = {
  /** "Meets the need": within 10 % of the target rate (iperf3 run-to-run noise is a few %). */
  meetsTarget: 0.9,
  /** Measured within this factor of a window ceiling counts as "at the window limit". Linux lets
   *  TCP use roughly half to all of the buffer maximum as window (tcp_adv_win_scale / scaling ratio). */
  windowLow: 0.3,
  windowHigh: 1.25,
  /** Retransmitted segments per segment sent below which a flow counts as loss-free. */
  cleanRetransmitRate: 1e-3,
  /** Interval rates this flat (coefficient of variation) look like a fixed bottleneck. */
  flatCov: 0.2,
  /** Queueing: mean RTT this much above the minimum during the test (ratio, and at least 1 ms). */
  rttInflationRatio: 1.3,
  rttInflationMinMs: 1,
  /** iperf3 CPU use (one core = 100 %) at which the process itself is the bottleneck. */
  cpuBound: 85,
  /** Measured within this factor of the Mathis bound: loss explains the rate. */
  mathisAgreement: 3,
  /** A segment that carries this multiple of the end-to-end plateau (or the target) does not
   *  hold the bottleneck; a segment behind the cap measures about the cap itself. */
  segmentClear: 1.5,
};

export interface Context {
  rttSeconds: number | null;
  mss: number;
  tolerableLoss: number | null;
  /** Best successful TCP rate per direction. */
  best: Partial<Record<'upload' | 'download', ThroughputEvidence>>;
}

export function buildContext(e: DiagnosisEvidence): Context {
  const ok = e.throughput.filter((t) => !t.failed);
  const tcpRtts = ok.map((t) => t.minRttUs).filter((v): v is number => v !== null && v > 0);
  const oneWay = (dir: 'to' | 'from') => e.loss.find((l) => l.direction === dir && l.minDelayMs !== null)?.minDelayMs ?? null;
  const roundTrip = e.loss.find((l) => l.direction === 'round-trip' && l.minDelayMs !== null)?.minDelayMs ?? null;
  const to = oneWay('to');
  const from = oneWay('from');
  let rttSeconds: number | null = null;
  if (tcpRtts.length) rttSeconds = Math.min(...tcpRtts) / 1e6;
  else if (roundTrip !== null) rttSeconds = roundTrip / 1000;
  else if (to !== null && from !== null) rttSeconds = (to + from) / 1000;
  const pmtu = ok.map((t) => t.pmtu).find((v) => v !== null) ?? e.mtu?.pathMtu ?? null;
  const mss = mssFromMtu(pmtu ?? null, ok[0]?.family ?? null);
  const best: Context['best'] = {};
  for (const t of ok) {
    const current = best[t.direction];
    if (!current || t.bitsPerSecond > current.bitsPerSecond) best[t.direction] = t;
  }
  // At tiny RTTs the inverse Mathis formula exceeds 1: any loss rate is tolerable.
  return { rttSeconds, mss, tolerableLoss: rttSeconds ? Math.min(1, tolerableLoss(mss, rttSeconds, e.targetBitsPerSecond)) : null, best };
}

const ms = (s: number | null) => (s === null ? null : Math.round(s * 1e6) / 1000);
const retransmitRate = (t: ThroughputEvidence, mss: number) => (t.retransmits === null || t.bytes <= 0 ? null : t.retransmits / Math.max(1, t.bytes / mss));

export function ruleMeetsTarget(e: DiagnosisEvidence, c: Context): RuleEvidence {
  const measured = Object.values(c.best);
  const short = measured.filter((t) => t.bitsPerSecond < THRESHOLDS.meetsTarget * e.targetBitsPerSecond);
  return {
    rule: 'throughput-meets-target',
    fired: measured.length > 0 && short.length === 0,
    summary:
      measured.length === 0
        ? 'No successful throughput measurement.'
        : short.length === 0
          ? `Throughput reaches the ${formatBitrate(e.targetBitsPerSecond)} needed (${measured.map((t) => `${t.direction} ${formatBitrate(t.bitsPerSecond)}`).join(', ')}).`
          : `Throughput falls short of the ${formatBitrate(e.targetBitsPerSecond)} needed: ${short.map((t) => `${t.direction} ${formatBitrate(t.bitsPerSecond)}`).join(', ')}.`,
    numbers: { targetBps: e.targetBitsPerSecond, uploadBps: c.best.upload?.bitsPerSecond ?? null, downloadBps: c.best.download?.bitsPerSecond ?? null },
    runIds: measured.map((t) => t.runId),
  };
}

/** Significant loss: even the low end of its confidence interval caps TCP below the target. */
export function lossIsSignificant(l: LossEvidence, c: Context, targetBps: number): boolean {
  if (l.lost === 0 || c.rttSeconds === null) return l.lost > 0 && l.lowerBound > 1e-3;
  return mathisBps(c.mss, c.rttSeconds, l.lowerBound) < targetBps;
}

export function ruleLoss(e: DiagnosisEvidence, c: Context): RuleEvidence & { lossy: LossEvidence[]; worst: LossEvidence | null; mathis: number | null; retransmitOnly: { direction: 'upload' | 'download'; rate: number } | null } {
  const lossy = e.loss.filter((l) => lossIsSignificant(l, c, e.targetBitsPerSecond));
  const worst = [...lossy].sort((a, b) => b.lost / b.sent - a.lost / a.sent)[0] ?? null;
  const p = worst ? worst.lost / worst.sent : null;
  const mathis = p && c.rttSeconds ? mathisBps(c.mss, c.rttSeconds, p) : null;
  const measured = Math.max(0, ...Object.values(c.best).map((t) => t.bitsPerSecond));
  const consistent = mathis !== null && measured > 0 && measured <= THRESHOLDS.mathisAgreement * mathis;
  // Without a light-probe loss measurement, steady TCP retransmits are the only loss signal.
  const retrans = Object.values(c.best).map((t) => ({ t, rate: retransmitRate(t, c.mss) }));
  const noisy = e.loss.length === 0 ? retrans.filter((r) => r.rate !== null && r.rate > 10 * THRESHOLDS.cleanRetransmitRate) : [];
  const fired = lossy.length > 0 || noisy.length > 0;
  const retransmitOnly = !worst && noisy[0] ? { direction: noisy[0].t.direction, rate: noisy[0].rate! } : null;
  return {
    rule: 'packet-loss',
    fired,
    lossy,
    worst,
    mathis: mathis !== null && Number.isFinite(mathis) ? mathis : null,
    retransmitOnly,
    summary: worst
      ? `${worst.lost} of ${worst.sent} packets lost ${worst.direction === 'round-trip' ? 'round trip' : worst.direction === 'to' ? 'towards the far end' : 'from the far end'} (${((worst.lost / worst.sent) * 100).toPrecision(2)} %); at ${ms(c.rttSeconds)} ms the Mathis bound for that loss is ${formatBitrate(mathis)}${consistent ? ', consistent with the measured throughput' : ''}.`
      : noisy.length
        ? `TCP retransmitted ${(noisy[0]!.rate! * 100).toPrecision(2)} % of segments ${noisy[0]!.t.direction === 'upload' ? 'sending' : 'receiving'}; no light-probe loss measurement to confirm it is the path.`
        : e.loss.length
          ? `No loss that matters for ${formatBitrate(e.targetBitsPerSecond)}: ${e.loss.map((l) => `${l.lost}/${l.sent} ${l.direction}`).join(', ')}${c.tolerableLoss ? ` (tolerable loss at this RTT ≈ ${c.tolerableLoss.toExponential(1)})` : ''}.`
          : 'No loss measurement.',
    numbers: {
      lossRate: p,
      lossLowerBound: worst?.lowerBound ?? null,
      tolerableLoss: c.tolerableLoss,
      mathisBps: mathis,
      rttMs: ms(c.rttSeconds),
      mss: c.mss,
      packetsNeededForResolution: c.tolerableLoss ? packetsToResolve(c.tolerableLoss) : null,
    },
    runIds: [...lossy.map((l) => l.runId), ...noisy.map((n) => n.t.runId)],
  };
}

export function ruleHostWindow(e: DiagnosisEvidence, c: Context): RuleEvidence & { direction: 'upload' | 'download' | null; ceiling: number | null; ceilings: Partial<Record<'upload' | 'download', number>> } {
  const host = e.host;
  const checks = (['upload', 'download'] as const).flatMap((direction) => {
    const t = c.best[direction];
    const window = direction === 'upload' ? host?.maxSendWindow : host?.maxReceiveWindow;
    if (!t || !window || c.rttSeconds === null) return [];
    const ceiling = windowLimitBps(window, c.rttSeconds);
    const rate = retransmitRate(t, c.mss);
    const clean = rate === null || rate < THRESHOLDS.cleanRetransmitRate;
    const atCeiling = t.bitsPerSecond >= THRESHOLDS.windowLow * ceiling && t.bitsPerSecond <= THRESHOLDS.windowHigh * ceiling;
    const short = t.bitsPerSecond < THRESHOLDS.meetsTarget * e.targetBitsPerSecond;
    return [{ direction, t, window, ceiling, clean, atCeiling, short, rate, fired: short && ceiling < e.targetBitsPerSecond && atCeiling && clean }];
  });
  const hit = checks.find((x) => x.fired) ?? null;
  const shown = hit ?? checks[0] ?? null;
  return {
    rule: 'host-window',
    fired: hit !== null,
    direction: hit?.direction ?? null,
    ceiling: shown?.ceiling ?? null,
    ceilings: Object.fromEntries(checks.map((x) => [x.direction, x.ceiling])),
    summary: shown
      ? `${shown.direction === 'upload' ? 'Send' : 'Receive'} buffer ${formatBytes(shown.window)} allows at most ${formatBitrate(shown.ceiling)} at ${ms(c.rttSeconds)} ms; measured ${formatBitrate(shown.t.bitsPerSecond)}${shown.clean ? ' with almost no retransmits' : ` with retransmits (${((shown.rate ?? 0) * 100).toPrecision(2)} % of segments)`}.`
      : 'No host buffer facts or RTT to compare with.',
    numbers: { windowBytes: shown?.window ?? null, windowCeilingBps: shown?.ceiling ?? null, measuredBps: shown?.t.bitsPerSecond ?? null, retransmitRate: shown?.rate ?? null, bdpBytes: c.rttSeconds ? (e.targetBitsPerSecond * c.rttSeconds) / 8 : null },
    runIds: shown ? [shown.t.runId] : [],
  };
}

/**
 * The far host's receive window: uploading, the sender only ever saw a window (max_snd_wnd) whose
 * window/RTT is about the measured rate, clean, while this host's send buffer had room to spare.
 */
export function ruleFarWindow(e: DiagnosisEvidence, c: Context): RuleEvidence & { ceiling: number | null } {
  const t = c.best.upload;
  const advertised = t?.advertisedWindow ?? null;
  if (!t || advertised === null || c.rttSeconds === null) {
    return { rule: 'far-host-window', fired: false, ceiling: null, summary: 'No receive window of the far host seen (upload with iperf3 3.9+ reports it).', numbers: { advertisedWindowBytes: null }, runIds: [] };
  }
  const ceiling = windowLimitBps(advertised, c.rttSeconds);
  const rate = retransmitRate(t, c.mss);
  const clean = rate === null || rate < THRESHOLDS.cleanRetransmitRate;
  const atCeiling = t.bitsPerSecond >= THRESHOLDS.windowLow * ceiling && t.bitsPerSecond <= THRESHOLDS.windowHigh * ceiling;
  const local = e.host?.maxSendWindow ? windowLimitBps(e.host.maxSendWindow, c.rttSeconds) : null;
  const localRoom = local === null || t.bitsPerSecond < THRESHOLDS.windowLow * local;
  const short = t.bitsPerSecond < THRESHOLDS.meetsTarget * e.targetBitsPerSecond;
  return {
    rule: 'far-host-window',
    fired: short && ceiling < e.targetBitsPerSecond && atCeiling && clean && localRoom,
    ceiling,
    summary: `The far host advertised at most ${formatBytes(advertised)} of receive window, which allows ${formatBitrate(ceiling)} at ${ms(c.rttSeconds)} ms; upload measured ${formatBitrate(t.bitsPerSecond)}${local !== null ? `, this host's send buffer allows ${formatBitrate(local)}` : ''}.`,
    numbers: { advertisedWindowBytes: advertised, farWindowCeilingBps: ceiling, measuredBps: t.bitsPerSecond, localSendCeilingBps: local, retransmitRate: rate },
    runIds: [t.runId],
  };
}

export function ruleCpu(e: DiagnosisEvidence, c: Context): RuleEvidence & { side: 'local-host' | 'remote-host' | null } {
  const short = Object.values(c.best).filter((t) => t.bitsPerSecond < THRESHOLDS.meetsTarget * e.targetBitsPerSecond);
  const local = short.find((t) => (t.localCpuPercent ?? 0) >= THRESHOLDS.cpuBound);
  const remote = short.find((t) => (t.remoteCpuPercent ?? 0) >= THRESHOLDS.cpuBound);
  const hit = local ?? remote;
  return {
    rule: 'cpu-bound',
    fired: hit !== undefined,
    side: local ? 'local-host' : remote ? 'remote-host' : null,
    summary: hit
      ? `iperf3 used ${(local ? hit.localCpuPercent : hit.remoteCpuPercent)?.toFixed(0)} % of a core on the ${local ? 'local' : 'far'} host: the process, not the path, sets the rate.`
      : 'Neither end ran out of CPU.',
    numbers: { localCpuPercent: hit?.localCpuPercent ?? null, remoteCpuPercent: hit?.remoteCpuPercent ?? null },
    runIds: hit ? [hit.runId] : [],
  };
}

/**
 * A bottleneck: the rate is flat below the need, and neither loss nor this host (window, CPU)
 * explains it. Loss-based TCP (cubic) also shows the queue filling (RTT rising) or tail drops;
 * BBR keeps the queue empty, so a flat, clean, unexplained rate is enough, with less confidence.
 */
export function ruleCapacity(e: DiagnosisEvidence, c: Context, explained: { loss: boolean; host: boolean }): RuleEvidence & { capacity: number | null; queueSignal: boolean; direction: 'upload' | 'download' | null } {
  const checks = Object.values(c.best).map((t) => {
    const cov = coefficientOfVariation(t.intervalBps);
    const inflated = t.minRttUs !== null && t.meanRttUs !== null && t.meanRttUs > THRESHOLDS.rttInflationRatio * t.minRttUs && t.meanRttUs - t.minRttUs > THRESHOLDS.rttInflationMinMs * 1000;
    const rate = retransmitRate(t, c.mss);
    const short = t.bitsPerSecond < THRESHOLDS.meetsTarget * e.targetBitsPerSecond;
    const flat = cov !== null && cov < THRESHOLDS.flatCov;
    // A queue that fills (RTT inflation) or drops under load (retransmits) while light probes see
    // no loss: a bottleneck, not a lossy link.
    const queueSignal = inflated || (rate !== null && rate >= THRESHOLDS.cleanRetransmitRate && !explained.loss);
    return { t, cov, inflated, rate, queueSignal, fired: short && flat && !explained.loss && (queueSignal || !explained.host) };
  });
  const hit = checks.find((x) => x.fired) ?? null;
  const shown = hit ?? checks[0] ?? null;
  const sorted = hit ? [...hit.t.intervalBps].sort((a, b) => a - b) : [];
  const plateau = sorted.length ? (sorted[Math.floor(sorted.length / 2)] ?? null) : null;
  return {
    rule: 'bottleneck',
    fired: hit !== null,
    capacity: plateau,
    queueSignal: hit?.queueSignal ?? false,
    direction: hit?.t.direction ?? null,
    summary: shown
      ? `${shown.t.direction}: ${formatBitrate(shown.t.bitsPerSecond)}, intervals ${shown.cov !== null ? `vary by ${(shown.cov * 100).toFixed(0)} %` : 'too few to judge'}${shown.inflated ? `, RTT rose from ${ms((shown.t.minRttUs ?? 0) / 1e6)} to ${ms((shown.t.meanRttUs ?? 0) / 1e6)} ms under load (a queue filling)` : ''}${shown.rate ? `, ${(shown.rate * 100).toPrecision(2)} % of segments retransmitted` : ''}${hit && !hit.queueSignal ? '; flat and clean, and neither loss nor this host explains it' : ''}.`
      : 'No throughput measurement.',
    numbers: { plateauBps: plateau, intervalCov: shown?.cov ?? null, minRttMs: shown?.t.minRttUs ? shown.t.minRttUs / 1000 : null, meanRttMs: shown?.t.meanRttUs ? shown.t.meanRttUs / 1000 : null, retransmitRate: shown?.rate ?? null },
    runIds: shown ? [shown.t.runId] : [],
  };
}

export function ruleMtu(e: DiagnosisEvidence): RuleEvidence {
  const m = e.mtu;
  const stalled = e.throughput.filter((t) => {
    const [first, ...rest] = t.intervalBps;
    return first !== undefined && first > 0 && rest.length >= 2 && rest.every((v) => v < first * 0.01);
  });
  const fired = Boolean(m?.blackhole) || (stalled.length > 0 && m !== null && m.pathMtu !== null && m.localMtu !== null && m.pathMtu < m.localMtu);
  return {
    rule: 'path-mtu',
    fired,
    summary: m?.blackhole
      ? `Full-size packets (${m.localMtu ?? '?'} bytes, DF) vanish on the path without an ICMP "fragmentation needed"${m.dropAtTtl ? ` after hop ${m.dropAtTtl - 1}` : ''}: a path-MTU black hole${m.pathMtu ? `; ${m.pathMtu} bytes get through` : ''}.`
      : stalled.length
        ? `Throughput stalled after the first interval (${stalled.map((t) => t.direction).join(', ')}), the signature of a path-MTU problem.`
        : m?.pathMtu && m.localMtu && m.pathMtu < m.localMtu
          ? `Path MTU ${m.pathMtu} is below the local ${m.localMtu}, and path-MTU discovery works.`
          : 'Full-size packets cross the path.',
    numbers: { pathMtu: m?.pathMtu ?? null, localMtu: m?.localMtu ?? null, dropAtTtl: m?.dropAtTtl ?? null },
    runIds: [...(m?.runId ? [m.runId] : []), ...stalled.map((t) => t.runId)],
  };
}

export function rulePathChange(e: DiagnosisEvidence): RuleEvidence {
  const stored = e.path?.changedFrom ?? null;
  const change = stored && stored.changedTtls.length > 0 ? stored : null;
  return {
    rule: 'path-change',
    fired: change !== null,
    summary: change
      ? `The route changed since run ${change.runId}: hop${change.changedTtls.length === 1 ? '' : 's'} ${change.changedTtls.join(', ')} differ.`
      : e.path
        ? 'No route change since the previous trace to this host.'
        : 'No route measurement.',
    numbers: { previousRunId: change?.runId ?? null, changedHops: change ? change.changedTtls.length : null, fingerprint: e.path?.fingerprint ?? null },
    runIds: [...(e.path ? [e.path.runId] : []), ...(change ? [change.runId] : [])],
  };
}
