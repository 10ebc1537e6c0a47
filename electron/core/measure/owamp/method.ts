import type { OnewayRunSummary } from '../../../shared/latency.ts';
import { WorkbenchError, toErrorInfo } from '../../../shared/errors.ts';
import type { MethodDefinition } from '../registry.ts';
import { abortOutcome, type MethodOutcome } from '../method.ts';
import { exponentialSchedule, periodicSchedule } from '../oneway/schedule.ts';
import { owampSessionSummary, packetProgress } from '../oneway/view.ts';
import { runOwamp, type OwampRunResult } from './client.ts';
import { OWAMP_PORT } from './server.ts';
import { runTwamp, runTwampLight, type TwampRunResult } from '../twamp/client.ts';
import { TWAMP_PORT } from '../twamp/codec.ts';
import { clockSummary, twampSessionSummary } from '../oneway/view.ts';
import { runSystemOneway } from '../oneway/system-run.ts';
import { runTimeoutMs } from '../oneway/budget.ts';
import { clockErrorNote, resolveClock } from '../oneway/clock-error.ts';

const TOOL_VERSION = 'RFC 4656/5357, unauthenticated';

/** The record of a session without its per-packet arrays (those go to their own tables). */
function transcript(result: object): string {
  return JSON.stringify(result, (key, value: unknown) => (key === 'records' ? undefined : typeof value === 'bigint' ? value.toString() : value), 2);
}

function failure(error: unknown, signal: AbortSignal): Pick<MethodOutcome, 'status' | 'error'> {
  if (signal.aborted) return abortOutcome(signal);
  return { status: 'failed', error: error instanceof WorkbenchError ? error.toInfo() : toErrorInfo(error) };
}

/** OWAMP (latency): one-way delay and loss in one or both directions, with our own client or the system owping. */
export const latencyMethod: MethodDefinition<'latency'> = {
  kind: 'latency',
  family: (r) => r.options.family,
  // Light probes share the link with each other, never with a throughput test (job rules).
  locks: () => [{ name: 'link', mode: 'shared' }],
  busyRetries: () => 0,
  timeoutMs: (r) => runTimeoutMs(r.options),
  run: async (ctx) => {
    const o = ctx.options;
    if (o.tool === 'system') return runSystemOneway('latency', ctx);
    const clock = await resolveClock({ synchronized: o.clockSynchronized, errorMs: o.clockErrorMs });
    ctx.onStarted({ tool: 'psw-owamp', toolVersion: TOOL_VERSION, command: ['owamp', `${ctx.host}:${ctx.port ?? OWAMP_PORT}`, `--direction=${o.direction}`, `-c`, String(o.packets), `-i`, String(o.interval)] });
    let result: OwampRunResult;
    try {
      result = await runOwamp({
        host: ctx.host,
        port: ctx.port ?? OWAMP_PORT,
        direction: o.direction,
        packets: o.packets,
        schedule: o.schedule === 'periodic' ? periodicSchedule(o.interval) : exponentialSchedule(o.interval),
        paddingLength: o.padding,
        lossTimeoutSeconds: o.lossTimeout,
        dscp: o.dscp ?? null,
        family: o.family,
        clock,
        signal: ctx.signal,
        onProgress: (p) => ctx.onProgress({ elapsed: p.elapsed, fraction: p.fraction, interval: null, ...(p.type === 'packets' ? { packets: packetProgress(p) } : {}) }),
      });
    } catch (error) {
      return { ...failure(error, ctx.signal), stdout: '', stderr: error instanceof Error ? error.message : String(error), summary: null, writeSamples: () => {} };
    }
    const summary: OnewayRunSummary = { protocol: 'owamp', mode: 'unauthenticated', controlRttMs: result.controlRttSeconds * 1000, clock: clockSummary(result.clock), sessions: result.sessions.map(owampSessionSummary), notes: [...result.notes, clockErrorNote(clock, result.clock.errorSeconds)] };
    const address = result.server.address;
    return {
      status: 'succeeded',
      error: null,
      family: address.includes(':') ? '6' : '4',
      stdout: transcript(result),
      stderr: '',
      summary,
      writeSamples: (store, runId) => store.oneway.insertOwamp(runId, result.sessions),
    };
  },
  data: (store, runId) => ({ kind: 'latency', sessions: store.oneway.packets(runId) }),
};

/** TWAMP (round trip) and TWAMP-Light. */
export const twampMethod: MethodDefinition<'twamp'> = {
  kind: 'twamp',
  family: (r) => r.options.family,
  locks: () => [{ name: 'link', mode: 'shared' }],
  busyRetries: () => 0,
  timeoutMs: (r) => runTimeoutMs(r.options),
  run: async (ctx) => {
    const o = ctx.options;
    if (o.tool === 'system') return runSystemOneway('twamp', ctx);
    const clock = await resolveClock({ synchronized: o.clockSynchronized, errorMs: o.clockErrorMs });
    ctx.onStarted({ tool: o.light ? 'psw-twamp-light' : 'psw-twamp', toolVersion: TOOL_VERSION, command: [o.light ? 'twamp-light' : 'twamp', `${ctx.host}:${ctx.port ?? TWAMP_PORT}`, '-c', String(o.packets), '-i', String(o.interval)] });
    let result: TwampRunResult;
    try {
      const common = {
        host: ctx.host,
        port: ctx.port ?? TWAMP_PORT,
        packets: o.packets,
        schedule: o.schedule === 'periodic' ? periodicSchedule(o.interval) : exponentialSchedule(o.interval),
        paddingLength: o.padding,
        lossTimeoutSeconds: o.lossTimeout,
        family: o.family,
        clock,
        signal: ctx.signal,
        onProgress: (p: Parameters<NonNullable<Parameters<typeof runTwamp>[0]['onProgress']>>[0]) =>
          ctx.onProgress({ elapsed: p.elapsed, fraction: p.fraction, interval: null, ...(p.type === 'packets' ? { packets: packetProgress(p) } : {}) }),
      };
      result = o.light ? await runTwampLight(common) : await runTwamp(common);
    } catch (error) {
      return { ...failure(error, ctx.signal), stdout: '', stderr: error instanceof Error ? error.message : String(error), summary: null, writeSamples: () => {} };
    }
    const summary: OnewayRunSummary = { protocol: result.protocol, mode: 'unauthenticated', controlRttMs: result.controlRttSeconds === null ? null : result.controlRttSeconds * 1000, clock: clockSummary(result.clock), sessions: [twampSessionSummary(result)], notes: [...result.notes, clockErrorNote(clock, result.clock.errorSeconds)] };
    return {
      status: 'succeeded',
      error: null,
      family: result.reflector.address.includes(':') ? '6' : '4',
      stdout: transcript(result),
      stderr: '',
      summary,
      writeSamples: (store, runId) => store.oneway.insertTwamp(runId, result),
    };
  },
  data: (store, runId) => ({ kind: 'twamp', sessions: store.oneway.packets(runId) }),
};
