import { describe, expect, it } from 'vitest';
import type { DiagnosisEvidence, LossEvidence, ThroughputEvidence } from '../../../electron/core/diagnose/evidence.ts';
import { mathisBps, tolerableLoss, windowLimitBps } from '../../../electron/core/diagnose/formulas.ts';
import { THRESHOLDS } from '../../../electron/core/diagnose/rules.ts';
import { deriveVerdict } from '../../../electron/core/diagnose/verdict.ts';
import type { SelfCheckReport } from '../../../electron/shared/selfcheck.ts';
import { formatBitrate } from '../../../electron/shared/units.ts';

const MiB = 1024 * 1024;
let nextRun = 1;
function tput(o: Partial<ThroughputEvidence> = {}): ThroughputEvidence {
  const bps = o.bitsPerSecond ?? 9.4e8;
  return {
    runId: nextRun++, direction: 'upload', family: '4', bitsPerSecond: bps, intervalBps: Array.from({ length: 5 }, () => bps), retransmits: 0,
    bytes: (bps / 8) * 5, minRttUs: 20_000, meanRttUs: 20_500, maxRttUs: 21_000, maxCwnd: 3 * MiB, pmtu: 1500, streams: 1, localCpuPercent: 20, remoteCpuPercent: 15, failed: null, ...o,
  };
}
function loss(o: Partial<LossEvidence> = {}): LossEvidence {
  return { runId: nextRun++, direction: 'to', sent: 10_000, lost: 0, upperBound: 3e-4, lowerBound: 0, minDelayMs: 10, medianDelayMs: 10.2, p95DelayMs: 10.6, ...o };
}
function host(o: Partial<SelfCheckReport> = {}): SelfCheckReport {
  return { platform: 'linux', hostname: 'h', kernel: 'k', cpus: 2, rttMs: 100, targetBitsPerSecond: 1e9, bdpBytes: 12.5e6, maxReceiveWindow: 32 * MiB, maxSendWindow: 32 * MiB, findings: [], ...o };
}
function evidence(o: Partial<DiagnosisEvidence> = {}): DiagnosisEvidence {
  return { target: 'server.example', targetBitsPerSecond: 1e9, host: host(), throughput: [tput(), tput({ direction: 'download' })], loss: [loss(), loss({ direction: 'from' })], path: null, mtu: null, segments: [], ...o };
}
const lossOf = (lost: number, sent: number, direction: LossEvidence['direction'] = 'to') => loss({ lost, sent, direction, lowerBound: lost === 0 ? 0 : (lost / sent) * 0.7, upperBound: (lost + 3) / sent });

describe('formulas', () => {
  it('Mathis and its inverse agree with the published tables', () => {
    // 100 ms, MSS 1460, p = 1e-4 → about 14 Mbit/s (anchors-features §2.1).
    expect(mathisBps(1460, 0.1, 1e-4) / 1e6).toBeCloseTo(14.3, 0);
    // RFC 3649: 10 Gbit/s at 100 ms needs p ≈ 2e-10.
    expect(tolerableLoss(1500, 0.1, 10e9)).toBeCloseTo(2.16e-10, 11);
    expect(windowLimitBps(6291456, 0.1) / 1e6).toBeCloseTo(503, 0);
  });
});

describe('verdict classes', () => {
  it('healthy: meets the target, no loss that matters', () => {
    const v = deriveVerdict(evidence());
    expect(v.class).toBe('healthy');
    expect(v.side).toBeNull();
    expect(v.evidence.find((r) => r.rule === 'throughput-meets-target')?.fired).toBe(true);
  });

  it('healthy with too few probe packets says so and lowers confidence', () => {
    const v = deriveVerdict(evidence({ loss: [loss({ sent: 100, upperBound: 0.03 })] }));
    expect(v.class).toBe('healthy');
    expect(v.confidence).toBeLessThan(0.7);
    expect(v.nextSteps.join(' ')).toMatch(/send at least \d+ packets/);
  });

  it('loss-limited: one-way loss that caps TCP, measured throughput consistent with Mathis', () => {
    const p = 0.01;
    const cap = mathisBps(1460, 0.02, p);
    const v = deriveVerdict(evidence({ throughput: [tput({ bitsPerSecond: cap * 1.5, retransmits: 900 })], loss: [lossOf(100, 10_000, 'to'), lossOf(0, 10_000, 'from')] }));
    expect(v.class).toBe('loss-limited');
    expect(v.side).toBe('network');
    expect(v.direction).toBe('upload');
    expect(v.ceilings.mathis).toBeCloseTo(cap, -3);
    expect(v.confidence).toBeGreaterThanOrEqual(0.9);
  });

  it('loss-limited is localised to the near segment when the first segment is lossy, else to the rest of the path', () => {
    const lossy = [lossOf(100, 10_000)];
    const near = deriveVerdict(evidence({ throughput: [tput({ bitsPerSecond: 1e7, retransmits: 500 })], loss: lossy, segments: [{ index: 0, from: 'client', to: 'mid', loss: [lossOf(95, 10_000)], throughput: [] }] }));
    expect(near.segment).toEqual({ index: 0, from: 'client', to: 'mid' });
    const far = deriveVerdict(evidence({ throughput: [tput({ bitsPerSecond: 1e7, retransmits: 500 })], loss: lossy, segments: [{ index: 0, from: 'client', to: 'mid', loss: [lossOf(0, 10_000)], throughput: [] }] }));
    expect(far.segment).toEqual({ index: 1, from: 'mid', to: 'server.example' });
    expect(far.headline).toMatch(/mid → server\.example/);
  });

  it('host-limited: small buffers on a long path is the host, never the network', () => {
    const window = 512 * 1024;
    const rtt = 0.05;
    const ceiling = windowLimitBps(window, rtt);
    const v = deriveVerdict(evidence({
      host: host({ maxSendWindow: window, maxReceiveWindow: window }),
      throughput: [tput({ bitsPerSecond: ceiling * 0.6, minRttUs: 50_000, meanRttUs: 50_200, retransmits: 0 }), tput({ direction: 'download', bitsPerSecond: ceiling * 0.55, minRttUs: 50_000, meanRttUs: 50_100, retransmits: 0 })],
    }));
    expect(v.class).toBe('host-limited');
    expect(v.side).toBe('local-host');
    expect(v.ceilings.window).toBeCloseTo(ceiling, -3);
    expect(v.alsoFound).not.toContain('loss-limited');
  });

  it('capacity-limited: flat rate below the target, RTT rising under load, light probes see no loss', () => {
    const v = deriveVerdict(evidence({ throughput: [tput({ bitsPerSecond: 9.5e7, intervalBps: [9.4e7, 9.5e7, 9.6e7, 9.5e7, 9.5e7], minRttUs: 20_000, meanRttUs: 32_000, retransmits: 40 })] }));
    expect(v.class).toBe('capacity-limited');
    expect(v.ceilings.capacity).toBeCloseTo(9.5e7, -5);
    expect(v.side).toBe('network');
  });

  it('mtu: a black hole wins over everything else', () => {
    const v = deriveVerdict(evidence({ throughput: [tput({ bitsPerSecond: 2e5, intervalBps: [1e6, 0, 0, 0] })], mtu: { runId: 99, pathMtu: 1400, localMtu: 1500, blackhole: true, dropAtTtl: 3 } }));
    expect(v.class).toBe('mtu');
    expect(v.evidence.find((r) => r.rule === 'path-mtu')?.runIds).toEqual([99, expect.any(Number)]);
  });

  it('path-changed: a route change on an otherwise healthy path; healthy twin without it', () => {
    const path = { runId: 50, reached: true, hops: [], fingerprint: 'b', changedFrom: { runId: 40, fingerprint: 'a', changedTtls: [2], at: 0 } };
    expect(deriveVerdict(evidence({ path })).class).toBe('path-changed');
    expect(deriveVerdict(evidence({ path: { ...path, changedFrom: null } })).class).toBe('healthy');
  });

  it('inconclusive when throughput could not be measured', () => {
    const v = deriveVerdict(evidence({ throughput: [tput({ failed: { code: 'CONNECTION_REFUSED', message: 'refused' } })], loss: [] }));
    expect(v.class).toBe('inconclusive');
    expect(v.nextSteps.join(' ')).toMatch(/iperf3 server/);
  });

  it('CPU-bound far host is host-limited on the remote side', () => {
    const v = deriveVerdict(evidence({ throughput: [tput({ bitsPerSecond: 4e8, remoteCpuPercent: 99, intervalBps: [2e8, 6e8, 4e8, 3e8, 5e8] })] }));
    expect(v.class).toBe('host-limited');
    expect(v.side).toBe('remote-host');
  });
});

describe('borderline cases around each threshold', () => {
  it('meets the target at 90 % but not just below', () => {
    const at = evidence({ throughput: [tput({ bitsPerSecond: 0.9e9 })] });
    const below = evidence({ throughput: [tput({ bitsPerSecond: 0.899e9, intervalBps: [8e8, 9.9e8, 8.5e8, 9.6e8, 8.9e8] })] });
    expect(deriveVerdict(at).class).toBe('healthy');
    expect(deriveVerdict(below).class).not.toBe('healthy');
  });

  it('window rule fires inside [0.3, 1.25] × ceiling and not outside', () => {
    const window = 256 * 1024;
    const ceiling = windowLimitBps(window, 0.05);
    const make = (ratio: number) => evidence({ host: host({ maxSendWindow: window }), throughput: [tput({ bitsPerSecond: ceiling * ratio, minRttUs: 50_000, meanRttUs: 50_100 })], loss: [] });
    expect(deriveVerdict(make(THRESHOLDS.windowLow + 0.01)).class).toBe('host-limited');
    expect(deriveVerdict(make(THRESHOLDS.windowHigh - 0.01)).class).toBe('host-limited');
    expect(deriveVerdict(make(THRESHOLDS.windowLow - 0.05)).class).not.toBe('host-limited');
  });

  it('window rule needs a clean flow: retransmits above the threshold stop it', () => {
    const window = 256 * 1024;
    const ceiling = windowLimitBps(window, 0.05);
    const bytes = (ceiling / 8) * 5;
    const segments = bytes / 1460;
    const make = (rate: number) => evidence({ host: host({ maxSendWindow: window }), throughput: [tput({ bitsPerSecond: ceiling * 0.8, bytes, retransmits: Math.round(segments * rate), minRttUs: 50_000, meanRttUs: 50_100 })], loss: [] });
    expect(deriveVerdict(make(THRESHOLDS.cleanRetransmitRate * 0.5)).class).toBe('host-limited');
    expect(deriveVerdict(make(THRESHOLDS.cleanRetransmitRate * 2)).class).not.toBe('host-limited');
  });

  it('a bottleneck needs flat intervals: just under the CoV threshold fires, well over does not', () => {
    const flat = [1e8, 1.2e8, 0.8e8, 1e8, 1e8];
    const jumpy = [0.3e8, 1.7e8, 0.5e8, 1.6e8, 0.9e8];
    const make = (intervals: number[]) => evidence({ throughput: [tput({ bitsPerSecond: 1e8, intervalBps: intervals, minRttUs: 20_000, meanRttUs: 35_000 })] });
    expect(deriveVerdict(make(flat)).class).toBe('capacity-limited');
    expect(deriveVerdict(make(jumpy)).class).not.toBe('capacity-limited');
  });

  it('loss matters only when even its lower bound caps TCP below the target', () => {
    // At 20 ms and 1 Gbit/s the tolerable loss is about 5e-6.
    const pMax = tolerableLoss(1460, 0.02, 1e9);
    const make = (lowerBound: number) => evidence({ throughput: [tput({ bitsPerSecond: 5e8, intervalBps: [2e8, 8e8, 4e8, 6e8, 5e8] })], loss: [loss({ lost: 3, sent: 100_000, lowerBound })] });
    expect(deriveVerdict(make(pMax * 1.5)).class).toBe('loss-limited');
    expect(deriveVerdict(make(pMax * 0.5)).class).not.toBe('loss-limited');
  });

  it('CPU rule fires at the bound, not below', () => {
    const make = (cpu: number) => evidence({ throughput: [tput({ bitsPerSecond: 4e8, localCpuPercent: cpu, intervalBps: [2e8, 6e8, 4e8, 3e8, 5e8] })] });
    expect(deriveVerdict(make(THRESHOLDS.cpuBound)).class).toBe('host-limited');
    expect(deriveVerdict(make(THRESHOLDS.cpuBound - 1)).class).toBe('inconclusive');
  });
});

describe('bottlenecks that BBR hides', () => {
  it('a flat, clean rate below the need that neither loss nor this host explains is a bottleneck (less sure)', () => {
    const flat = [9.5e7, 9.55e7, 9.5e7, 9.45e7, 9.5e7];
    const v = deriveVerdict(evidence({ throughput: [tput({ bitsPerSecond: 9.5e7, intervalBps: flat, minRttUs: 3000, meanRttUs: 3100, retransmits: 0 })] }));
    expect(v.class).toBe('capacity-limited');
    expect(v.confidence).toBeLessThan(0.7);
  });
  it('the same flat rate explained by a small window stays host-limited', () => {
    const window = 256 * 1024;
    const ceiling = windowLimitBps(window, 0.05);
    const v = deriveVerdict(evidence({ host: host({ maxSendWindow: window }), throughput: [tput({ bitsPerSecond: ceiling * 0.7, intervalBps: Array.from({ length: 5 }, () => ceiling * 0.7), minRttUs: 50_000, meanRttUs: 50_100 })] }));
    expect(v.class).toBe('host-limited');
  });
});

describe('loss that does not limit, and one direction per verdict', () => {
  it('loss the measured rate rides over is a warning on a healthy verdict, not loss-limited', () => {
    // 1 % loss at 20 ms caps Reno-style TCP near 17 Mbit/s; BBR measured 950 Mbit/s anyway.
    const v = deriveVerdict(evidence({ throughput: [tput({ bitsPerSecond: 9.5e8 }), tput({ direction: 'download', bitsPerSecond: 9.4e8 })], loss: [lossOf(100, 10_000)] }));
    expect(v.evidence.find((r) => r.rule === 'packet-loss')?.fired).toBe(true);
    expect(v.class).toBe('healthy');
    expect(v.alsoFound).not.toContain('loss-limited');
    expect(v.ceilings.mathis).toBeNull();
    expect(v.headline).toMatch(/loses packets/);
    expect(v.nextSteps.join(' ')).toMatch(/^Warning: 100 of 10000 packets lost/);
    expect(v.confidence).toBeLessThan(0.85);
    // The same loss with the rate short of the need limits it.
    expect(deriveVerdict(evidence({ throughput: [tput({ bitsPerSecond: 2e7, retransmits: 900 })], loss: [lossOf(100, 10_000)] })).class).toBe('loss-limited');
  });

  it('the Mathis ceiling and the headline use the same (worst) loss', () => {
    const v = deriveVerdict(evidence({ throughput: [tput({ bitsPerSecond: 1e7, retransmits: 900 })], loss: [lossOf(50, 10_000, 'to'), lossOf(200, 10_000, 'from')] }));
    expect(v.class).toBe('loss-limited');
    expect(v.direction).toBe('download');
    const mss = 1460;
    expect(v.ceilings.mathis).toBeCloseTo(mathisBps(mss, 0.02, 0.02), -3);
    expect(v.evidence.find((r) => r.rule === 'packet-loss')?.numbers.mathisBps).toBe(v.ceilings.mathis);
    expect(v.headline).toContain(formatBitrate(mathisBps(mss, 0.02, 0.02)));
  });

  it('measured rate and window ceiling are of the same direction', () => {
    const window = 256 * 1024;
    const ceiling = windowLimitBps(window, 0.05);
    const v = deriveVerdict(evidence({
      host: host({ maxSendWindow: 64 * MiB, maxReceiveWindow: window }),
      loss: [],
      throughput: [tput({ bitsPerSecond: 9.4e8, minRttUs: 50_000, meanRttUs: 50_100 }), tput({ direction: 'download', bitsPerSecond: ceiling * 0.8, minRttUs: 50_000, meanRttUs: 50_100 })],
    }));
    expect(v.class).toBe('host-limited');
    expect(v.direction).toBe('download');
    expect(v.measuredBitsPerSecond).toBeCloseTo(ceiling * 0.8, -3);
    expect(v.ceilings.window).toBeCloseTo(ceiling, -3);
  });

  it('loss seen only as TCP retransmits names no Mathis ceiling it does not have', () => {
    const bps = 2e7;
    const bytes = (bps / 8) * 5;
    const v = deriveVerdict(evidence({ loss: [], throughput: [tput({ bitsPerSecond: bps, bytes, retransmits: Math.round((bytes / 1460) * 0.02), intervalBps: [1e7, 3e7, 1.5e7, 2.5e7, 2e7] })] }));
    expect(v.class).toBe('loss-limited');
    expect(v.direction).toBe('upload');
    expect(v.ceilings.mathis).toBeNull();
    expect(v.headline).not.toMatch(/—/);
    expect(v.headline).toMatch(/retransmitted 2\.0 % of its segments sending/);
  });
});

describe('the far host (receiver) window', () => {
  // Uploading over 20 ms with 4 MiB of local send buffer (1.7 Gbit/s): the far host advertises 128 KiB.
  const advertised = 128 * 1024;
  const farCeiling = windowLimitBps(advertised, 0.02);
  const make = (ratio: number, o: Partial<ThroughputEvidence> = {}) =>
    evidence({ host: host({ maxSendWindow: 4 * MiB }), targetBitsPerSecond: 2e8, loss: [loss({ direction: 'to' })], throughput: [tput({ bitsPerSecond: farCeiling * ratio, advertisedWindow: advertised, ...o })] });

  it('a rate at window/RTT of what the far host advertises is the far host, not the network', () => {
    const v = deriveVerdict(make(0.8));
    expect(v).toMatchObject({ class: 'host-limited', side: 'remote-host', direction: 'upload' });
    expect(v.ceilings.window).toBeCloseTo(farCeiling, -3);
    expect(v.headline).toMatch(/far host \(receiver\)/);
    expect(v.alsoFound).not.toContain('capacity-limited');
  });

  it('borderline: inside [0.3, 1.25] × its ceiling fires, outside does not', () => {
    expect(deriveVerdict(make(THRESHOLDS.windowLow * 1.01)).side).toBe('remote-host');
    expect(deriveVerdict(make(THRESHOLDS.windowHigh * 0.99)).side).toBe('remote-host');
    expect(deriveVerdict(make(THRESHOLDS.windowLow * 0.99)).side).not.toBe('remote-host');
    expect(deriveVerdict(make(THRESHOLDS.windowHigh * 1.01)).side).not.toBe('remote-host');
  });

  it('not when this host\'s own send buffer is as small, nor with retransmits, nor without the window', () => {
    const own = deriveVerdict({ ...make(0.8), host: host({ maxSendWindow: advertised }) });
    expect(own).toMatchObject({ class: 'host-limited', side: 'local-host' });
    const bytes = (farCeiling * 0.8 / 8) * 5;
    expect(deriveVerdict(make(0.8, { bytes, retransmits: Math.round((bytes / 1460) * THRESHOLDS.cleanRetransmitRate * 2) })).side).not.toBe('remote-host');
    expect(deriveVerdict(make(0.8, { advertisedWindow: null })).side).not.toBe('remote-host');
  });
});

describe('loss under a congestion control that rides over it', () => {
  it('short of the need, far above the Mathis bound: loss-limited without claiming the Mathis cap', () => {
    const v = deriveVerdict(evidence({ targetBitsPerSecond: 1e9, throughput: [tput({ bitsPerSecond: 5e8, intervalBps: [4e8, 6e8, 5e8, 4.5e8, 5.5e8] })], loss: [lossOf(110, 3000)] }));
    expect(v.class).toBe('loss-limited');
    expect(v.ceilings.mathis).toBeNull();
    expect(v.headline).toMatch(/reached only 500 Mbit\/s .* rides over the loss/);
    expect(v.confidence).toBeLessThanOrEqual(0.6);
  });
});
