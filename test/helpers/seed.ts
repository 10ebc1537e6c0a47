import { Store } from '../../electron/core/store/index.ts';
import type { ThroughputInterval } from '../../electron/shared/throughput.ts';

export interface SeededRun {
  host: string;
  at: number;
  bps: number;
  family?: '4' | '6';
  fingerprint?: string;
  tags?: string[];
  intervals?: number;
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
      const summary = { protocol: 'tcp', reverse: false, streams: 1, seconds: 10, sentBitsPerSecond: r.bps, receivedBitsPerSecond: r.bps, retransmits: 3, meanRtt: 30_000 };
      store.runs.finish(id, { status: 'succeeded', error: null, summary, stdout: '{}', stderr: '', now: r.at + 10_000, family: r.family ?? '4', pathFingerprint: r.fingerprint ?? null }, () => store.throughput.insert(id, samples));
      if (r.tags?.length) store.runs.tag([id], r.tags, []);
      return id;
    });
  } finally {
    store.close();
  }
}
