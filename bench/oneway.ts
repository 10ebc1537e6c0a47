import dgram from 'node:dgram';
import { cpus, loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import { createClock, measureTimestampResolution } from '../electron/core/measure/oneway/clock.ts';
import { secondsToInterval } from '../electron/core/measure/oneway/ntp.ts';
import { ScheduleErrorRecorder, type PacingMode, type ScheduleErrorReport } from '../electron/core/measure/oneway/pacer.ts';
import { exponentialSchedule, periodicSchedule, Schedule } from '../electron/core/measure/oneway/schedule.ts';
import { runSendLoop } from '../electron/core/measure/oneway/send-loop.ts';
import { runOwamp } from '../electron/core/measure/owamp/client.ts';
import { encodeTestPacket } from '../electron/core/measure/owamp/codec.ts';

/**
 * One-way measurement figures for `npm run bench`:
 *  - the sender's schedule error (how late packets leave) at 100 and 1000 packets/s, per pacing
 *    mode, with the CPU it costs;
 *  - timestamp resolution and how well the wall clock is anchored;
 *  - packets/s our responders sustain (TWAMP-Light reflector; OWAMP server receiving), each in
 *    its own thread so the load generator does not share its event loop.
 */

export interface OnewayBenchOptions {
  /** Packets per schedule-error run at 100 pps (default 1000 = 10 s). */
  packetsAt100?: number;
  /** Packets per schedule-error run at 1000 pps (default 5000 = 5 s). */
  packetsAt1000?: number;
  /** Seconds per reflector rate step (default 1). */
  reflectorStepSeconds?: number;
}

interface ScheduleFigure extends ScheduleErrorReport {
  pps: number;
  mode: PacingMode;
  schedule: 'poisson' | 'periodic';
  cpuPercent: number;
}

async function scheduleError(pps: number, packets: number, mode: PacingMode, kind: 'poisson' | 'periodic'): Promise<ScheduleFigure> {
  const sink = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => sink.bind(0, '127.0.0.1', resolve));
  sink.on('message', () => undefined);
  const sender = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => sender.connect(sink.address().port, '127.0.0.1', resolve));
  try {
    const clock = createClock();
    const recorder = new ScheduleErrorRecorder(packets);
    const slots = kind === 'poisson' ? exponentialSchedule(1 / pps) : periodicSchedule(1 / pps);
    const cpu = process.cpuUsage();
    const started = process.hrtime.bigint();
    await runSendLoop({
      clock,
      schedule: new Schedule(Buffer.alloc(16, 0x42), slots, packets),
      packetCount: packets,
      startTime: clock.now() + secondsToInterval(0.1),
      timeout: secondsToInterval(2),
      recorder,
      pacing: { mode },
      prepare: () => Buffer.alloc(14),
      transmit: (seq, timestamp, packet) => {
        packet.writeUInt32BE(seq, 0);
        packet.writeBigUInt64BE(timestamp, 4);
        sender.send(packet);
      },
    });
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    const used = process.cpuUsage(cpu);
    return { pps, mode, schedule: kind, ...recorder.report(), cpuPercent: Math.round(((used.user + used.system) / 1000 / wallMs) * 1000) / 10 };
  } finally {
    sender.close();
    sink.close();
  }
}

async function startWorker(kind: 'twamp-light' | 'owamp'): Promise<{ port: number; stop(): Promise<void> }> {
  const worker = new Worker(new URL('./oneway-responder-worker.ts', import.meta.url), { workerData: { kind } });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', (m: { port: number }) => resolve(m.port));
    worker.once('error', reject);
  });
  return {
    port,
    stop: async () => {
      worker.postMessage('close');
      await new Promise((resolve) => worker.once('message', resolve));
      await worker.terminate();
    },
  };
}

interface RateStep {
  offeredPps: number;
  sentPps: number;
  reflectedPps: number;
  replyRatio: number;
}

/** Offers the reflector increasing packet rates for a fixed time each and counts the replies. */
async function reflectorRate(stepSeconds: number): Promise<{ steps: RateStep[]; sustainedPps: number }> {
  const responder = await startWorker('twamp-light');
  const client = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => client.bind(0, '127.0.0.1', resolve));
  client.setRecvBufferSize(8 * 1024 * 1024);
  await new Promise<void>((resolve) => client.connect(responder.port, '127.0.0.1', resolve));
  let replies = 0;
  client.on('message', () => (replies += 1));
  const steps: RateStep[] = [];
  try {
    for (const offered of [5_000, 10_000, 20_000, 40_000, 80_000]) {
      replies = 0;
      let sent = 0;
      const packet = Buffer.concat([encodeTestPacket({ seq: 0, timestamp: 1n, errorEstimate: 1 }), Buffer.alloc(27)]);
      const started = process.hrtime.bigint();
      const end = started + BigInt(Math.round(stepSeconds * 1e9));
      // send in 1 ms slices so the offered rate is spread over the step
      for (let slice = started; slice < end; slice += 1_000_000n) {
        const due = Number(((slice - started) * BigInt(offered)) / 1_000_000_000n);
        while (sent < due) {
          packet.writeUInt32BE(sent, 0);
          client.send(packet);
          sent += 1;
        }
        const wait = Number(slice + 1_000_000n - process.hrtime.bigint()) / 1e6;
        await new Promise((resolve) => (wait > 0 ? setTimeout(resolve, wait) : setImmediate(resolve)));
      }
      const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
      await new Promise((resolve) => setTimeout(resolve, 300));
      steps.push({ offeredPps: offered, sentPps: Math.round(sent / elapsed), reflectedPps: Math.round(replies / elapsed), replyRatio: Math.round((replies / sent) * 1000) / 1000 });
      if (replies / sent < 0.5) break;
    }
  } finally {
    client.close();
    await responder.stop();
  }
  const sustained = steps.filter((s) => s.replyRatio >= 0.99).reduce((best, s) => Math.max(best, s.reflectedPps), 0);
  return { steps, sustainedPps: sustained };
}

/** Our OWAMP client sends to our OWAMP server (own thread) at a high rate; what does the server lose? */
async function owampReceiverRate(): Promise<Array<{ pps: number; packets: number; lost: number; lossPercent: number }>> {
  const responder = await startWorker('owamp');
  const out: Array<{ pps: number; packets: number; lost: number; lossPercent: number }> = [];
  try {
    for (const pps of [1_000, 5_000, 10_000]) {
      const packets = pps * 2;
      const result = await runOwamp({
        host: '127.0.0.1',
        port: responder.port,
        direction: 'to',
        packets,
        schedule: periodicSchedule(1 / pps),
        lossTimeoutSeconds: 1,
        startDelaySeconds: 0.1,
        endDelaySeconds: 0.1,
      });
      const summary = result.sessions[0]!.summary;
      out.push({ pps, packets, lost: summary.lost, lossPercent: Math.round(summary.lossPercent * 100) / 100 });
    }
  } finally {
    await responder.stop();
  }
  return out;
}

export async function benchOneway(options: OnewayBenchOptions = {}): Promise<Record<string, unknown>> {
  const loadBefore = loadavg()[0];
  const at100 = options.packetsAt100 ?? 1000;
  const at1000 = options.packetsAt1000 ?? 5000;
  const clock = createClock();
  const resolution = measureTimestampResolution(clock, 50_000);
  const schedule: ScheduleFigure[] = [];
  for (const mode of ['gentle', 'precise'] as const) {
    schedule.push(await scheduleError(100, at100, mode, 'poisson'));
    schedule.push(await scheduleError(1000, at1000, mode, 'poisson'));
  }
  const reflector = await reflectorRate(options.reflectorStepSeconds ?? 1);
  const owampServer = await owampReceiverRate();
  return {
    cpus: cpus().length,
    /** 1-minute load average before and after: schedule error is only meaningful on a quiet machine. */
    loadAverage: { before: loadBefore, after: loadavg()[0] },
    timestamp: resolution,
    scheduleError: schedule,
    responder: { twampLightReflector: reflector, owampServerReceiving: owampServer },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const figures = await benchOneway();
  process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
}
