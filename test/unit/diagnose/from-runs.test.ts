import { describe, expect, it } from 'vitest';
import { evidenceFromRuns, mtuEvidence, rttLossEvidence } from '../../../electron/core/diagnose/from-runs.ts';
import { deriveVerdict } from '../../../electron/core/diagnose/verdict.ts';
import { lossInterval } from '../../../electron/core/stats/loss.ts';
import type { RunDetail } from '../../../electron/shared/runs.ts';

const base = (id: number, kind: RunDetail['kind']): RunDetail => ({
  id, kind, target: { host: 'far.example', port: null }, status: 'succeeded', createdAt: 0, startedAt: 0, finishedAt: 1, error: null, tool: null, toolVersion: null,
  options: {}, family: '4', pathFingerprint: null, tags: [], throughput: null, oneway: null, trace: null, rtt: null, mtu: null, command: null, raw: null, data: null,
});
const rtt = (id: number, sent: number, received: number, host = 'far.example'): RunDetail => ({
  ...base(id, 'rtt'), target: { host, port: null },
  rtt: { family: '4', targetAddress: '198.18.9.1', sent, received, duplicates: 0, errors: 0, lossPercent: ((sent - received) / sent) * 100, minMs: 20, avgMs: 21, maxMs: 30, stdevMs: 1, p50Ms: 21, p95Ms: 25, ttl: 60, problems: [] },
});
const throughput = (id: number, bps: number, reverse: boolean): RunDetail => ({
  ...base(id, 'throughput'),
  throughput: { protocol: 'tcp', reverse, streams: 1, seconds: 10, sentBitsPerSecond: bps, receivedBitsPerSecond: bps, sentBytes: bps, receivedBytes: bps, retransmits: 800, meanRtt: 21000, minRtt: 20000, maxRtt: 25000, maxCwnd: 100000, pmtu: 1500, lostPercent: null, jitterMs: null, localCpuPercent: 10, remoteCpuPercent: 10, congestion: 'cubic', remoteAddress: '198.18.9.1', family: '4' },
  data: { kind: 'throughput', series: { start: [], end: [], bitsPerSecond: [], retransmits: [], rtt: [], cwnd: [] }, intervals: [] },
});

describe('evidence from stored runs', () => {
  it('round-trip loss gets exact binomial bounds', () => {
    const l = rttLossEvidence(rtt(1, 1000, 980));
    const bounds = lossInterval(20, 1000);
    expect(l).toMatchObject({ direction: 'round-trip', sent: 1000, lost: 20, lowerBound: bounds?.lower, upperBound: bounds?.upper });
    expect(l?.lowerBound).toBeGreaterThan(0.01);
    expect(l?.lowerBound).toBeLessThan(0.02);
    expect(lossInterval(0, 100)?.upper).toBeCloseTo(0.0362, 3);
    expect(rttLossEvidence({ ...rtt(2, 10, 10), status: 'failed' })).toBeNull();
  });

  it('an MTU black hole from the mtu run reaches the verdict', () => {
    const mtu: RunDetail = { ...base(3, 'mtu'), mtu: { family: '4', targetAddress: null, localMtu: 1500, pathMtu: 1400, tracepathMtu: 1500, pingMtu: 1400, pingMtuIsLowerBound: false, drops: [], blackHoleSuspected: true, hops: 3, problems: [] } };
    expect(mtuEvidence(mtu)).toMatchObject({ pathMtu: 1400, localMtu: 1500, blackhole: true });
    const v = deriveVerdict(evidenceFromRuns({ target: 'far.example', targetBitsPerSecond: 1e9, host: null, runs: [{ role: 'mtu', family: '4', run: mtu }, { role: 'throughput-upload', family: '4', run: throughput(4, 1e5, false) }] }));
    expect(v.class).toBe('mtu');
  });

  it('loss on the path with a clean first segment is placed on the far segment', () => {
    const runs = [
      { role: 'loss-rtt', family: '4' as const, run: rtt(5, 1000, 960) },
      { role: 'segment-0-rtt', family: '4' as const, run: rtt(6, 1000, 1000, 'mid.example') },
      { role: 'throughput-upload', family: '4' as const, run: throughput(7, 2e7, false) },
    ];
    const evidence = evidenceFromRuns({ target: 'far.example', targetBitsPerSecond: 1e9, host: null, runs, via: ['mid.example'] });
    expect(evidence.segments).toEqual([expect.objectContaining({ index: 0, from: 'this host', to: 'mid.example' })]);
    const v = deriveVerdict(evidence);
    expect(v.class).toBe('loss-limited');
    expect(v.segment).toEqual({ index: 1, from: 'mid.example', to: 'far.example' });
    const near = deriveVerdict(evidenceFromRuns({ target: 'far.example', targetBitsPerSecond: 1e9, host: null, runs: [runs[0]!, { ...runs[1]!, run: rtt(8, 1000, 965, 'mid.example') }, runs[2]!], via: ['mid.example'] }));
    expect(near.segment).toEqual({ index: 0, from: 'this host', to: 'mid.example' });
  });
});
