import { createClock, measureTimestampResolution, type Clock, type ClockOptions } from '../oneway/clock.ts';
import { ipVersionOf } from '../oneway/address.ts';
import { BLOCK, COMMAND, decodeAcceptSession, decodeStartAck, decodeStopSessionsHeader, encodeStartSessions, typePForDscp, ACCEPT_SESSION_LENGTH, START_ACK_LENGTH, type SessionRequest } from '../oneway/control/codec.ts';
import type { ControlTimeouts } from '../oneway/control/handshake.ts';
import { openControl, type OpenedControl } from '../oneway/control/open.ts';
import { errorEstimateSeconds } from '../oneway/error-estimate.ts';
import { ACCEPT, OnewayError, refusal } from '../oneway/errors.ts';
import { intervalToSeconds, ntpDiffNs, ntpToUnixMs, secondsToInterval, type NtpTime } from '../oneway/ntp.ts';
import { checkDscp, checkInteger, checkSchedule, checkSeconds, CLIENT_LIMITS } from '../oneway/options.ts';
import { ScheduleErrorRecorder, type PacingMode } from '../oneway/pacer.ts';
import { ProgressReporter, type OnewayProgress } from '../oneway/progress.ts';
import { toOneWayRecords, type RecordLog } from '../oneway/records.ts';
import { exponentialSchedule, meanInterval, Schedule, scheduleLastOffset, type ScheduleSlot } from '../oneway/schedule.ts';
import { runSendLoop, type SendLoopOutcome } from '../oneway/send-loop.ts';
import { DSCP_NOTE, TTL_NOTE, UNAUTHENTICATED_NOTE, type ClockReport, type OneWaySessionResult, type ServerInfo } from '../oneway/session-result.ts';
import { generateSid } from '../oneway/sid.ts';
import { summarizeOneWay } from '../oneway/stats.ts';
import { bindTestSocket, closeSocket, connectSocket, validatePortRange, type BoundSocket, type PortRange } from '../oneway/udp.ts';
import { allocateTestPacket, encodeFetchSession, encodeRequestSession, FETCH_ALL_END, writeTestPacketHeader, type StopRecord } from './codec.ts';
import { encodeStopSessions, readFetchReply, readStopSessionsBody } from './control.ts';
import { OwampReceiver } from './receiver.ts';
import { OWAMP_PORT } from './server.ts';

/**
 * The OWAMP client (owping's job, RFC 4656), unauthenticated mode: Request-Session "to" (we
 * send, the server receives and we fetch its records) and/or "from" (the server sends, we
 * receive), Start-Sessions, the Stop-Sessions exchange, Fetch-Session.
 */

export type OwampDirection = 'to' | 'from' | 'both';

export interface OwampRunOptions {
  /** Host name or IP literal (validated by shared/target's rules). */
  host: string;
  port?: number;
  direction?: OwampDirection;
  /** Packets per session (owping -c, default 100). */
  packets?: number;
  /** Send schedule (owping -i); default one exponential slot with mean 0.1 s, like owping. */
  schedule?: readonly ScheduleSlot[];
  /** Octets of padding per test packet (owping -s, default 0). */
  paddingLength?: number;
  padding?: 'random' | 'zero';
  /** Loss threshold (owping -L); default RTT + 2 s, as owping. */
  lossTimeoutSeconds?: number;
  /** Delay before the sessions start (owping -z); default (1 + sessions) × RTT + 1 s. */
  startDelaySeconds?: number;
  /** Wait after the last packet + timeout before Stop-Sessions (owping -E), default 1 s. */
  endDelaySeconds?: number;
  /** DSCP for the test packets: only the "from" direction can honour it (the server marks). */
  dscp?: number | null;
  /** Local UDP port range for test sockets; default ephemeral. */
  testPortRange?: PortRange | null;
  family?: 'any' | '4' | '6';
  localAddress?: string;
  clock?: ClockOptions;
  timeouts?: Partial<ControlTimeouts>;
  /** owping -b (histogram bucket width, s) and -a (extra percentiles). */
  bucketWidth?: number;
  owpingPercentiles?: readonly number[];
  /** How the sender waits for each send time (see oneway/pacer.ts); default 'gentle'. */
  pacing?: PacingMode;
  signal?: AbortSignal;
  onProgress?(progress: OnewayProgress): void;
}

export interface OwampRunResult {
  protocol: 'owamp';
  mode: 'unauthenticated';
  server: ServerInfo;
  localAddress: string;
  controlRttSeconds: number;
  /** "to" first, then "from" (owping's order). */
  sessions: OneWaySessionResult[];
  clock: ClockReport;
  notes: string[];
  startedAtUnixMs: number;
  finishedAtUnixMs: number;
}

interface ClientSession {
  direction: 'to' | 'from';
  request: SessionRequest;
  slots: readonly ScheduleSlot[];
  bound: BoundSocket;
  serverPort: number;
  sid: Buffer;
  receiver: OwampReceiver | null;
  sendOutcome: SendLoopOutcome | null;
  recorder: ScheduleErrorRecorder | null;
  /** For sessions the server sent: what its Stop-Sessions said. */
  peerStop: { nextSeqno: number; skips: Array<[number, number]> } | null;
}

const DEFAULT_PACKETS = 100;

export async function runOwamp(options: OwampRunOptions): Promise<OwampRunResult> {
  const direction = options.direction ?? 'both';
  if (direction !== 'to' && direction !== 'from' && direction !== 'both') throw new OnewayError('unsupported', `Unknown direction ${String(direction)}.`, { code: 'INVALID_INPUT' });
  const packets = checkInteger('Packet count', options.packets ?? DEFAULT_PACKETS, 1, CLIENT_LIMITS.maxPackets);
  const slots = checkSchedule(options.schedule ?? exponentialSchedule(0.1));
  const paddingLength = checkInteger('Padding', options.paddingLength ?? 0, 0, CLIENT_LIMITS.maxPadding);
  const dscp = checkDscp(options.dscp);
  const endDelay = checkSeconds('End delay', options.endDelaySeconds ?? 1, 0, CLIENT_LIMITS.maxEndDelaySeconds);
  const portRange = validatePortRange(options.testPortRange ?? null);
  if (dscp !== null && dscp !== 0 && direction !== 'from') {
    throw new OnewayError('unsupported', `DSCP ${dscp} is only possible for the "from" direction (the server marks its packets). ${DSCP_NOTE}`, { code: 'INVALID_INPUT' });
  }
  const port = options.port ?? OWAMP_PORT;
  const progress = new ProgressReporter(options.onProgress);
  const startedAtUnixMs = Date.now();
  const signal = options.signal;
  const sessions: ClientSession[] = [];
  let control: OpenedControl | null = null;

  try {
    progress.phase('connecting');
    control = await openControl({ host: options.host, port, family: options.family, localAddress: options.localAddress, timeouts: options.timeouts, signal, serverKind: 'OWAMP server' });
    const { channel, timeouts } = control;
    progress.phase('negotiating');
    const clock = createClock(options.clock);
    const resolution = measureTimestampResolution(clock, 5000);
    const wanted: Array<'to' | 'from'> = direction === 'both' ? ['to', 'from'] : [direction];
    const lossTimeout = checkSeconds('Loss timeout', options.lossTimeoutSeconds ?? control.rttSeconds + 2, 0.001, CLIENT_LIMITS.maxTimeoutSeconds);
    const startDelay = checkSeconds('Start delay', options.startDelaySeconds ?? (1 + wanted.length) * control.rttSeconds + 1, 0, CLIENT_LIMITS.maxStartDelaySeconds);
    const timeout = secondsToInterval(lossTimeout);
    const startTime = clock.now() + secondsToInterval(startDelay);
    const ipVersion = ipVersionOf(control.localAddress);

    for (const which of wanted) {
      const bound = await bindTestSocket(control.localAddress, portRange);
      const sid = which === 'from' ? generateSid(control.localAddress, clock.now()) : Buffer.alloc(16);
      const request: SessionRequest = {
        command: COMMAND.requestSession,
        ipVersion,
        confSender: which === 'from',
        confReceiver: which === 'to',
        slotCount: slots.length,
        packetCount: packets,
        senderPort: which === 'to' ? bound.port : 0,
        receiverPort: which === 'from' ? bound.port : 0,
        senderAddress: which === 'to' ? control.localAddress : control.serverAddress,
        receiverAddress: which === 'to' ? control.serverAddress : control.localAddress,
        sid,
        paddingLength,
        startTime,
        timeout,
        typeP: dscp === null ? 0 : typePForDscp(dscp),
      };
      const session: ClientSession = { direction: which, request, slots, bound, serverPort: 0, sid, receiver: null, sendOutcome: null, recorder: null, peerStop: null };
      sessions.push(session);
      await channel.write(encodeRequestSession(request, slots), timeouts.write, 'request-session');
      const accept = decodeAcceptSession(await channel.read(ACCEPT_SESSION_LENGTH, timeouts.reply, 'accept-session', signal));
      if (accept.accept !== ACCEPT.ok) throw refusal('session-refused', `The ${channel.peerLabel} refused the "${which}" session`, accept.accept, 'accept-session');
      if (accept.port === 0) throw new OnewayError('protocol-violation', `The ${channel.peerLabel} accepted the "${which}" session with port 0.`, { step: 'accept-session' });
      session.serverPort = accept.port;
      if (which === 'to') session.sid = Buffer.from(accept.sid);
      session.request = { ...request, sid: session.sid, receiverPort: which === 'to' ? accept.port : request.receiverPort, senderPort: which === 'from' ? accept.port : request.senderPort };
    }

    await channel.write(encodeStartSessions(), timeouts.write, 'start-sessions');
    const startAck = decodeStartAck(await channel.read(START_ACK_LENGTH, timeouts.reply, 'start-ack', signal));
    if (startAck.accept !== ACCEPT.ok) throw refusal('start-refused', `The ${channel.peerLabel} refused Start-Sessions`, startAck.accept, 'start-ack');

    const lastOffset = sessions.reduce((latest, s) => {
      const offset = scheduleLastOffset(s.sid, s.slots, packets);
      return offset > latest ? offset : latest;
    }, 0n);
    const expectedSeconds = Math.max(0, Number(ntpDiffNs(startTime, clock.now())) / 1e9) + intervalToSeconds(lastOffset) + lossTimeout + endDelay;
    progress.expect(expectedSeconds + (direction !== 'from' ? 0.5 : 0));
    progress.phase(startTime > clock.now() ? 'waiting-for-start' : 'testing');
    progress.start();

    await runTestPhase({ control, clock, sessions, timeout, lossTimeout, endDelay, packets, paddingLength, padding: options.padding ?? 'random', progress, signal, pacing: options.pacing, startTime, scheduleEnd: startTime + lastOffset });

    progress.phase('fetching');
    const results: OneWaySessionResult[] = [];
    for (const session of sessions) {
      if (session.direction === 'to') {
        const fetched = await fetchSession(control, session, packets, signal);
        results.push(describeSession(session, fetched.log, fetched.nextSeqno, fetched.skips, 'server', options, lossTimeout, dscp));
      } else {
        const receiver = session.receiver as OwampReceiver;
        results.push(describeSession(session, receiver.log, session.peerStop?.nextSeqno ?? packets, session.peerStop?.skips ?? [], 'client', options, lossTimeout, dscp));
      }
    }
    results.sort((a, b) => (a.direction === b.direction ? 0 : a.direction === 'to' ? -1 : 1));
    channel.close();
    progress.stop();
    progress.phase('done');
    return {
      protocol: 'owamp',
      mode: 'unauthenticated',
      server: {
        host: options.host,
        address: control.serverAddress,
        port,
        modes: control.greeting.modes,
        modesText: control.modesText,
        serverStartUnixMs: control.serverStartTime === 0n ? 0 : ntpToUnixMs(control.serverStartTime),
      },
      localAddress: control.localAddress,
      controlRttSeconds: control.rttSeconds,
      sessions: results,
      clock: {
        synchronized: clock.synchronized,
        errorSeconds: errorEstimateSeconds(clock.errorEstimate),
        resolutionNs: resolution.resolutionNs,
        anchorUncertaintyNs: resolution.anchorUncertaintyNs,
      },
      notes: [UNAUTHENTICATED_NOTE, ...(direction !== 'to' ? [TTL_NOTE] : []), ...(direction !== 'from' ? [DSCP_NOTE] : [])],
      startedAtUnixMs,
      finishedAtUnixMs: Date.now(),
    };
  } catch (error) {
    if (signal?.aborted && !(error instanceof OnewayError && error.reason === 'cancelled')) {
      throw new OnewayError('cancelled', 'The OWAMP run was cancelled.', { cause: error });
    }
    throw error;
  } finally {
    progress.stop();
    for (const session of sessions) closeSocket(session.bound.socket);
    control?.channel.destroy();
  }
}

interface TestPhase {
  control: OpenedControl;
  clock: Clock;
  sessions: ClientSession[];
  timeout: bigint;
  lossTimeout: number;
  endDelay: number;
  packets: number;
  paddingLength: number;
  padding: 'random' | 'zero';
  progress: ProgressReporter;
  signal: AbortSignal | undefined;
  pacing: PacingMode | undefined;
  startTime: NtpTime;
  /** Scheduled time of the last packet of any session. */
  scheduleEnd: NtpTime;
}

/** Runs the sessions until both Stop-Sessions messages have crossed. */
async function runTestPhase(phase: TestPhase): Promise<void> {
  const { control, clock, sessions, progress, signal } = phase;
  const { channel, timeouts } = control;
  const stopSending = new AbortController();
  const onAbort = () => stopSending.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  const toSession = sessions.find((s) => s.direction === 'to') ?? null;
  const fromSession = sessions.find((s) => s.direction === 'from') ?? null;

  if (fromSession) {
    const receiver = new OwampReceiver({
      sid: fromSession.sid,
      slots: fromSession.slots,
      packetCount: phase.packets,
      startTime: phase.startTime,
      timeout: phase.timeout,
      paddingLength: phase.paddingLength,
      receiveErrorEstimate: clock.errorEstimate,
      expectedPeer: { address: control.serverAddress, port: fromSession.serverPort },
      onRecord: (r) =>
        progress.packet('from', r.seq, Number(ntpDiffNs(r.sendTime, phase.startTime)) / 1e9, r.recvTime === 0n ? null : Number(ntpDiffNs(r.recvTime, r.sendTime)) / 1e9),
    });
    fromSession.receiver = receiver;
    fromSession.bound.socket.on('message', (datagram, rinfo) => receiver.handle(datagram, rinfo, clock.now()));
  }
  const flushTimer = setInterval(() => fromSession?.receiver?.flushLost(clock.now()), 50);

  const sendRun = (async () => {
    if (!toSession) return;
    await connectSocket(toSession.bound, toSession.serverPort, control.serverAddress);
    const template = allocateTestPacket(phase.paddingLength, phase.padding);
    const recorder = new ScheduleErrorRecorder(phase.packets);
    toSession.recorder = recorder;
    toSession.sendOutcome = await runSendLoop({
      clock,
      schedule: new Schedule(toSession.sid, toSession.slots, phase.packets),
      packetCount: phase.packets,
      startTime: phase.startTime,
      timeout: phase.timeout,
      signal: stopSending.signal,
      recorder,
      pacing: { mode: phase.pacing },
      prepare: () => Buffer.from(template),
      transmit: (seq, timestamp, packet) => {
        writeTestPacketHeader(packet, seq, timestamp, clock.errorEstimate);
        toSession.bound.socket.send(packet);
        progress.sent('to');
      },
    });
    const settleMs = Number(ntpDiffNs(toSession.sendOutcome.lastScheduled + phase.timeout, clock.now())) / 1e6 + phase.endDelay * 1000;
    await abortableDelay(settleMs, stopSending.signal);
  })();

  const receiveRun = (async () => {
    const receiver = fromSession?.receiver;
    while (receiver && !receiver.complete && !stopSending.signal.aborted) await abortableDelay(50, stopSending.signal);
  })();

  // The server's Stop-Sessions may come at any time from now on, and at the latest once its own
  // sessions are over (last packet + timeout; owampd rounds that up to the next second).
  const remainingMs = Math.max(0, Number(ntpDiffNs(phase.scheduleEnd, clock.now())) / 1e6);
  const waitMs = remainingMs + phase.lossTimeout * 1000 + phase.endDelay * 1000 + 1000 + timeouts.reply;
  const serverStop = channel.read(BLOCK, waitMs, 'stop-sessions', signal).then(
    (block) => ({ block, at: clock.now() }),
    (error: unknown) => ({ error }),
  );
  let ourStopSent = false;
  const sendOurStop = async () => {
    if (ourStopSent) return;
    ourStopSent = true;
    const records: StopRecord[] = toSession ? [{ sid: toSession.sid, nextSeqno: toSession.sendOutcome?.nextSeqno ?? 0, skips: toSession.sendOutcome?.skips ?? [] }] : [];
    await channel.write(encodeStopSessions(ACCEPT.ok, records), timeouts.write, 'stop-sessions');
  };

  try {
    const local = Promise.all([sendRun, receiveRun]);
    const first = await Promise.race([serverStop.then(() => 'server' as const), local.then(() => 'local' as const)]);
    if (signal?.aborted) throw new OnewayError('cancelled', 'The OWAMP run was cancelled.', { step: 'test' });
    progress.phase('stopping');
    if (first === 'local') await sendOurStop();
    const stop = await serverStop;
    if ('error' in stop) throw stop.error;
    stopSending.abort();
    await sendRun;
    const header = decodeStopSessionsHeader(stop.block);
    const expected = new Map(fromSession ? [[fromSession.sid.toString('hex'), phase.packets] as const] : []);
    const records = await readStopSessionsBody(channel, header, expected, timeouts.reply);
    await sendOurStop();
    if (header.accept !== ACCEPT.ok) {
      throw new OnewayError('stopped-with-error', `The ${channel.peerLabel} ended the sessions with Accept ${header.accept}: its results are invalid.`, {
        step: 'stop-sessions',
        acceptCode: header.accept,
      });
    }
    if (fromSession?.receiver) {
      const record = records.get(fromSession.sid.toString('hex')) ?? null;
      fromSession.receiver.finish(record, stop.at);
      fromSession.peerStop = { nextSeqno: record?.nextSeqno ?? phase.packets, skips: record ? record.skips.map(([a, b]) => [a, b] as [number, number]) : [] };
    }
  } finally {
    clearInterval(flushTimer);
    stopSending.abort();
    signal?.removeEventListener('abort', onAbort);
    await sendRun.catch(() => undefined);
  }
}

async function fetchSession(control: OpenedControl, session: ClientSession, packets: number, signal: AbortSignal | undefined) {
  const { channel, timeouts } = control;
  await channel.write(encodeFetchSession({ beginSeq: 0, endSeq: FETCH_ALL_END, sid: session.sid }), timeouts.write, 'fetch-session');
  const reply = await readFetchReply(channel, packets * 4 + 1024, CLIENT_LIMITS.maxSlots, timeouts.reply);
  if (signal?.aborted) throw new OnewayError('cancelled', 'The OWAMP run was cancelled.', { step: 'fetch-data' });
  if (!('log' in reply)) throw refusal('fetch-refused', `The ${channel.peerLabel} refused to return the "to" session's records`, reply.accept, 'fetch-ack');
  if (!reply.request.sid.equals(session.sid)) {
    throw new OnewayError('protocol-violation', `The ${channel.peerLabel} returned records for another session (${reply.request.sid.toString('hex')}).`, { step: 'fetch-data' });
  }
  for (const record of reply.log) {
    if (record.seq >= packets) throw new OnewayError('protocol-violation', `The ${channel.peerLabel} returned a record for packet ${record.seq} of ${packets}.`, { step: 'fetch-data' });
  }
  return { log: reply.log, nextSeqno: reply.ack.nextSeqno, skips: reply.skips.map(([a, b]) => [a, b] as [number, number]) };
}

function describeSession(
  session: ClientSession,
  log: RecordLog,
  nextSeqno: number,
  skips: Array<[number, number]>,
  source: 'server' | 'client',
  options: OwampRunOptions,
  lossTimeout: number,
  dscp: number | null,
): OneWaySessionResult {
  const request = session.request;
  const summary = summarizeOneWay(log, {
    skips,
    packetsPerSecond: 1 / meanInterval(session.slots),
    timeoutSeconds: lossTimeout,
    bucketWidth: options.bucketWidth,
    owpingPercentiles: options.owpingPercentiles,
  });
  return {
    direction: session.direction,
    sid: session.sid.toString('hex'),
    sender: { address: request.senderAddress ?? '', port: request.senderPort },
    receiver: { address: request.receiverAddress ?? '', port: request.receiverPort },
    startTimeNtp: request.startTime.toString(),
    startUnixMs: ntpToUnixMs(request.startTime),
    packets: request.packetCount,
    schedule: session.slots.map((slot) => ({ type: slot.type, seconds: intervalToSeconds(slot.interval) })),
    paddingLength: request.paddingLength,
    lossTimeoutSeconds: lossTimeout,
    dscp,
    nextSeqno,
    skips,
    recordSource: source,
    discarded: session.receiver ? { ...session.receiver.discarded } : null,
    records: toOneWayRecords(log, request.startTime),
    summary,
    senderTiming: session.recorder?.report() ?? null,
  };
}

function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted || ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
