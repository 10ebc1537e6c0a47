import type { Clock } from '../oneway/clock.ts';
import { isValidErrorEstimate } from '../oneway/error-estimate.ts';
import { intervalToNs, ntpDiffNs } from '../oneway/ntp.ts';
import { ScheduleErrorRecorder, type PacingMode } from '../oneway/pacer.ts';
import type { ProgressReporter } from '../oneway/progress.ts';
import { Schedule, type ScheduleSlot } from '../oneway/schedule.ts';
import { runSendLoop, type SendLoopOutcome } from '../oneway/send-loop.ts';
import { connectSocket, sameEndpoint, type BoundSocket } from '../oneway/udp.ts';
import { allocateTestPacket, writeTestPacketHeader } from '../owamp/codec.ts';
import { decodeReflectedPacket } from './codec.ts';
import { TwampRecordLog, type TwampRecord } from './records.ts';

/**
 * TWAMP Session-Sender (RFC 5357 §4.1), for TWAMP with control and for TWAMP-Light alike: sends
 * on a schedule, matches each reflection to the packet we sent (by sequence number *and* our own
 * send timestamp, so a forged or confused reflection cannot pass), and declares a packet lost
 * once its loss timeout has passed without a reflection.
 */

export type TwampDiscardReason =
  | 'wrong-source'
  | 'too-short'
  | 'seq-not-sent'
  | 'sender-timestamp-mismatch'
  | 'invalid-error-estimate'
  | 'late'
  | 'record-limit';

export interface TwampSenderOptions {
  bound: BoundSocket;
  reflector: { address: string; port: number };
  clock: Clock;
  /** Keys the exponential schedule (the SID in TWAMP; random bytes in TWAMP-Light). */
  scheduleKey: Buffer;
  slots: readonly ScheduleSlot[];
  packets: number;
  startTime: bigint;
  /** 32.32 loss timeout. */
  timeout: bigint;
  paddingLength: number;
  padding: 'random' | 'zero';
  signal?: AbortSignal;
  progress?: ProgressReporter;
  pacing?: PacingMode;
}

export interface TwampSenderOutcome {
  log: TwampRecordLog;
  send: SendLoopOutcome;
  timing: ReturnType<ScheduleErrorRecorder['report']>;
  discarded: Record<TwampDiscardReason, number>;
}

export async function runTwampSender(options: TwampSenderOptions): Promise<TwampSenderOutcome> {
  const { bound, reflector, clock, packets, startTime, progress } = options;
  const sentAt = new BigUint64Array(packets);
  const state = new Uint8Array(packets); // 0 not sent, 1 sent, 2 reflected, 3 declared lost
  let highestSent = -1;
  let outstanding = 0;
  /** Every seq below this is reflected or declared lost (send times grow with seq). */
  let lossCursor = 0;
  // Every packet always has room for one record (reflected or lost); duplicates share the rest.
  let duplicateBudget = packets * 3 + 1024;
  const log = new TwampRecordLog(packets + duplicateBudget);
  const discarded: Record<TwampDiscardReason, number> = {
    'wrong-source': 0,
    'too-short': 0,
    'seq-not-sent': 0,
    'sender-timestamp-mismatch': 0,
    'invalid-error-estimate': 0,
    late: 0,
    'record-limit': 0,
  };
  const timeoutNs = intervalToNs(options.timeout);
  const offsetSeconds = (t: bigint) => Number(ntpDiffNs(t, startTime)) / 1e9;

  const onMessage = (datagram: Buffer, rinfo: { address: string; port: number }) => {
    const t4 = clock.now();
    if (!sameEndpoint(rinfo, reflector.address, reflector.port)) return void (discarded['wrong-source'] += 1);
    const packet = decodeReflectedPacket(datagram);
    if (!packet) return void (discarded['too-short'] += 1);
    const seq = packet.senderSeq;
    if (seq > highestSent || state[seq] === 0) return void (discarded['seq-not-sent'] += 1);
    if (packet.senderTimestamp !== sentAt[seq]) return void (discarded['sender-timestamp-mismatch'] += 1);
    if (!isValidErrorEstimate(packet.errorEstimate)) return void (discarded['invalid-error-estimate'] += 1);
    if (state[seq] === 3 || ntpDiffNs(t4, packet.senderTimestamp) > timeoutNs) return void (discarded.late += 1);
    const record: TwampRecord = {
      senderSeq: seq,
      reflectorSeq: packet.seq,
      t1: packet.senderTimestamp,
      t2: packet.receiveTimestamp,
      t3: packet.timestamp,
      t4,
      senderError: packet.senderErrorEstimate,
      reflectorError: packet.errorEstimate,
      receiveError: clock.errorEstimate,
      senderTtl: packet.senderTtl ?? -1,
      reflectedTtl: -1,
    };
    const first = state[seq] === 1;
    if (!first && duplicateBudget <= 0) return void (discarded['record-limit'] += 1);
    if (!log.push(record)) return void (discarded['record-limit'] += 1);
    if (!first) duplicateBudget -= 1;
    state[seq] = 2;
    if (first) outstanding -= 1;
    if (first) progress?.packet('round-trip', seq, offsetSeconds(record.t1), Number(ntpDiffNs(t4 + record.t2, record.t1 + record.t3)) / 1e9);
  };

  const declareLost = (now: bigint, everything: boolean) => {
    for (; lossCursor <= highestSent; lossCursor += 1) {
      const seq = lossCursor;
      if (state[seq] !== 1) continue;
      if (!everything && ntpDiffNs(now, sentAt[seq] as bigint) <= timeoutNs) break;
      state[seq] = 3;
      outstanding -= 1;
      const record: TwampRecord = {
        senderSeq: seq,
        reflectorSeq: 0,
        t1: sentAt[seq] as bigint,
        t2: 0n,
        t3: 0n,
        t4: 0n,
        senderError: clock.errorEstimate,
        reflectorError: clock.errorEstimate,
        receiveError: clock.errorEstimate,
        senderTtl: 255,
        reflectedTtl: 255,
      };
      if (log.push(record)) progress?.packet('round-trip', seq, offsetSeconds(record.t1), null);
    }
  };

  await connectSocket(bound, reflector.port, reflector.address);
  bound.socket.on('message', onMessage);
  const lossTimer = setInterval(() => declareLost(clock.now(), false), 100);
  try {
    const template = allocateTestPacket(options.paddingLength, options.padding);
    const recorder = new ScheduleErrorRecorder(packets);
    const send = await runSendLoop({
      clock,
      schedule: new Schedule(options.scheduleKey, options.slots, packets),
      packetCount: packets,
      startTime,
      timeout: options.timeout,
      signal: options.signal,
      recorder,
      pacing: { mode: options.pacing },
      prepare: () => Buffer.from(template),
      transmit: (seq, timestamp, packet) => {
        writeTestPacketHeader(packet, seq, timestamp, clock.errorEstimate);
        sentAt[seq] = timestamp;
        state[seq] = 1;
        highestSent = seq;
        outstanding += 1;
        bound.socket.send(packet);
        progress?.sent('round-trip');
      },
    });
    // Wait for the last reflections: until everything sent is answered, or its timeout is over.
    const lastSend = highestSent >= 0 ? (sentAt[highestSent] as bigint) : startTime;
    const deadline = clock.ntpToMono(lastSend) + timeoutNs;
    while (!options.signal?.aborted && clock.monoNs() < deadline && outstanding > 0) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    declareLost(clock.now(), true);
    return { log, send, timing: recorder.report(), discarded };
  } finally {
    clearInterval(lossTimer);
    bound.socket.off('message', onMessage);
  }
}
