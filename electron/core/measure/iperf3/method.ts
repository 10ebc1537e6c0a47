import type { MethodDefinition } from '../registry.ts';
import { runThroughput } from './index.ts';

/** Throughput holds the local link exclusively, and the remote iperf3 server (one client at a time). */
export const throughputMethod: MethodDefinition<'throughput'> = {
  kind: 'throughput',
  family: (request) => request.options.family,
  locks: (request) => [
    { name: 'link', mode: 'exclusive' },
    { name: `throughput-server:${request.target.host}`, mode: 'exclusive' },
  ],
  run: runThroughput,
  busyRetries: (request) => request.options.busyRetries,
  timeoutMs: (request) => (request.options.duration + request.options.omit) * 1000 + request.options.connectTimeout + 30_000,
  data: (store, runId) => ({ kind: 'throughput', series: store.throughput.series(runId), intervals: store.throughput.intervals(runId) }),
};
