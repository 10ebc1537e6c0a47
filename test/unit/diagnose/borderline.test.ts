// Every threshold of the verdict rules, just inside and just outside, on evidence re-derived from
// diagnoses recorded on the lab (test/fixtures/diagnose, written by test/lab/verdicts.test.ts with
// PSW_RECORD_DIAGNOSES): the recorded run is moved across one threshold, everything else as measured.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DiagnosisEvidence, ThroughputEvidence } from '../../../electron/core/diagnose/evidence.ts';
import { coefficientOfVariation, mathisBps, windowLimitBps } from '../../../electron/core/diagnose/formulas.ts';
import { evidenceFromRuns, type RoleRun } from '../../../electron/core/diagnose/from-runs.ts';
import { THRESHOLDS, buildContext, ruleCapacity, ruleLoss } from '../../../electron/core/diagnose/rules.ts';
import { deriveVerdict } from '../../../electron/core/diagnose/verdict.ts';
import type { SelfCheckReport } from '../../../electron/shared/selfcheck.ts';

interface Recorded {
  target: string;
  via: string[];
  targetBitsPerSecond: number;
  verdict: string | null;
  host: SelfCheckReport | null;
  runs: RoleRun[];
}

const load = (name: string): Recorded => JSON.parse(readFileSync(new URL(`../../fixtures/diagnose/${name}.json`, import.meta.url), 'utf8')) as Recorded;

/** The evidence of a recorded diagnosis, fresh each call (tests change it). */
function recorded(name: string): DiagnosisEvidence {
  const r = load(name);
  return evidenceFromRuns({ target: r.target, targetBitsPerSecond: r.targetBitsPerSecond, host: r.host, runs: r.runs, via: r.via });
}

const HEALTHY = 'healthy-twin-of-the-rate-cap';
const CAPPED = 'rate-cap-100-mbit-s-on-r1-r2';
const CAPPED_FAR = 'rate-cap-100-mbit-s-on-r2-server';
const MTU_TWIN = 'pmtu-black-hole-twin-icmp-allowed';

const upload = (e: DiagnosisEvidence): ThroughputEvidence => e.throughput.find((t) => t.direction === 'upload')!;
/** The capped upload alone, its queue signal neutral unless a test sets it. */
function cappedUpload(change: Partial<ThroughputEvidence>): DiagnosisEvidence {
  const e = recorded(CAPPED);
  e.throughput = [{ ...upload(e), retransmits: 0, ...change }];
  return e;
}
const queueSignal = (e: DiagnosisEvidence) => ruleCapacity(e, buildContext(e), { loss: false, host: true });

describe('the recorded diagnoses re-derive to the verdict they had on the lab', () => {
  it.each([
    [HEALTHY, 'healthy'],
    [CAPPED, 'capacity-limited'],
    [CAPPED_FAR, 'capacity-limited'],
    [MTU_TWIN, 'healthy'],
    ['pmtu-black-hole-1400-on-r1-r2', 'mtu'],
    ['delay-only-twin-of-loss-and-buffers', 'healthy'],
    ['loss-3-on-the-far-link', 'loss-limited'],
    ['loss-3-on-the-near-link', 'loss-limited'],
    ['loss-3-on-the-far-link-bbr', 'healthy'],
    ['small-client-buffers-20-ms-rtt', 'host-limited'],
    ['small-server-receive-buffers-20-ms-rtt', 'host-limited'],
  ])('%s → %s', (name, verdict) => {
    expect(load(name).verdict).toBe(verdict);
    expect(deriveVerdict(recorded(name)).class).toBe(verdict);
  });
});

describe('segments from recorded diagnoses', () => {
  it('the rate cap before mid, the rate cap behind it, and the link of the black hole', () => {
    expect(deriveVerdict(recorded(CAPPED)).segment).toEqual({ index: 0, from: 'this host', to: '198.18.4.30' });
    expect(deriveVerdict(recorded(CAPPED_FAR)).segment).toEqual({ index: 1, from: '198.18.4.30', to: '198.18.3.20' });
    expect(deriveVerdict(recorded(HEALTHY)).segment).toBeNull();
    // tracepath's full-size probes answered at hop 1 (r1) and never after: the r1—r2 link.
    expect(deriveVerdict(recorded('pmtu-black-hole-1400-on-r1-r2')).segment).toEqual({ index: 1, from: '198.18.1.1', to: '198.18.2.2' });
    expect(deriveVerdict(recorded('loss-3-on-the-far-link')).segment).toEqual({ index: 1, from: '198.18.4.30', to: '198.18.3.20' });
    expect(deriveVerdict(recorded('loss-3-on-the-near-link')).segment).toEqual({ index: 0, from: 'this host', to: '198.18.4.30' });
  });
});

describe('hosts and loss in recorded diagnoses', () => {
  it('small buffers: this host\'s when they are the client\'s, the far host\'s when the server advertises a small window', () => {
    expect(deriveVerdict(recorded('small-client-buffers-20-ms-rtt'))).toMatchObject({ side: 'local-host' });
    const far = recorded('small-server-receive-buffers-20-ms-rtt');
    const v = deriveVerdict(far);
    expect(v).toMatchObject({ side: 'remote-host', direction: 'upload' });
    // The recorded window the server advertised explains the measured upload within the window band.
    const ratio = upload(far).bitsPerSecond / v.ceilings.window!;
    expect(ratio).toBeGreaterThan(THRESHOLDS.windowLow);
    expect(ratio).toBeLessThan(THRESHOLDS.windowHigh);
    // The same run with a server window just large enough to put the upload under the band no longer blames the server.
    const t = upload(far);
    const at = (r: number) => deriveVerdict({ ...far, throughput: far.throughput.map((x) => (x === t ? { ...t, advertisedWindow: (t.advertisedWindow! * ratio) / r } : x)) }).side;
    expect(at(THRESHOLDS.windowLow * 1.01)).toBe('remote-host');
    expect(at(THRESHOLDS.windowLow * 0.99)).not.toBe('remote-host');
  });

  it('BBR over 3 % loss meets 200 Mbit/s: healthy, the loss a warning; Reno over the same loss is loss-limited', () => {
    const bbr = deriveVerdict(recorded('loss-3-on-the-far-link-bbr'));
    expect(bbr.evidence.find((r) => r.rule === 'packet-loss')?.fired).toBe(true);
    expect(bbr.nextSteps[0]).toMatch(/^Warning: /);
    expect(bbr.ceilings.mathis).toBeNull();
    const reno = deriveVerdict(recorded('loss-3-on-the-far-link'));
    expect(reno.ceilings.mathis).not.toBeNull();
    expect(reno.measuredBitsPerSecond).toBeLessThan(THRESHOLDS.mathisAgreement * reno.ceilings.mathis!);
  });
});

describe('borderline: each threshold just inside and just outside', () => {
  it('RTT inflation ratio: mean just above 1.3 × min is a queue filling, just below is not', () => {
    const at = (ratio: number) => queueSignal(cappedUpload({ minRttUs: 20_000, meanRttUs: 20_000 * ratio }));
    expect(at(THRESHOLDS.rttInflationRatio * 1.01)).toMatchObject({ fired: true, queueSignal: true });
    expect(at(THRESHOLDS.rttInflationRatio * 0.99)).toMatchObject({ fired: false, queueSignal: false });
  });

  it('RTT inflation floor: a rise just over 1 ms counts, just under does not, however large the ratio', () => {
    const at = (riseMs: number) => queueSignal(cappedUpload({ minRttUs: 1000, meanRttUs: 1000 + riseMs * 1000 }));
    expect(at(THRESHOLDS.rttInflationMinMs * 1.01).queueSignal).toBe(true);
    expect(at(THRESHOLDS.rttInflationMinMs * 0.99).queueSignal).toBe(false);
  });

  it('a bottleneck with its queue filling is surer than a flat, clean one (BBR)', () => {
    const inflated = deriveVerdict(cappedUpload({ minRttUs: 4000, meanRttUs: 4000 * THRESHOLDS.rttInflationRatio * 1.01 + 1000 }));
    const flat = deriveVerdict(cappedUpload({ minRttUs: 4000, meanRttUs: 4100 }));
    expect([inflated.class, flat.class]).toEqual(['capacity-limited', 'capacity-limited']);
    expect(inflated.confidence - flat.confidence).toBeCloseTo(0.15, 9);
  });

  it('tail drops as a queue signal: retransmits just over the clean rate count, just under do not', () => {
    const t = upload(recorded(CAPPED));
    const segments = t.bytes / 1460;
    const at = (rate: number) => queueSignal(cappedUpload({ minRttUs: 4000, meanRttUs: 4100, retransmits: Math.round(segments * rate) })).queueSignal;
    expect(at(THRESHOLDS.cleanRetransmitRate * 1.02)).toBe(true);
    expect(at(THRESHOLDS.cleanRetransmitRate * 0.98)).toBe(false);
  });

  it('flat intervals: the recorded plateau scaled to a CoV just under 0.2 is a bottleneck, just over is not', () => {
    const shape = upload(recorded(CAPPED)).intervalBps;
    const mean = shape.reduce((a, b) => a + b, 0) / shape.length;
    const withCov = (cov: number) => {
      const k = cov / coefficientOfVariation(shape)!;
      const intervals = shape.map((x) => mean + k * (x - mean));
      expect(coefficientOfVariation(intervals)).toBeCloseTo(cov, 6);
      return deriveVerdict(cappedUpload({ intervalBps: intervals, minRttUs: 4000, meanRttUs: 6000 })).class;
    };
    expect(withCov(THRESHOLDS.flatCov * 0.99)).toBe('capacity-limited');
    expect(withCov(THRESHOLDS.flatCov * 1.01)).not.toBe('capacity-limited');
  });

  it('window ceiling from above: just under 1.25 × the ceiling is the window, just over is not', () => {
    const e = cappedUpload({});
    const t = upload(e);
    const rtt = t.minRttUs! / 1e6;
    // The send buffer whose window/RTT puts the recorded 95 Mbit/s at `ratio` × the ceiling.
    const at = (ratio: number) => {
      const window = (t.bitsPerSecond / ratio) * rtt / 8;
      expect(t.bitsPerSecond / windowLimitBps(window, rtt)).toBeCloseTo(ratio, 9);
      return deriveVerdict({ ...e, host: { ...e.host!, maxSendWindow: window } });
    };
    expect(at(THRESHOLDS.windowHigh * 0.99).class).toBe('host-limited');
    expect(at(THRESHOLDS.windowHigh * 1.01).class).not.toBe('host-limited');
  });

  it('MTU stall: later intervals just under 1 % of the first with a lower path MTU are an MTU problem, just over are not', () => {
    const e = recorded(MTU_TWIN);
    expect(e.mtu?.pathMtu).toBeLessThan(e.mtu!.localMtu!);
    expect(e.mtu?.blackhole).toBe(false);
    const t = upload(e);
    const first = t.intervalBps[0]!;
    const stall = (share: number) => deriveVerdict({ ...e, throughput: [{ ...t, intervalBps: [first, first * share, first * share, first * share] }] }).class;
    expect(stall(0.0099)).toBe('mtu');
    expect(stall(0.0101)).not.toBe('mtu');
  });

  it('retransmits alone (no light probes): just over 10 × the clean rate is loss, just under is not', () => {
    const e = recorded(CAPPED);
    const t = upload(e);
    const segments = t.bytes / buildContext(e).mss;
    const at = (rate: number) => deriveVerdict({ ...e, loss: [], throughput: [{ ...t, retransmits: Math.round(segments * rate) }] });
    const limit = 10 * THRESHOLDS.cleanRetransmitRate;
    expect(at(limit * 1.02)).toMatchObject({ class: 'loss-limited', direction: 'upload' });
    expect(at(limit * 0.98).class).not.toBe('loss-limited');
  });

  it('loss without any RTT: a lower bound just over 1e-3 matters, just under does not', () => {
    const e = recorded(CAPPED);
    const t = { ...upload(e), minRttUs: null, meanRttUs: null };
    const at = (lowerBound: number) => ({ ...e, throughput: [t], loss: [{ ...e.loss[0]!, minDelayMs: null, lost: 30, sent: 10_000, lowerBound }] });
    expect(buildContext(at(1e-3)).rttSeconds).toBeNull();
    expect(ruleLoss(at(1.01e-3), buildContext(at(1.01e-3))).fired).toBe(true);
    expect(ruleLoss(at(0.99e-3), buildContext(at(0.99e-3))).fired).toBe(false);
  });

  it('Mathis agreement: measured just under 3 × the bound is consistent with the loss, just over is not said to be', () => {
    const e = recorded(CAPPED);
    const c = buildContext(e);
    const loss = { ...e.loss[0]!, lost: 100, sent: 10_000, lowerBound: 0.008 };
    const bound = mathisBps(c.mss, c.rttSeconds!, 0.01);
    const summary = (ratio: number) => {
      const x = { ...e, loss: [loss], throughput: [{ ...upload(e), bitsPerSecond: bound * ratio }] };
      return ruleLoss(x, buildContext(x)).summary;
    };
    expect(summary(THRESHOLDS.mathisAgreement * 0.99)).toMatch(/consistent with the measured throughput/);
    expect(summary(THRESHOLDS.mathisAgreement * 1.01)).not.toMatch(/consistent/);
  });

  it('segment clear: a via host just under 1.5 × the plateau holds the cap, just over is clear', () => {
    const at = (ratio: number) => {
      const e = recorded(CAPPED);
      const plateau = deriveVerdict(e).ceilings.capacity!;
      const seg = e.segments[0]!;
      seg.throughput = seg.throughput.map((t) => (t.direction === 'upload' ? { ...t, bitsPerSecond: plateau * ratio } : t));
      return deriveVerdict(e).segment?.index;
    };
    expect(at(THRESHOLDS.segmentClear * 0.99)).toBe(0);
    expect(at(THRESHOLDS.segmentClear * 1.01)).toBe(1);
  });
});
