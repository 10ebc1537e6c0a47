import type { MtuOptions, MtuProbe, PathHop, PingReply, RttOptions, TraceOptions, TraceSummary } from '../../../shared/path.ts';
import { abortOutcome, type MethodContext, type MethodOutcome } from '../method.ts';
import { runPing } from '../ping/run.ts';
import { runMtu } from './mtu.ts';
import { routeFingerprint, type PathLike } from './identity.ts';
import type { PathRunOutcome } from './outcome.ts';
import { runTraceWith, type TraceResult } from './run.ts';
import type { PathToolSource } from './tools.ts';

/**
 * Adapters from the workbench's MethodContext to the path runners, for the registry entries of
 * the trace, rtt and mtu kinds. Hop and reply progress goes to the optional callbacks (the
 * contract's run.progress event has no field for them yet; see the report for the proposed one).
 */

export type PathMethodContext<O> = MethodContext<O> & {
  onHop?(hop: PathHop): void;
  onReply?(reply: PingReply): void;
  onProbe?(probe: MtuProbe): void;
  /**
   * The latest route to this target over the same address family (PathStore.latestRoute), so the
   * run records the same route fingerprint when only "*" hops differ. Without it the strict
   * fingerprint is recorded.
   */
  previousRoute?(family: '4' | '6' | null): { path: PathLike; fingerprint: string } | null;
};


function tools(ctx: MethodContext<unknown>): PathToolSource {
  return ctx.tools;
}

function common<O>(ctx: MethodContext<O>) {
  return {
    host: ctx.host,
    signal: ctx.signal,
    tools: tools(ctx as MethodContext<unknown>),
    onStarted: ctx.onStarted,
    onToolProcess: ctx.onToolProcess,
    onProgress: (p: { elapsed: number; fraction: number | null }) => ctx.onProgress({ ...p, interval: null }),
  };
}

function base<R>(ctx: MethodContext<unknown>, outcome: PathRunOutcome<R>, summary: object | null, writeSamples: MethodOutcome['writeSamples'], pathFingerprint: string | null = null): MethodOutcome {
  const notes = outcome.notes.length > 0 ? `${outcome.notes.join('\n')}\n` : '';
  // A job timeout aborts the signal with a TIMEOUT reason: that is a failure, not a cancellation.
  const aborted = outcome.status === 'cancelled' && ctx.signal.aborted ? abortOutcome(ctx.signal) : null;
  return {
    status: aborted?.status ?? outcome.status,
    error: aborted?.error ?? (outcome.error ? { code: outcome.error.code, message: outcome.error.message } : null),
    family: outcome.family === null ? null : outcome.family === 6 ? '6' : '4',
    pathFingerprint,
    stdout: outcome.stdout,
    stderr: notes ? `${outcome.stderr}${outcome.stderr && !outcome.stderr.endsWith('\n') ? '\n' : ''}# pS Workbench: ${notes}` : outcome.stderr,
    summary,
    writeSamples,
  };
}

function safePrevious(ctx: PathMethodContext<unknown>, family: '4' | '6' | null): { path: PathLike; fingerprint: string } | null {
  try {
    return ctx.previousRoute?.(family) ?? null;
  } catch {
    return null;
  }
}

export function traceSummary(outcome: PathRunOutcome<TraceResult>): TraceSummary | null {
  const r = outcome.result;
  if (!r) return null;
  return {
    tool: r.tool,
    method: r.method,
    paris: r.paris,
    family: outcome.family === null ? null : outcome.family === 6 ? '6' : '4',
    targetAddress: outcome.targetAddress,
    hopCount: r.trace.hops.length,
    reached: r.trace.reached,
    destinationTtl: r.assessment.destinationTtl,
    destinationLossPercent: r.assessment.destinationLossPercent,
    lossStartsAtTtl: r.assessment.lossStartsAtTtl,
    rateLimitedTtls: r.assessment.rateLimitedTtls,
    fingerprint: r.fingerprint,
    routeFingerprint: null,
    pathKey: r.pathKey,
    pathMtu: r.trace.pathMtu ?? r.assessment.mtu.final,
    mtuDrops: r.assessment.mtu.drops,
    problems: [...r.trace.problems, ...r.assessment.caveats].slice(0, 50),
  };
}

export async function runTraceMethod(ctx: PathMethodContext<TraceOptions>): Promise<MethodOutcome> {
  const o = ctx.options;
  const startedAt = Date.now();
  const outcome = await runTraceWith(o.tool, {
    ...common(ctx),
    family: o.family,
    method: o.method,
    maxHops: o.maxHops,
    queries: o.queries,
    paris: o.paris,
    port: o.port,
    waitSeconds: o.waitSeconds,
    cycles: o.cycles,
    intervalSeconds: o.intervalSeconds,
    resolveNames: o.resolveNames,
    onHop: ctx.onHop,
  });
  const result = outcome.result;
  const family = outcome.family === null ? null : outcome.family === 6 ? '6' : '4';
  const route = result ? routeFingerprint(result.trace, safePrevious(ctx, family)) : null;
  const summary = traceSummary(outcome);
  return base(ctx as MethodContext<unknown>, outcome, summary ? { ...summary, routeFingerprint: route } : null, (store, runId) => {
    if (result) store.paths.insertTrace(runId, startedAt, result);
  }, route);
}

export async function runRttMethod(ctx: PathMethodContext<RttOptions>): Promise<MethodOutcome> {
  const o = ctx.options;
  const outcome = await runPing({
    ...common(ctx),
    family: o.family,
    count: o.count,
    intervalSeconds: o.intervalSeconds,
    size: o.size,
    timeoutSeconds: o.timeoutSeconds,
    dontFragment: o.dontFragment,
    onReply: ctx.onReply,
  });
  const replies = outcome.result?.parse.replies ?? [];
  return base(ctx as MethodContext<unknown>, outcome, outcome.result?.summary ?? null, (store, runId) => store.paths.insertPingReplies(runId, replies));
}

export async function runMtuMethod(ctx: PathMethodContext<MtuOptions>): Promise<MethodOutcome> {
  const o = ctx.options;
  const startedAt = Date.now();
  const outcome = await runMtu({
    ...common(ctx),
    family: o.family,
    tracepath: o.tracepath,
    pingSearch: o.pingSearch,
    minMtu: o.minMtu,
    maxMtu: o.maxMtu,
    maxHops: o.maxHops,
    timeoutSeconds: o.timeoutSeconds,
    onProbe: ctx.onProbe,
  });
  const result = outcome.result;
  return base(ctx as MethodContext<unknown>, outcome, result?.summary ?? null, (store, runId) => {
    if (!result) return;
    if (result.trace) store.paths.insertTrace(runId, startedAt, result.trace);
    store.paths.insertMtuProbes(runId, result.probes);
  });
}
