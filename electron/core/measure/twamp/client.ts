import { randomBytes } from 'node:crypto';
import { ipVersionOf } from '../oneway/address.ts';
import { createClock, measureTimestampResolution, type Clock, type ClockOptions } from '../oneway/clock.ts';
import { ACCEPT_SESSION_LENGTH, COMMAND, decodeAcceptSession, decodeStartAck, encodeStartSessions, START_ACK_LENGTH, typePForDscp, type SessionRequest } from '../oneway/control/codec.ts';
import type { ControlTimeouts } from '../oneway/control/handshake.ts';
import { openControl, type OpenedControl } from '../oneway/control/open.ts';
import { errorEstimateSeconds } from '../oneway/error-estimate.ts';
import { ACCEPT, OnewayError, refusal } from '../oneway/errors.ts';
import { intervalToSeconds, ntpToUnixMs, secondsToInterval } from '../oneway/ntp.ts';
import { checkDscp, checkInteger, checkSchedule, checkSeconds, CLIENT_LIMITS } from '../oneway/options.ts';
import type { PacingMode, ScheduleErrorReport } from '../oneway/pacer.ts';
import { ProgressReporter, type OnewayProgress } from '../oneway/progress.ts';
import { exponentialSchedule, scheduleLastOffset, type ScheduleSlot } from '../oneway/schedule.ts';
import { DSCP_NOTE, TTL_NOTE, UNAUTHENTICATED_NOTE, type ClockReport, type Endpoint, type ServerInfo, type SlotDescription } from '../oneway/session-result.ts';
import { bindTestSocket, closeSocket, validatePortRange, type BoundSocket, type PortRange } from '../oneway/udp.ts';
import { assertValidHost } from '../../../shared/target.ts';
import { resolveHost } from '../resolve.ts';
import { encodeRequestTwSession, encodeTwampStopSessions, RECOMMENDED_SENDER_PADDING, TWAMP_PORT } from './codec.ts';
import { toTwampRecords, type TwampRecords } from './records.ts';
import { runTwampSender, type TwampDiscardReason } from './sender.ts';
import { summarizeRoundTrip, type RoundTripSummary } from './stats.ts';

/**
 * TWAMP clients: `runTwamp` negotiates with TWAMP-Control (twping's job, RFC 5357), and
 * `runTwampLight` sends straight to a TWAMP-Light/STAMP reflector (RFC 5357 Appendix I) with no
 * control connection. Both measure round trip, and the one-way parts when clocks allow.
 */

export interface TwampCommonOptions {
  host: string;
  port?: number;
  packets?: number;
  schedule?: readonly ScheduleSlot[];
  /** Sender padding; default 27 so the reflection is the same size (RFC 5357, twping). */
  paddingLength?: number;
  padding?: 'random' | 'zero';
  lossTimeoutSeconds?: number;
  startDelaySeconds?: number;
  testPortRange?: PortRange | null;
  family?: 'any' | '4' | '6';
  localAddress?: string;
  clock?: ClockOptions;
  bucketWidth?: number;
  owpingPercentiles?: readonly number[];
  /** How the sender waits for each send time (see oneway/pacer.ts); default 'gentle'. */
  pacing?: PacingMode;
  signal?: AbortSignal;
  onProgress?(progress: OnewayProgress): void;
}

export interface TwampRunOptions extends TwampCommonOptions {
  timeouts?: Partial<ControlTimeouts>;
  /** DSCP to ask for: refused, Node cannot mark our packets (kept for the contract). */
  dscp?: number | null;
  /** Send zero addresses in Request-TW-Session (twping -Z, for NAT). */
  zeroAddresses?: boolean;
  /** Wait after the last packet + timeout before Stop-Sessions (s), default 0.5. */
  endDelaySeconds?: number;
}

export interface TwampRunResult {
  protocol: 'twamp' | 'twamp-light';
  mode: 'unauthenticated';
  /** TWAMP only: the control server. */
  server: ServerInfo | null;
  controlRttSeconds: number | null;
  sender: Endpoint;
  reflector: Endpoint;
  sid: string | null;
  startTimeNtp: string;
  startUnixMs: number;
  packets: number;
  schedule: SlotDescription[];
  paddingLength: number;
  lossTimeoutSeconds: number;
  nextSeqno: number;
  skips: Array<[number, number]>;
  discarded: Record<TwampDiscardReason, number>;
  records: TwampRecords;
  summary: RoundTripSummary;
  senderTiming: ScheduleErrorReport;
  clock: ClockReport;
  notes: string[];
  startedAtUnixMs: number;
  finishedAtUnixMs: number;
}

const DEFAULT_PACKETS = 100;
const LIGHT_NOTE = 'TWAMP-Light: no control connection; the reflector must already be configured to answer on that port.';

interface Validated {
  packets: number;
  slots: readonly ScheduleSlot[];
  paddingLength: number;
  portRange: PortRange | null;
}

function validateCommon(options: TwampCommonOptions): Validated {
  return {
    packets: checkInteger('Packet count', options.packets ?? DEFAULT_PACKETS, 1, CLIENT_LIMITS.maxPackets),
    slots: checkSchedule(options.schedule ?? exponentialSchedule(0.1)),
    paddingLength: checkInteger('Padding', options.paddingLength ?? RECOMMENDED_SENDER_PADDING, 0, CLIENT_LIMITS.maxPadding),
    portRange: validatePortRange(options.testPortRange ?? null),
  };
}

export async function runTwamp(options: TwampRunOptions): Promise<TwampRunResult> {
  const v = validateCommon(options);
  const dscp = checkDscp(options.dscp);
  if (dscp !== null && dscp !== 0) throw new OnewayError('unsupported', `DSCP ${dscp} cannot be applied. ${DSCP_NOTE}`, { code: 'INVALID_INPUT' });
  const endDelay = checkSeconds('End delay', options.endDelaySeconds ?? 0.5, 0, CLIENT_LIMITS.maxEndDelaySeconds);
  const port = options.port ?? TWAMP_PORT;
  const progress = new ProgressReporter(options.onProgress);
  const startedAtUnixMs = Date.now();
  let control: OpenedControl | null = null;
  let bound: BoundSocket | null = null;
  try {
    progress.phase('connecting');
    control = await openControl({ host: options.host, port, family: options.family, localAddress: options.localAddress, timeouts: options.timeouts, signal: options.signal, serverKind: 'TWAMP server' });
    const { channel, timeouts } = control;
    progress.phase('negotiating');
    const clock = createClock(options.clock);
    const lossTimeout = checkSeconds('Loss timeout', options.lossTimeoutSeconds ?? control.rttSeconds + 2, 0.001, CLIENT_LIMITS.maxTimeoutSeconds);
    const startDelay = checkSeconds('Start delay', options.startDelaySeconds ?? 2 * control.rttSeconds + 1, 0, CLIENT_LIMITS.maxStartDelaySeconds);
    bound = await bindTestSocket(control.localAddress, v.portRange);
    const startTime = clock.now() + secondsToInterval(startDelay);
    const request: SessionRequest = {
      command: COMMAND.requestTwSession,
      ipVersion: ipVersionOf(control.localAddress),
      confSender: false,
      confReceiver: false,
      slotCount: 0,
      packetCount: 0,
      senderPort: bound.port,
      receiverPort: bound.port,
      senderAddress: options.zeroAddresses ? null : control.localAddress,
      receiverAddress: options.zeroAddresses ? null : control.serverAddress,
      sid: Buffer.alloc(16),
      paddingLength: v.paddingLength,
      startTime,
      timeout: secondsToInterval(lossTimeout),
      typeP: dscp === null ? 0 : typePForDscp(dscp),
    };
    await channel.write(encodeRequestTwSession(request), timeouts.write, 'request-session');
    const accept = decodeAcceptSession(await channel.read(ACCEPT_SESSION_LENGTH, timeouts.reply, 'accept-session', options.signal));
    if (accept.accept !== ACCEPT.ok) throw refusal('session-refused', `The ${channel.peerLabel} refused the TWAMP session`, accept.accept, 'accept-session');
    if (accept.port === 0) throw new OnewayError('protocol-violation', `The ${channel.peerLabel} accepted the session with reflector port 0.`, { step: 'accept-session' });
    await channel.write(encodeStartSessions(), timeouts.write, 'start-sessions');
    const ack = decodeStartAck(await channel.read(START_ACK_LENGTH, timeouts.reply, 'start-ack', options.signal));
    if (ack.accept !== ACCEPT.ok) throw refusal('start-refused', `The ${channel.peerLabel} refused Start-Sessions`, ack.accept, 'start-ack');

    // During the test the server may only close: watch for that (or for stray bytes).
    const closedEarly = channel.read(1, 2 ** 31 - 1, 'test', options.signal).then(
      () => new OnewayError('protocol-violation', `The ${channel.peerLabel} sent data during the test.`, { step: 'test' }),
      (error: unknown) => error,
    );
    const measurement = await measure({
      clock,
      bound,
      reflector: { address: control.serverAddress, port: accept.port },
      scheduleKey: Buffer.from(accept.sid),
      startTime,
      lossTimeout,
      validated: v,
      options,
      progress,
      abortOn: closedEarly,
    });
    progress.phase('stopping');
    await abortableSleep(endDelay * 1000, options.signal);
    await channel.write(encodeTwampStopSessions(ACCEPT.ok, 1), timeouts.write, 'stop-sessions');
    channel.close();
    progress.stop();
    progress.phase('done');
    return {
      protocol: 'twamp',
      mode: 'unauthenticated',
      server: {
        host: options.host,
        address: control.serverAddress,
        port,
        modes: control.greeting.modes,
        modesText: control.modesText,
        serverStartUnixMs: control.serverStartTime === 0n ? 0 : ntpToUnixMs(control.serverStartTime),
      },
      controlRttSeconds: control.rttSeconds,
      sender: { address: control.localAddress, port: bound.port },
      reflector: { address: control.serverAddress, port: accept.port },
      sid: accept.sid.toString('hex'),
      ...measurement,
      notes: [UNAUTHENTICATED_NOTE, TTL_NOTE, DSCP_NOTE],
      startedAtUnixMs,
      finishedAtUnixMs: Date.now(),
    };
  } catch (error) {
    if (options.signal?.aborted && !(error instanceof OnewayError && error.reason === 'cancelled')) {
      throw new OnewayError('cancelled', 'The TWAMP run was cancelled.', { cause: error });
    }
    throw error;
  } finally {
    progress.stop();
    if (bound) closeSocket(bound.socket);
    control?.channel.destroy();
  }
}

export interface TwampLightOptions extends TwampCommonOptions {}

/** Round trip against a TWAMP-Light reflector (default UDP 862): no control connection at all. */
export async function runTwampLight(options: TwampLightOptions): Promise<TwampRunResult> {
  const v = validateCommon(options);
  const port = options.port ?? TWAMP_PORT;
  const progress = new ProgressReporter(options.onProgress);
  const startedAtUnixMs = Date.now();
  assertValidHost(options.host);
  let bound: BoundSocket | null = null;
  try {
    progress.phase('connecting');
    const resolved = await resolveHost(options.host, options.family ?? 'any');
    const localAddress = options.localAddress ?? (resolved.family === 6 ? '::' : '0.0.0.0');
    bound = await bindTestSocket(localAddress, v.portRange);
    const clock = createClock(options.clock);
    const lossTimeout = checkSeconds('Loss timeout', options.lossTimeoutSeconds ?? 2, 0.001, CLIENT_LIMITS.maxTimeoutSeconds);
    const startDelay = checkSeconds('Start delay', options.startDelaySeconds ?? 0.1, 0, CLIENT_LIMITS.maxStartDelaySeconds);
    const startTime = clock.now() + secondsToInterval(startDelay);
    const measurement = await measure({
      clock,
      bound,
      reflector: { address: resolved.address, port },
      scheduleKey: randomBytes(16),
      startTime,
      lossTimeout,
      validated: v,
      options,
      progress,
      abortOn: null,
    });
    progress.stop();
    progress.phase('done');
    return {
      protocol: 'twamp-light',
      mode: 'unauthenticated',
      server: null,
      controlRttSeconds: null,
      sender: { address: bound.address, port: bound.port },
      reflector: { address: resolved.address, port },
      sid: null,
      ...measurement,
      notes: [LIGHT_NOTE, TTL_NOTE, DSCP_NOTE],
      startedAtUnixMs,
      finishedAtUnixMs: Date.now(),
    };
  } catch (error) {
    if (options.signal?.aborted && !(error instanceof OnewayError && error.reason === 'cancelled')) {
      throw new OnewayError('cancelled', 'The TWAMP-Light run was cancelled.', { cause: error });
    }
    throw error;
  } finally {
    progress.stop();
    if (bound) closeSocket(bound.socket);
  }
}

interface MeasureInput {
  clock: Clock;
  bound: BoundSocket;
  reflector: Endpoint;
  scheduleKey: Buffer;
  startTime: bigint;
  lossTimeout: number;
  validated: Validated;
  options: TwampCommonOptions;
  progress: ProgressReporter;
  /** Rejects the measurement if this settles first (e.g. the control connection dropped). */
  abortOn: Promise<unknown> | null;
}

type Measurement = Pick<
  TwampRunResult,
  'startTimeNtp' | 'startUnixMs' | 'packets' | 'schedule' | 'paddingLength' | 'lossTimeoutSeconds' | 'nextSeqno' | 'skips' | 'discarded' | 'records' | 'summary' | 'senderTiming' | 'clock'
>;

async function measure(input: MeasureInput): Promise<Measurement> {
  const { clock, validated: v, options, progress, startTime } = input;
  const resolution = measureTimestampResolution(clock, 5000);
  const stop = new AbortController();
  const forward = () => stop.abort();
  options.signal?.addEventListener('abort', forward, { once: true });
  let controlProblem: unknown = null;
  input.abortOn?.then((problem) => {
    controlProblem = problem;
    stop.abort();
  });
  try {
    const lastOffset = scheduleLastOffset(input.scheduleKey, v.slots, v.packets);
    progress.expect(Math.max(0, intervalToSeconds(startTime - clock.now())) + intervalToSeconds(lastOffset) + input.lossTimeout);
    progress.phase(startTime > clock.now() ? 'waiting-for-start' : 'testing');
    progress.start();
    const outcome = await runTwampSender({
      bound: input.bound,
      reflector: input.reflector,
      clock,
      scheduleKey: input.scheduleKey,
      slots: v.slots,
      packets: v.packets,
      startTime,
      timeout: secondsToInterval(input.lossTimeout),
      paddingLength: v.paddingLength,
      padding: options.padding ?? 'random',
      signal: stop.signal,
      progress,
      pacing: options.pacing,
    });
    if (options.signal?.aborted) throw new OnewayError('cancelled', 'Cancelled during the test.', { step: 'test' });
    if (controlProblem) throw controlProblem;
    return {
      startTimeNtp: startTime.toString(),
      startUnixMs: ntpToUnixMs(startTime),
      packets: v.packets,
      schedule: v.slots.map((slot) => ({ type: slot.type, seconds: intervalToSeconds(slot.interval) })),
      paddingLength: v.paddingLength,
      lossTimeoutSeconds: input.lossTimeout,
      nextSeqno: outcome.send.nextSeqno,
      skips: outcome.send.skips,
      discarded: outcome.discarded,
      records: toTwampRecords(outcome.log, startTime),
      summary: summarizeRoundTrip(outcome.log, { bucketWidth: options.bucketWidth, owpingPercentiles: options.owpingPercentiles }),
      senderTiming: outcome.timing,
      clock: {
        synchronized: clock.synchronized,
        errorSeconds: errorEstimateSeconds(clock.errorEstimate),
        resolutionNs: resolution.resolutionNs,
        anchorUncertaintyNs: resolution.anchorUncertaintyNs,
      },
    };
  } finally {
    options.signal?.removeEventListener('abort', forward);
  }
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
