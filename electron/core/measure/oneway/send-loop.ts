import type { Clock } from './clock.ts';
import { intervalToNs } from './ntp.ts';
import { ScheduleErrorRecorder, waitUntil, type PacingOptions } from './pacer.ts';
import type { Schedule } from './schedule.ts';

/**
 * The session-sender loop shared by OWAMP and TWAMP (the TWAMP sender packet is the OWAMP-Test
 * packet): packet i leaves at Start Time + Δ_0 + … + Δ_i; a packet already later than the loss
 * timeout is not sent but recorded in a skip range (RFC 4656 §4.1, as owampd does).
 */

export interface SendLoopOptions {
  clock: Clock;
  schedule: Schedule;
  packetCount: number;
  startTime: bigint;
  /** 32.32 loss timeout: later than this, a packet is skipped. */
  timeout: bigint;
  /** Aborting stops the loop before the next packet (cancel, or the peer's Stop-Sessions). */
  signal?: AbortSignal;
  /**
   * Builds packet `seq` (everything but the timestamp). Called before waiting for its send time,
   * so no allocation (and no garbage collection it could trigger) sits between stamp and send.
   */
  prepare(seq: number): Buffer;
  /** Stamps `timestamp` (taken immediately before this call) into `packet` and sends it. */
  transmit(seq: number, timestamp: bigint, packet: Buffer): void;
  recorder?: ScheduleErrorRecorder;
  pacing?: PacingOptions;
}

export interface SendLoopOutcome {
  /** First sequence number not sent or skipped (= packetCount when the loop ran to the end). */
  nextSeqno: number;
  skips: Array<[number, number]>;
  /** Scheduled time of the last packet handled (NTP). */
  lastScheduled: bigint;
  stoppedEarly: boolean;
}

export async function runSendLoop(options: SendLoopOptions): Promise<SendLoopOutcome> {
  const { clock, schedule, packetCount, startTime, signal, recorder } = options;
  const timeoutNs = intervalToNs(options.timeout);
  const skips: Array<[number, number]> = [];
  let lastScheduled = startTime;
  for (let seq = 0; seq < packetCount; seq += 1) {
    const scheduled = startTime + schedule.nextOffset();
    lastScheduled = scheduled;
    const deadline = clock.ntpToMono(scheduled);
    if (clock.monoNs() - deadline > timeoutNs) {
      const last = skips[skips.length - 1];
      if (last && last[1] === seq - 1) last[1] = seq;
      else skips.push([seq, seq]);
      if (recorder) recorder.skipped += 1;
      continue;
    }
    const packet = options.prepare(seq);
    const onTime = await waitUntil(deadline, signal, options.pacing);
    if (!onTime) return { nextSeqno: seq, skips, lastScheduled, stoppedEarly: true };
    const now = clock.monoNs();
    options.transmit(seq, clock.monoToNtp(now), packet);
    recorder?.record(Number(now - deadline));
  }
  return { nextSeqno: packetCount, skips, lastScheduled, stoppedEarly: false };
}
