import type { SelfCheckReport } from '../../shared/selfcheck.ts';

/** What the verdict engine reasons over. Built from stored runs, so a verdict can be re-derived. */
export interface ThroughputEvidence {
  runId: number;
  /** upload: this host sends; download: this host receives (iperf3 -R). */
  direction: 'upload' | 'download';
  family: '4' | '6' | null;
  bitsPerSecond: number;
  /** Per-interval rates (omitted intervals left out). */
  intervalBps: number[];
  retransmits: number | null;
  bytes: number;
  /** Sender-side TCP figures, µs and bytes as iperf3 reports them. */
  minRttUs: number | null;
  meanRttUs: number | null;
  maxRttUs: number | null;
  maxCwnd: number | null;
  /** Upload only: the largest window the far host (receiver) advertised, summed over streams
   *  (iperf3 sender max_snd_wnd), bytes. */
  advertisedWindow?: number | null;
  pmtu: number | null;
  streams: number;
  localCpuPercent: number | null;
  remoteCpuPercent: number | null;
  failed: { code: string; message: string } | null;
}

export interface LossEvidence {
  runId: number;
  /** to: packets from this host to the far end; from: the reverse; round-trip for TWAMP/ping. */
  direction: 'to' | 'from' | 'round-trip';
  sent: number;
  lost: number;
  /** 95 % upper bound on the loss rate for this sample (≈ 3/N when none were lost). */
  upperBound: number;
  lowerBound: number;
  minDelayMs: number | null;
  medianDelayMs: number | null;
  p95DelayMs: number | null;
}

export interface HopEvidence {
  ttl: number;
  address: string | null;
  lossPercent: number | null;
  /** Loss at this hop that persists to the destination (not ICMP rate limiting). */
  forwardingLoss: boolean;
  mtu: number | null;
}

export interface PathEvidence {
  runId: number;
  reached: boolean;
  hops: HopEvidence[];
  fingerprint: string | null;
  /** Set when the previous path to this target differed. */
  changedFrom: { runId: number; fingerprint: string | null; changedTtls: number[]; at: number } | null;
}

export interface MtuEvidence {
  runId: number | null;
  /** The largest packet that crossed the path (DF set), bytes. */
  pathMtu: number | null;
  /** MTU of the local interface the path leaves on. */
  localMtu: number | null;
  /** Full-size DF probes vanished without an ICMP "fragmentation needed": a black hole. */
  blackhole: boolean;
  /** TTL of the hop where the MTU drops, when known. */
  dropAtTtl: number | null;
}

export interface SegmentEvidence {
  index: number;
  from: string;
  to: string;
  loss: LossEvidence[];
  throughput: ThroughputEvidence[];
}

export interface DiagnosisEvidence {
  target: string;
  targetBitsPerSecond: number;
  host: SelfCheckReport | null;
  throughput: ThroughputEvidence[];
  loss: LossEvidence[];
  path: PathEvidence | null;
  mtu: MtuEvidence | null;
  segments: SegmentEvidence[];
}
