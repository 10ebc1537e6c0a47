import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { advertisedWindow, evidenceFromRuns, mtuEvidence, onewayLossEvidence, rttLossEvidence, throughputEvidence } from '../../../electron/core/diagnose/from-runs.ts';
import { batches, lossPackets, planDiagnosis, shouldRun, traceRttSeconds, withLossPackets, type StepOutcome } from '../../../electron/core/diagnose/plan.ts';
import { mssFromMtu, tolerableLoss } from '../../../electron/core/diagnose/formulas.ts';
import type { SessionSummary } from '../../../electron/shared/latency.ts';
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

const session = (direction: SessionSummary['direction'], sent: number, lost: number, minMs: number): SessionSummary => ({
  direction, sent, lost, duplicates: 0, lossPercent: (lost / sent) * 100, lossLower: null, lossUpper: null, lossText: null, minMs, medianMs: minMs + 1, maxMs: minMs + 5, p95Ms: minMs + 2,
  jitterMs: 1, ipdvP95Ms: 1, reorderingPercent: 0, hops: 'hops = 3 (consistently)', synchronized: false, clockText: '(unsync)', senderErrorMs: null, receiverErrorMs: null, scheduleP99Us: null,
});
const latency = (id: number, sessions: SessionSummary[], host = 'far.example'): RunDetail => ({
  ...base(id, 'latency'), target: { host, port: 861 },
  oneway: { protocol: 'owamp', mode: 'unauthenticated', controlRttMs: 20, sessions, notes: [] },
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

  it('OWAMP loss is kept per direction, and the verdict says which way packets are lost', () => {
    const run = latency(9, [session('to', 1000, 40, 12.5), session('from', 1000, 0, -2.5)]);
    const loss = onewayLossEvidence(run);
    expect(loss.map((l) => [l.direction, l.lost, l.sent])).toEqual([['to', 40, 1000], ['from', 0, 1000]]);
    expect(loss[0]!.lowerBound).toBeCloseTo(lossInterval(40, 1000)!.lower, 12);
    expect(onewayLossEvidence({ ...run, status: 'failed' })).toEqual([]);
    const evidence = evidenceFromRuns({ target: 'far.example', targetBitsPerSecond: 1e9, host: null, runs: [{ role: 'loss-owamp', family: '4', run }, { role: 'throughput-upload', family: '4', run: { ...throughput(10, 2e7, false), throughput: { ...throughput(10, 2e7, false).throughput!, minRtt: null } } }] });
    expect(evidence.loss).toHaveLength(2);
    const v = deriveVerdict(evidence);
    expect(v.class).toBe('loss-limited');
    // Unsynchronised one-way minima still add up to the round trip: 12.5 + (-2.5) = 10 ms.
    expect(v.evidence.find((e) => e.rule === 'packet-loss')?.summary).toMatch(/40 of 1000 packets lost towards the far end .* at 10 ms/);
  });

  it('a segment whose OWAMP test failed falls back to its echo requests', () => {
    const runs = [
      { role: 'segment-0-owamp', family: '4' as const, run: { ...latency(11, [], 'mid.example'), status: 'failed' as const } },
      { role: 'segment-0-rtt', family: '4' as const, run: rtt(12, 1000, 960, 'mid.example') },
    ];
    const evidence = evidenceFromRuns({ target: 'far.example', targetBitsPerSecond: 1e9, host: null, runs, via: ['mid.example'] });
    expect(evidence.segments).toHaveLength(1);
    expect(evidence.segments[0]).toMatchObject({ index: 0, from: 'this host', to: 'mid.example' });
    expect(evidence.segments[0]!.loss.map((l) => [l.runId, l.lost])).toEqual([[12, 40]]);
  });
});

/** A flat iperf3 run at `bps` (5 one-second intervals), RTT inflated by a filling queue. */
const capped = (id: number, bps: number, reverse: boolean, host = 'far.example'): RunDetail => {
  const run = throughput(id, bps, reverse);
  const interval = (seq: number) => ({ seq, stream: -1, start: seq, end: seq + 1, bitsPerSecond: bps * (seq % 2 ? 1.02 : 0.98), bytes: bps / 8, retransmits: 0, cwnd: null, rtt: null, rttvar: null, pmtu: 1500, omitted: false, jitterMs: null, lostPackets: null, packets: null, lostPercent: null });
  return { ...run, target: { host, port: null }, throughput: { ...run.throughput!, retransmits: 0, meanRtt: 32000 }, data: { ...(run.data as Extract<RunDetail['data'], { kind: 'throughput' }>), intervals: [0, 1, 2, 3, 4].map(interval) } as RunDetail['data'] };
};

describe('segment localisation of a bottleneck and of an MTU drop', () => {
  const mid = 'mid.example';
  const diagnose = (segmentRuns: Array<{ role: string; run: RunDetail }>) =>
    deriveVerdict(evidenceFromRuns({
      target: 'far.example', targetBitsPerSecond: 1e9, host: null, via: [mid],
      runs: [{ role: 'throughput-upload', family: '4', run: capped(30, 1e8, false) }, { role: 'throughput-download', family: '4', run: capped(31, 9.4e8, true) }, ...segmentRuns.map((r) => ({ ...r, family: '4' as const }))],
    }));

  it('a via host behind the cap measures the cap: the near segment holds it', () => {
    const v = diagnose([{ role: 'segment-0-throughput-upload', run: capped(32, 0.98e8, false, mid) }, { role: 'segment-0-throughput-download', run: capped(33, 9.4e8, true, mid) }]);
    expect(v.class).toBe('capacity-limited');
    expect(v.segment).toEqual({ index: 0, from: 'this host', to: mid });
    expect(v.headline).toMatch(/on the segment this host → mid\.example/);
  });

  it('a via host that is clear in the capped direction puts the cap on the rest of the path', () => {
    const v = diagnose([{ role: 'segment-0-throughput-upload', run: capped(34, 9.3e8, false, mid) }]);
    expect(v.class).toBe('capacity-limited');
    expect(v.segment).toEqual({ index: 1, from: mid, to: 'far.example' });
  });

  it('no segment when the via host ran no throughput test, or it failed', () => {
    expect(diagnose([]).segment).toBeNull();
    expect(diagnose([{ role: 'segment-0-throughput-upload', run: { ...capped(35, 0, false, mid), status: 'failed', throughput: null } }]).segment).toBeNull();
  });

  it('an MTU black hole is placed where full-size tracepath probes go silent', () => {
    const hop = (ttl: number, address: string | null) => ({ ttl, responders: address ? [{ address, name: null, replies: 1 }] : [], probes: [], sent: 1, received: address ? 1 : 0, lossPercent: address ? 0 : 100, rtt: null, mtu: null, mtuReportedBy: null, asymm: null, flags: [], reached: false, note: null });
    const mtu: RunDetail = {
      ...base(40, 'mtu'),
      mtu: { family: '4', targetAddress: '198.18.9.1', localMtu: 1500, pathMtu: 1400, tracepathMtu: 1500, pingMtu: 1400, pingMtuIsLowerBound: false, drops: [], blackHoleSuspected: true, hops: null, problems: [] },
      data: { kind: 'mtu', hops: [hop(1, '198.18.1.1'), hop(2, null), hop(3, null), hop(4, null)], assessment: [], probes: [] } as unknown as RunDetail['data'],
    };
    expect(mtuEvidence(mtu)?.dropAtTtl).toBe(2);
    // Without the black hole the silent hops say nothing about the MTU.
    expect(mtuEvidence({ ...mtu, mtu: { ...mtu.mtu!, blackHoleSuspected: false } })?.dropAtTtl).toBeNull();
    const trace: RunDetail = { ...base(41, 'trace'), data: { kind: 'trace', hops: [{ ...hop(1, '198.18.1.1'), reached: false }, { ...hop(2, '198.18.2.2') }, { ...hop(3, '198.18.9.1'), reached: true }], assessment: [] } as unknown as RunDetail['data'] };
    const v = deriveVerdict(evidenceFromRuns({ target: 'far.example', targetBitsPerSecond: 1e9, host: null, runs: [{ role: 'trace', family: '4', run: trace }, { role: 'mtu', family: '4', run: mtu }, { role: 'throughput-upload', family: '4', run: throughput(42, 1e5, false) }] }));
    expect(v.class).toBe('mtu');
    expect(v.segment).toEqual({ index: 1, from: '198.18.1.1', to: '198.18.2.2' });
    expect(v.headline).toMatch(/between 198\.18\.1\.1 and 198\.18\.2\.2/);
  });
});

describe('the far host\'s advertised window from recorded iperf3 JSON', () => {
  const withStdout = (stdout: string, reverse = false): RunDetail => {
    const run = throughput(50, 1e8, reverse);
    return { ...run, raw: { stdout, stderr: '' } };
  };
  const fixture = (name: string) => readFileSync(new URL(`../../fixtures/iperf3/${name}.json`, import.meta.url), 'utf8');

  it('reads max_snd_wnd of each stream and sums the streams', () => {
    expect(advertisedWindow(withStdout(fixture('tcp-3.12')))).toBe(2_754_560);
    expect(advertisedWindow(withStdout(fixture('tcp-parallel-omit-3.12')))).toBe(1_683_456 + 11_323_392 + 10_217_472);
    expect(throughputEvidence(withStdout(fixture('tcp-3.12')), 'upload')?.advertisedWindow).toBe(2_754_560);
    // Downloading, this host is the receiver: the window is its own, not the far host's.
    expect(throughputEvidence(withStdout(fixture('tcp-reverse-json-server-3.12'), true), 'download')?.advertisedWindow).toBeNull();
  });

  it('hostile or partial output gives no window rather than a wrong one', () => {
    const report = JSON.parse(fixture('tcp-3.12')) as { end: { streams: Array<{ sender: Record<string, unknown> }> } };
    const streamWith = (value: unknown) => JSON.stringify({ ...report, end: { ...report.end, streams: [{ ...report.end.streams[0], sender: { ...report.end.streams[0]!.sender, max_snd_wnd: value } }] } });
    for (const value of [-1, 0, '2754560', null, 1e300, Number.MAX_SAFE_INTEGER]) expect(advertisedWindow(withStdout(streamWith(value)))).toBeNull();
    expect(advertisedWindow(withStdout('{"end": {"streams": "x"}}'))).toBeNull();
    expect(advertisedWindow(withStdout('null'))).toBeNull();
    expect(advertisedWindow(withStdout(fixture('tcp-3.12').slice(0, 500)))).toBeNull();
    expect(advertisedWindow({ ...withStdout(''), raw: null })).toBeNull();
  });
});

describe('the diagnosis plan', () => {
  it('tries OWAMP first and plans echo requests only as its fallback, for the target and each via host', () => {
    const steps = planDiagnosis({ host: 'far.example', port: 5201 }, ['4'], 'quick', ['mid.example'], 861);
    expect(steps.map((s) => [s.role, s.unlessSucceeded ?? null, s.ifSucceeded ?? null])).toEqual([
      ['trace', null, null], ['mtu', null, null], ['loss-owamp', null, null], ['segment-0-owamp', null, null], ['loss-rtt', 'loss-owamp', null], ['segment-0-rtt', 'segment-0-owamp', null],
      ['throughput-upload', null, null], ['throughput-download', null, null], ['segment-0-throughput-upload', null, null], ['segment-0-throughput-download', null, 'segment-0-throughput-upload'],
    ]);
    // The light probes to the target and to mid run side by side; every throughput test alone.
    expect(batches(steps).map((b) => b.map(({ step }) => step.role))).toEqual([
      ['trace'], ['mtu'], ['loss-owamp', 'segment-0-owamp'], ['loss-rtt', 'segment-0-rtt'], ['throughput-upload'], ['throughput-download'], ['segment-0-throughput-upload'], ['segment-0-throughput-download'],
    ]);
    expect(batches(steps).flat().map(({ index }) => index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(steps.find((s) => s.role === 'segment-0-throughput-download')!.request).toMatchObject({ kind: 'throughput', target: { host: 'mid.example', port: null }, options: { reverse: true, family: '4' } });
    const owamp = steps.find((s) => s.role === 'segment-0-owamp')!.request;
    expect(owamp).toMatchObject({ kind: 'latency', target: { host: 'mid.example', port: 861 }, options: { direction: 'both', packets: 300, family: '4' } });
    const echoOnly = planDiagnosis({ host: 'far.example', port: 5201 }, ['4', '6'], 'quick', [], null);
    expect(echoOnly.filter((s) => s.role.includes('owamp'))).toEqual([]);
    expect(echoOnly.filter((s) => s.role === 'loss-rtt').map((s) => s.unlessSucceeded)).toEqual([undefined, undefined]);
  });

  it('measures a via host only in a direction that fell short end to end, and skips fallbacks and follow-ups as planned', () => {
    const steps = planDiagnosis({ host: 'far.example', port: 5201 }, ['4'], 'quick', ['mid.example'], 861);
    const step = (role: string) => steps.find((s) => s.role === role)!;
    const target = 200e6;
    const outcomes = (entries: Record<string, StepOutcome>) => new Map(Object.entries(entries).map(([role, o]) => [`4:${role}`, o]));
    const ran = (bits: number | null, succeeded = true): StepOutcome => ({ succeeded, bitsPerSecond: bits });
    // Upload short (capped), download fine: only the upload is measured to the via host.
    const capped = outcomes({ 'throughput-upload': ran(95e6), 'throughput-download': ran(400e6) });
    expect(shouldRun(step('segment-0-throughput-upload'), capped, target)).toBe(true);
    expect(shouldRun(step('segment-0-throughput-download'), capped, target)).toBe(false);
    // At the verdict's own threshold (90 % of the target) a direction counts as met; just below, short.
    expect(shouldRun(step('segment-0-throughput-upload'), outcomes({ 'throughput-upload': ran(0.9 * target) }), target)).toBe(false);
    expect(shouldRun(step('segment-0-throughput-upload'), outcomes({ 'throughput-upload': ran(0.9 * target - 1) }), target)).toBe(true);
    // A failed end-to-end test says nothing about the rate: the via host is still measured.
    expect(shouldRun(step('segment-0-throughput-upload'), outcomes({ 'throughput-upload': ran(null, false) }), target)).toBe(true);
    // The download follows a via upload that answered, or one that was never needed; not one that failed.
    const short = { 'throughput-upload': ran(50e6), 'throughput-download': ran(50e6) };
    expect(shouldRun(step('segment-0-throughput-download'), outcomes({ ...short, 'segment-0-throughput-upload': ran(60e6) }), target)).toBe(true);
    expect(shouldRun(step('segment-0-throughput-download'), outcomes({ ...short, 'segment-0-throughput-upload': ran(null, false) }), target)).toBe(false);
    expect(shouldRun(step('segment-0-throughput-download'), outcomes({ 'throughput-upload': ran(400e6), 'throughput-download': ran(50e6) }), target)).toBe(true);
    // Echo requests only when OWAMP did not answer.
    expect(shouldRun(step('loss-rtt'), outcomes({ 'loss-owamp': ran(null) }), target)).toBe(false);
    expect(shouldRun(step('loss-rtt'), outcomes({ 'loss-owamp': ran(null, false) }), target)).toBe(true);
    // Behind a PMTU black hole OWAMP is not tried (its record fetch would stall); echo requests measure.
    const blackHole = outcomes({ mtu: { succeeded: true, bitsPerSecond: null, blackHole: true } });
    expect(shouldRun(step('loss-owamp'), blackHole, target)).toBe(false);
    expect(shouldRun(step('segment-0-owamp'), blackHole, target)).toBe(false);
    expect(shouldRun(step('loss-rtt'), blackHole, target)).toBe(true);
    expect(shouldRun(step('loss-owamp'), outcomes({ mtu: { succeeded: true, bitsPerSecond: null, blackHole: false } }), target)).toBe(true);
  });

  it('sizes loss steps for the path: enough packets to rule out the loss that matters, within the depth', () => {
    // 200 Mbit/s over 2 ms tolerates ~1.3e-3 loss: ~2,300 packets resolve it.
    const needed = Math.ceil(3 / tolerableLoss(mssFromMtu(null, '4'), 0.002, 2e8));
    expect(needed).toBeGreaterThan(1000);
    expect(needed).toBeLessThan(3000);
    expect(lossPackets('normal', 0.002, 2e8, '4')).toBe(needed);
    expect(lossPackets('quick', 0.002, 2e8, '4')).toBe(300); // quick never grows
    expect(lossPackets('normal', 0.05, 1e9, '4')).toBe(3000); // beyond reach: capped
    expect(lossPackets('thorough', 0.05, 1e9, '4')).toBe(10_000);
    expect(lossPackets('normal', 0.0001, 1e6, '4')).toBe(1000); // never below the depth's base
    expect(lossPackets('normal', null, 1e9, '4')).toBe(1000);
    const steps = planDiagnosis({ host: 'far.example', port: null }, ['4'], 'normal', [], 861);
    const owamp = withLossPackets(steps.find((s) => s.role === 'loss-owamp')!, 2345);
    const echo = withLossPackets(steps.find((s) => s.role === 'loss-rtt')!, 2345);
    expect(owamp.request).toMatchObject({ kind: 'latency', options: { packets: 2345 } });
    expect(owamp.label).toMatch(/\(2345 packets\)/);
    expect(echo.request).toMatchObject({ kind: 'rtt', options: { count: 2345 } });
    expect(echo.label).toMatch(/2345 echo requests/);
  });

  it('takes the RTT for sizing from the trace hop that reached the destination', () => {
    const trace: RunDetail = {
      ...base(20, 'trace'),
      trace: { tool: 'traceroute', method: 'udp', paris: false, family: '4', targetAddress: '198.18.9.1', hopCount: 2, reached: true, destinationTtl: 2, destinationLossPercent: 0, lossStartsAtTtl: null, rateLimitedTtls: [], fingerprint: 'f', routeFingerprint: null, pathKey: 'a > b', pathMtu: null, mtuDrops: [], problems: [] },
      data: {
        kind: 'trace',
        hops: [
          { ttl: 1, responders: [], probes: [], sent: 3, received: 3, lossPercent: 0, rtt: { last: 1, avg: 1, best: 0.5, worst: 2, stdev: 0 }, mtu: null },
          { ttl: 2, responders: [], probes: [], sent: 3, received: 3, lossPercent: 0, rtt: { last: 21, avg: 21, best: 20.4, worst: 22, stdev: 0 }, mtu: null },
        ],
        assessment: [],
      } as unknown as RunDetail['data'],
    };
    expect(traceRttSeconds(trace)).toBeCloseTo(0.0204, 6);
    expect(traceRttSeconds({ ...trace, trace: { ...trace.trace!, reached: false } })).toBeNull();
  });
});
