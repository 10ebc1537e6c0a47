import { isValidErrorEstimate } from '../oneway/error-estimate.ts';
import { ntpAbsDiff } from '../oneway/ntp.ts';
import { RecordLog, TTL_UNKNOWN, type PacketRecord } from '../oneway/records.ts';
import { Schedule, type ScheduleSlot } from '../oneway/schedule.ts';
import { isSkipped } from '../oneway/stats.ts';
import { sameEndpoint } from '../oneway/udp.ts';
import { decodeTestPacket, TEST_PACKET_LENGTH, type SkipRange } from './codec.ts';

/**
 * OWAMP session-receiver (RFC 4656 §4.2), the same for our server and our client: timestamps
 * and validates each datagram, stores accepted ones in arrival order (duplicates again), and
 * records a packet as lost once its scheduled send time + Timeout has passed unseen.
 *
 * Hostile input never grows memory past the caps: at most `maxRecords` records, per-seq state is
 * one octet, and the schedule is computed only as far as the highest valid sequence number.
 */

export type DiscardReason =
  | 'wrong-source'
  | 'wrong-length'
  | 'seq-out-of-range'
  | 'already-declared-lost'
  | 'invalid-error-estimate'
  | 'send-time-vs-receive-time'
  | 'send-time-vs-schedule'
  | 'record-limit';

export interface ReceiverOptions {
  sid: Buffer;
  slots: readonly ScheduleSlot[];
  packetCount: number;
  startTime: bigint;
  /** 32.32 loss timeout. */
  timeout: bigint;
  paddingLength: number;
  /** Our clock's error estimate, stamped on receive times. */
  receiveErrorEstimate: number;
  /** Only datagrams from here are test packets; null accepts any source (TWAMP-Light style). */
  expectedPeer: { address: string; port: number } | null;
  /** Default 2 × packets + 1024; each packet always keeps room for one record (received or lost). */
  maxRecords?: number;
  onRecord?(record: PacketRecord): void;
}

/** Error estimate owampd writes for the presumed send time of a lost packet. */
const LOST_SEND_ERROR = 0x0001;

export class OwampReceiver {
  readonly log: RecordLog;
  readonly discarded: Record<DiscardReason, number> = {
    'wrong-source': 0,
    'wrong-length': 0,
    'seq-out-of-range': 0,
    'already-declared-lost': 0,
    'invalid-error-estimate': 0,
    'send-time-vs-receive-time': 0,
    'send-time-vs-schedule': 0,
    'record-limit': 0,
  };
  readonly #options: ReceiverOptions;
  readonly #schedule: Schedule;
  readonly #expected: BigUint64Array;
  #scheduled = 0;
  /** Copies received per seq, saturating at 255. */
  readonly #hits: Uint8Array;
  /** Every seq below this has been received or declared lost. */
  #begin = 0;
  #finished = false;
  /** Records beyond one per packet (duplicates) still allowed. */
  #duplicateBudget: number;

  constructor(options: ReceiverOptions) {
    this.#options = options;
    this.#schedule = new Schedule(options.sid, options.slots, options.packetCount);
    this.#expected = new BigUint64Array(options.packetCount);
    this.#hits = new Uint8Array(options.packetCount);
    const maxRecords = Math.max(options.maxRecords ?? options.packetCount * 2 + 1024, options.packetCount);
    this.#duplicateBudget = maxRecords - options.packetCount;
    this.log = new RecordLog(maxRecords);
  }

  get packetCount(): number {
    return this.#options.packetCount;
  }

  /** All packets are accounted for (received or declared lost). */
  get complete(): boolean {
    return this.#begin >= this.#options.packetCount;
  }

  get received(): number {
    let n = 0;
    for (let i = 0; i < this.log.length; i += 1) if (!this.log.isLost(i)) n += 1;
    return n;
  }

  /** Scheduled send time of packet `seq` (computed lazily, as far as needed). */
  expectedTime(seq: number): bigint {
    while (this.#scheduled <= seq) {
      this.#expected[this.#scheduled] = this.#options.startTime + this.#schedule.nextOffset();
      this.#scheduled += 1;
    }
    return this.#expected[seq] as bigint;
  }

  /** Scheduled time of the last packet: after it + Timeout, the session is over. */
  lastExpectedTime(): bigint {
    return this.expectedTime(this.#options.packetCount - 1);
  }

  /** Handles one datagram received at `recvTime` (NTP, taken as the datagram was delivered). */
  handle(datagram: Buffer, rinfo: { address: string; port: number }, recvTime: bigint): DiscardReason | null {
    if (this.#finished) return null;
    const peer = this.#options.expectedPeer;
    if (peer && !sameEndpoint(rinfo, peer.address, peer.port)) return this.#discard('wrong-source');
    this.flushLost(recvTime);
    if (datagram.length !== TEST_PACKET_LENGTH + this.#options.paddingLength) return this.#discard('wrong-length');
    const packet = decodeTestPacket(datagram);
    if (!packet) return this.#discard('wrong-length');
    if (packet.seq >= this.#options.packetCount) return this.#discard('seq-out-of-range');
    if (packet.seq < this.#begin && this.#hits[packet.seq] === 0) return this.#discard('already-declared-lost');
    if (!isValidErrorEstimate(packet.errorEstimate)) return this.#discard('invalid-error-estimate');
    if (ntpAbsDiff(packet.timestamp, recvTime) > this.#options.timeout) return this.#discard('send-time-vs-receive-time');
    if (ntpAbsDiff(packet.timestamp, this.expectedTime(packet.seq)) > this.#options.timeout) return this.#discard('send-time-vs-schedule');
    const record: PacketRecord = {
      seq: packet.seq,
      sendTime: packet.timestamp,
      recvTime,
      sendError: packet.errorEstimate,
      recvError: this.#options.receiveErrorEstimate,
      ttl: TTL_UNKNOWN,
    };
    const duplicate = this.#hits[packet.seq] !== 0;
    if (duplicate && this.#duplicateBudget <= 0) return this.#discard('record-limit');
    if (!this.log.push(record)) return this.#discard('record-limit');
    if (duplicate) this.#duplicateBudget -= 1;
    if ((this.#hits[packet.seq] as number) < 255) this.#hits[packet.seq] = (this.#hits[packet.seq] as number) + 1;
    this.#options.onRecord?.(record);
    return null;
  }

  /** Declares lost every unseen packet whose scheduled time + Timeout is before `now`. */
  flushLost(now: bigint): void {
    const count = this.#options.packetCount;
    while (this.#begin < count && this.expectedTime(this.#begin) + this.#options.timeout < now) {
      this.#declareLostIfUnseen(this.#begin);
      this.#begin += 1;
    }
  }

  /**
   * Ends the session with what the sender's Stop-Sessions said (RFC 4656 §3.8): records at or
   * beyond Next Seqno go, skipped packets are neither sent nor lost, everything else unseen is
   * lost, and records sent later than (Stop-Sessions time − Timeout) are discarded. "Sent" is the
   * scheduled send time: the packet's own timestamp is on the sender's clock, which may be offset.
   */
  finish(stop: { nextSeqno: number; skips: readonly SkipRange[] } | null, stopReceivedAt: bigint | null): void {
    if (this.#finished) return;
    const next = Math.min(stop?.nextSeqno ?? this.#options.packetCount, this.#options.packetCount);
    for (let seq = this.#begin; seq < next; seq += 1) {
      if (!isSkipped(seq, stop?.skips)) this.#declareLostIfUnseen(seq);
    }
    this.#begin = this.#options.packetCount;
    const cutoff = stopReceivedAt === null ? null : stopReceivedAt - this.#options.timeout;
    this.log.retain((r) => {
      if (r.seq >= next) return false;
      if (r.recvTime === 0n && isSkipped(r.seq, stop?.skips)) return false;
      if (cutoff !== null && this.expectedTime(r.seq) > cutoff) return false;
      return true;
    });
    this.#finished = true;
  }

  #declareLostIfUnseen(seq: number): void {
    if (this.#hits[seq] !== 0) return;
    const record: PacketRecord = {
      seq,
      sendTime: this.expectedTime(seq),
      recvTime: 0n,
      sendError: LOST_SEND_ERROR,
      recvError: this.#options.receiveErrorEstimate,
      ttl: 255,
    };
    if (this.log.push(record)) this.#options.onRecord?.(record);
  }

  #discard(reason: DiscardReason): DiscardReason {
    this.discarded[reason] += 1;
    return reason;
  }
}
