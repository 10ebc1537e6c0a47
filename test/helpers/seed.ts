import { Store } from '../../electron/core/store/index.ts';
import type { ThroughputInterval, ThroughputSummary } from '../../electron/shared/throughput.ts';

export interface SeededRun {
  host: string;
  at: number;
  bps: number;
  family?: '4' | '6';
  fingerprint?: string;
  tags?: string[];
  intervals?: number;
}

/** A complete TCP summary as the iperf3 driver stores it (runs.list/get outputs are checked against the contract). */
export function throughputSummary(bps: number, patch: Partial<ThroughputSummary> = {}): ThroughputSummary {
  return {
    protocol: 'tcp', reverse: false, streams: 1, seconds: 10, sentBitsPerSecond: bps, receivedBitsPerSecond: bps, sentBytes: (bps / 8) * 10, receivedBytes: (bps / 8) * 10,
    retransmits: 3, meanRtt: 30_000, minRtt: 29_000, maxRtt: 31_000, maxCwnd: 2e6, pmtu: 1500, lostPercent: null, jitterMs: null, localCpuPercent: null, remoteCpuPercent: null,
    congestion: 'cubic', remoteAddress: null, family: null, ...patch,
  };
}

/** Writes finished throughput runs straight into a store, as the workbench would have. */
export function seedThroughputRuns(dbPath: string, runs: SeededRun[]): number[] {
  const store = new Store(dbPath);
  try {
    return runs.map((r) => {
      const id = store.runs.create({ kind: 'throughput', host: r.host, port: 5201, family: 'any', options: { duration: r.intervals ?? 10 }, now: r.at });
      const samples: ThroughputInterval[] = Array.from({ length: r.intervals ?? 0 }, (_, s) => ({
        seq: s, stream: -1, start: s, end: s + 1, bitsPerSecond: r.bps * (0.95 + 0.1 * Math.sin(s)), bytes: r.bps / 8, retransmits: s % 3, cwnd: 2e6, rtt: 30_000 + s * 10, rttvar: 500, pmtu: 1500, omitted: false, jitterMs: null, lostPackets: null, packets: null,
      }));
      const summary = throughputSummary(r.bps, { family: r.family ?? '4' });
      store.runs.finish(id, { status: 'succeeded', error: null, summary, stdout: '{}', stderr: '', now: r.at + 10_000, family: r.family ?? '4', pathFingerprint: r.fingerprint ?? null }, () => store.throughput.insert(id, samples));
      if (r.tags?.length) store.runs.tag([id], r.tags, []);
      return id;
    });
  } finally {
    store.close();
  }
}
