import { defaultMetric, hasSeries, METRICS, seriesProblem, type CompareRequest, type CompareResult, type Metric, type Series } from '../../shared/compare.ts';
import { WorkbenchError } from '../../shared/errors.ts';
import type { RunKind, RunSummary } from '../../shared/runs.ts';
import type { Column } from '../store/compare.ts';
import type { Store } from '../store/index.ts';
import { downsample } from './downsample.ts';

type RunsRequest = Extract<CompareRequest, { view: 'runs' }>;

/** The stored series of one run: per-interval (throughput), per-packet (latency, twamp) or per-echo (ping). */
function runColumn(store: Store, run: RunSummary, metric: Metric): Column {
  switch (run.kind) {
    case 'latency':
    case 'twamp':
      return store.compare.packetSeries(run.id, run.kind, metric);
    case 'rtt': {
      const interval = Number(run.options.intervalSeconds);
      return store.compare.pingSeries(run.id, Number.isFinite(interval) && interval > 0 ? interval : 1);
    }
    default:
      return store.compare.runSeries(run.id, metric);
  }
}

/** Run vs run: each run's own series of the metric, overlaid, each cut to maxPoints by LTTB. */
export function compareRuns(store: Store, request: RunsRequest): CompareResult {
  const runs = request.runIds.map((runId) => {
    const run = store.runs.get(runId);
    if (!run) throw new WorkbenchError('NOT_FOUND', `There is no run ${runId}.`);
    return run;
  });
  const first = runs[0];
  const metric = request.metric ?? (first ? defaultMetric(first.kind) : undefined);
  if (metric === undefined) throw new WorkbenchError('INVALID_INPUT', `Run ${first?.id} is a ${first?.kind} run; it has no series to compare.`);
  for (const run of runs) {
    const problem = seriesProblem(metric, run.kind, run.id);
    if (problem !== null) throw new WorkbenchError('INVALID_INPUT', problem);
  }
  const series: Series[] = runs.map((run) => {
    const column = runColumn(store, run, metric);
    const sampled = downsample(column.x, column.y, column.runIds, request.maxPoints);
    return { id: `run-${run.id}`, label: `run ${run.id} · ${run.target.host}`, ...sampled };
  });
  const kinds = new Set<RunKind>(runs.map((r) => r.kind));
  const kind = kinds.size === 1 ? (runs[0]?.kind ?? null) : null;
  return { view: 'runs', metric, kind: kind !== null && hasSeries(metric, kind) ? kind : null, unit: METRICS[metric].unit, series, markers: [], ceilings: [], groups: [], difference: null };
}
