import { ColumnarLog } from './columns.ts';
import { ntpDiffNs, ntpDiffSeconds } from './ntp.ts';

/**
 * Per-packet records of one one-way session, in arrival order (duplicates appear again, lost
 * packets as records with receive time 0), kept as growable typed arrays with a hard cap so a
 * flood of duplicates cannot grow memory without bound.
 */

export const TTL_UNKNOWN = -1;
/** TTL on the wire and in fetched records when the receiver could not read it (RFC 4656, RFC 5357). */
export const TTL_UNREADABLE = 255;

export interface PacketRecord {
  seq: number;
  sendTime: bigint;
  recvTime: bigint;
  sendError: number;
  recvError: number;
  /** 0..255, or TTL_UNKNOWN when the receiver could not read it (Node's dgram never can). */
  ttl: number;
}

const RECORD_COLUMNS = { seq: 'u32', sendTime: 'u64', recvTime: 'u64', sendError: 'u16', recvError: 'u16', ttl: 'i16' } as const;

export class RecordLog extends ColumnarLog<typeof RECORD_COLUMNS> {
  constructor(maxRecords: number, initialCapacity = 64) {
    super(RECORD_COLUMNS, maxRecords, initialCapacity);
  }

  seqAt(i: number): number {
    return this.value('seq', i);
  }

  isLost(i: number): boolean {
    return this.value('recvTime', i) === 0n;
  }
}

/**
 * The storable, chartable form: one typed array per column, times relative to the session's
 * Start Time in nanoseconds (exact in a double for 104 days), delays in seconds.
 */
export interface OneWayRecords {
  length: number;
  seq: Uint32Array;
  /** Send timestamp − session Start Time (ns); the scheduled time for lost packets. */
  sendOffsetNs: Float64Array;
  /** Receive timestamp − session Start Time (ns); NaN when lost. */
  recvOffsetNs: Float64Array;
  /** One-way delay (s) = receive − send timestamp; NaN when lost. */
  delay: Float64Array;
  /** Error estimates as on the wire (decode with errorEstimateSeconds / isSynchronized). */
  sendError: Uint16Array;
  recvError: Uint16Array;
  /** TTL at the receiver, or −1 when it could not be read. */
  ttl: Int16Array;
}

export function toOneWayRecords(log: RecordLog, startTime: bigint): OneWayRecords {
  const n = log.length;
  const out: OneWayRecords = {
    length: n,
    seq: new Uint32Array(n),
    sendOffsetNs: new Float64Array(n),
    recvOffsetNs: new Float64Array(n),
    delay: new Float64Array(n),
    sendError: new Uint16Array(n),
    recvError: new Uint16Array(n),
    ttl: new Int16Array(n),
  };
  for (let i = 0; i < n; i += 1) {
    const r = log.get(i);
    out.seq[i] = r.seq;
    out.sendOffsetNs[i] = Number(ntpDiffNs(r.sendTime, startTime));
    const lost = r.recvTime === 0n;
    out.recvOffsetNs[i] = lost ? Number.NaN : Number(ntpDiffNs(r.recvTime, startTime));
    out.delay[i] = lost ? Number.NaN : ntpDiffSeconds(r.recvTime, r.sendTime);
    out.sendError[i] = r.sendError;
    out.recvError[i] = r.recvError;
    out.ttl[i] = r.ttl;
  }
  return out;
}
