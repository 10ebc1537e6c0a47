import type { RunData, RunKind, StartRunRequest } from '../../shared/runs.ts';
import type { Lock } from '../jobs/runner.ts';
import type { Store } from '../store/index.ts';
import { throughputMethod } from './iperf3/method.ts';
import { latencyMethod, twampMethod } from './owamp/method.ts';
import { mtuMethod, rttMethod, traceMethod } from './trace/definitions.ts';
import type { MethodContext, MethodOutcome } from './method.ts';

export type RequestOf<K extends RunKind> = Extract<StartRunRequest, { kind: K }>;

/** Everything the workbench needs to know about one measurement method. */
export interface MethodDefinition<K extends RunKind> {
  kind: K;
  /** The address family asked for, recorded with the target. */
  family(request: RequestOf<K>): 'any' | '4' | '6';
  /** Which shared resources the run holds while it runs (see jobs/runner.ts). */
  locks(request: RequestOf<K>): Lock[];
  run(ctx: MethodContext<RequestOf<K>['options']>): Promise<MethodOutcome>;
  /** Further attempts when the far end is busy (0: none). */
  busyRetries(request: RequestOf<K>): number;
  /** Hard limit on the whole run, after which the job runner stops it as TIMEOUT. */
  timeoutMs(request: RequestOf<K>): number;
  /** The run's stored measurement data, for runs.get. */
  data(store: Store, runId: number): Extract<RunData, { kind: K }>;
}

export const METHODS: { [K in RunKind]: MethodDefinition<K> } = {
  throughput: throughputMethod,
  latency: latencyMethod,
  twamp: twampMethod,
  trace: traceMethod,
  rtt: rttMethod,
  mtu: mtuMethod,
};

export function methodFor<K extends RunKind>(kind: K): MethodDefinition<K> {
  return METHODS[kind];
}
