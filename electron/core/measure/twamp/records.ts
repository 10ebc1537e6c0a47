import { ColumnarLog, type Row } from '../oneway/columns.ts';
import { ntpDiffNs, ntpDiffSeconds } from '../oneway/ntp.ts';

/**
 * Round-trip records, one per reflected packet in arrival order (duplicates again) plus one per
 * lost packet (t2, t3, t4 = 0) — the same content as twping's raw output.
 *   t1 sender send (as copied back by the reflector; the scheduled time for a lost packet)
 *   t2 reflector receive, t3 reflector send, t4 sender receive
 */
const TWAMP_COLUMNS = {
  senderSeq: 'u32',
  reflectorSeq: 'u32',
  t1: 'u64',
  t2: 'u64',
  t3: 'u64',
  t4: 'u64',
  senderError: 'u16',
  reflectorError: 'u16',
  receiveError: 'u16',
  /** TTL of our packet at the reflector (255 = not readable there). */
  senderTtl: 'i16',
  /** TTL of the reflection at our end: −1, Node cannot read it. */
  reflectedTtl: 'i16',
} as const;

export type TwampRecord = Row<typeof TWAMP_COLUMNS>;

export class TwampRecordLog extends ColumnarLog<typeof TWAMP_COLUMNS> {
  constructor(maxRecords: number) {
    super(TWAMP_COLUMNS, maxRecords);
  }
}

export function isLostTwampRecord(record: TwampRecord): boolean {
  return record.t4 === 0n;
}

/** Storable, chartable columns; offsets in ns from the session Start Time, durations in seconds. */
export interface TwampRecords {
  length: number;
  senderSeq: Uint32Array;
  reflectorSeq: Uint32Array;
  sendOffsetNs: Float64Array;
  /** NaN when lost. */
  reflectorReceiveOffsetNs: Float64Array;
  reflectorSendOffsetNs: Float64Array;
  receiveOffsetNs: Float64Array;
  /** (t4 − t1) − (t3 − t2) */
  rtt: Float64Array;
  /** t2 − t1 (needs synchronised clocks to mean much) */
  forward: Float64Array;
  /** t4 − t3 */
  backward: Float64Array;
  /** t3 − t2 */
  processing: Float64Array;
  senderError: Uint16Array;
  reflectorError: Uint16Array;
  receiveError: Uint16Array;
  senderTtl: Int16Array;
  reflectedTtl: Int16Array;
}

export function toTwampRecords(log: TwampRecordLog, startTime: bigint): TwampRecords {
  const n = log.length;
  const f64 = () => new Float64Array(n);
  const out: TwampRecords = {
    length: n,
    senderSeq: new Uint32Array(n),
    reflectorSeq: new Uint32Array(n),
    sendOffsetNs: f64(),
    reflectorReceiveOffsetNs: f64(),
    reflectorSendOffsetNs: f64(),
    receiveOffsetNs: f64(),
    rtt: f64(),
    forward: f64(),
    backward: f64(),
    processing: f64(),
    senderError: new Uint16Array(n),
    reflectorError: new Uint16Array(n),
    receiveError: new Uint16Array(n),
    senderTtl: new Int16Array(n),
    reflectedTtl: new Int16Array(n),
  };
  for (let i = 0; i < n; i += 1) {
    const r = log.get(i);
    const lost = isLostTwampRecord(r);
    const offset = (t: bigint) => (lost ? Number.NaN : Number(ntpDiffNs(t, startTime)));
    out.senderSeq[i] = r.senderSeq;
    out.reflectorSeq[i] = r.reflectorSeq;
    out.sendOffsetNs[i] = Number(ntpDiffNs(r.t1, startTime));
    out.reflectorReceiveOffsetNs[i] = offset(r.t2);
    out.reflectorSendOffsetNs[i] = offset(r.t3);
    out.receiveOffsetNs[i] = offset(r.t4);
    const d = roundTripDelays(r);
    out.rtt[i] = d?.rtt ?? Number.NaN;
    out.forward[i] = d?.forward ?? Number.NaN;
    out.backward[i] = d?.backward ?? Number.NaN;
    out.processing[i] = d?.processing ?? Number.NaN;
    out.senderError[i] = r.senderError;
    out.reflectorError[i] = r.reflectorError;
    out.receiveError[i] = r.receiveError;
    out.senderTtl[i] = r.senderTtl;
    out.reflectedTtl[i] = r.reflectedTtl;
  }
  return out;
}

export interface RoundTripDelays {
  rtt: number;
  forward: number;
  backward: number;
  processing: number;
}

/** twping's formulas, computed exactly from the 64-bit timestamps; null for a lost record. */
export function roundTripDelays(r: TwampRecord): RoundTripDelays | null {
  if (isLostTwampRecord(r)) return null;
  const processing = ntpDiffSeconds(r.t3, r.t2);
  return { rtt: ntpDiffSeconds(r.t4 + r.t2, r.t1 + r.t3), forward: ntpDiffSeconds(r.t2, r.t1), backward: ntpDiffSeconds(r.t4, r.t3), processing };
}
