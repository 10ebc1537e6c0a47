import type { MethodDefinition } from '../registry.ts';
import type { MethodContext } from '../method.ts';
import { runMtuMethod, runRttMethod, runTraceMethod } from './method.ts';

/**
 * Path probes share the link with other measurements, but only one prober at a time per target:
 * two traceroutes or pings to the same routers double their ICMP load and show false loss.
 */
const pathLocks = (host: string) => [
  { name: 'link', mode: 'shared' as const },
  { name: `path-probe:${host}`, mode: 'exclusive' as const },
];

const elapsedSince = (started: number) => (Date.now() - started) / 1000;

export const traceMethod: MethodDefinition<'trace'> = {
  kind: 'trace',
  family: (request) => request.options.family,
  locks: (request) => pathLocks(request.target.host),
  busyRetries: () => 0,
  timeoutMs: (r) =>
    (r.options.tool === 'mtr' ? r.options.cycles * r.options.intervalSeconds * 1000 + r.options.maxHops * 1000 : r.options.maxHops * r.options.queries * r.options.waitSeconds * 1000) + 30_000,
  run: (ctx) => {
    const started = Date.now();
    return runTraceMethod({
      ...ctx,
      onHop: (hop) => ctx.onProgress({ elapsed: elapsedSince(started), fraction: null, interval: null, hop }),
      previousRoute: (family) => ctx.store.paths.latestRoute(ctx.targetId, family),
    });
  },
  data: (store, runId) => ({ kind: 'trace', ...store.paths.hops(runId) }),
};

export const rttMethod: MethodDefinition<'rtt'> = {
  kind: 'rtt',
  family: (request) => request.options.family,
  locks: (request) => pathLocks(request.target.host),
  busyRetries: () => 0,
  timeoutMs: (r) => (r.options.count * r.options.intervalSeconds + r.options.timeoutSeconds) * 1000 + 30_000,
  run: (ctx: MethodContext<Parameters<typeof runRttMethod>[0]['options']>) => {
    const started = Date.now();
    return runRttMethod({ ...ctx, onReply: (reply) => ctx.onProgress({ elapsed: elapsedSince(started), fraction: null, interval: null, reply }) });
  },
  data: (store, runId) => ({ kind: 'rtt', replies: store.paths.pingReplies(runId) }),
};

export const mtuMethod: MethodDefinition<'mtu'> = {
  kind: 'mtu',
  family: (request) => request.options.family,
  locks: (request) => pathLocks(request.target.host),
  busyRetries: () => 0,
  timeoutMs: (r) => r.options.maxHops * 3000 + 64 * r.options.timeoutSeconds * 1000 + 60_000,
  run: (ctx) => {
    const started = Date.now();
    return runMtuMethod({ ...ctx, onProbe: (mtuProbe) => ctx.onProgress({ elapsed: elapsedSince(started), fraction: null, interval: null, mtuProbe }) });
  },
  data: (store, runId) => ({ kind: 'mtu', ...store.paths.hops(runId), probes: store.paths.mtuProbes(runId) }),
};
