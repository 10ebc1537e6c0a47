import { formatMetricValue, METRICS, type CompareRequest, type CompareResult, type GroupStats, type Metric } from '../../shared/compare.ts';
import type { GroupQuery } from '../store/compare.ts';
import type { Store } from '../store/index.ts';
import type { RunKind } from '../../shared/runs.ts';
import { downsample, pick } from './downsample.ts';
import { routeMarkers } from './routes.ts';
import { compareRuns } from './runs-view.ts';
import { meanAndVariance, quantile, welchPValue } from './stats.ts';

const SIGNIFICANCE = 0.05;

function groupStats(label: string, values: Float64Array, runIds: Float64Array): GroupStats {
  const sorted = Float64Array.from(values).sort();
  const mv = meanAndVariance(values);
  return {
    label,
    n: values.length,
    mean: mv?.mean ?? null,
    median: quantile(sorted, 0.5),
    p5: quantile(sorted, 0.05),
    p25: quantile(sorted, 0.25),
    p75: quantile(sorted, 0.75),
    p95: quantile(sorted, 0.95),
    min: sorted.length ? (sorted[0] ?? null) : null,
    max: sorted.length ? (sorted[sorted.length - 1] ?? null) : null,
    values,
    runIds,
  };
}

const POSITION = 2 ** 21;

/** Positions ordered by run id: id and position packed in one exact double (id < 2^32) sort natively, without a comparator. */
function byRunId(runIds: Float64Array, positions: number[]): Uint32Array {
  if (runIds.length >= POSITION) return Uint32Array.from(positions).sort((a, b) => (runIds[a] ?? 0) - (runIds[b] ?? 0));
  const n = positions.length;
  const keys = new Float64Array(n);
  for (let j = 0; j < n; j += 1) {
    const i = positions[j] ?? 0;
    keys[j] = (runIds[i] ?? 0) * POSITION + i;
  }
  keys.sort();
  const out = new Uint32Array(n);
  for (let j = 0; j < n; j += 1) out[j] = (keys[j] ?? 0) % POSITION;
  return out;
}

/**
 * A group picked by host, family and time range, from the columnar timelines rather than each
 * run's JSON summary (the same finished runs and values), in run id order as groupValues gives them.
 */
function fromTimelines(store: Store, g: GroupQuery, kind: RunKind, metric: Metric): { y: Float64Array; runIds: Float64Array } {
  const range = { ...(g.from !== undefined ? { from: g.from } : {}), ...(g.to !== undefined ? { to: g.to } : {}) };
  const columns = store.timeline.read(g.host ?? null, kind, range, { ordered: false });
  const values = columns.values[metric];
  if (!values) return { y: new Float64Array(0), runIds: new Float64Array(0) };
  const family = g.family !== undefined ? Number(g.family) : null;
  const keep: number[] = [];
  for (let i = 0; i < columns.x.length; i += 1) {
    const x = columns.x[i] ?? 0;
    if (g.from !== undefined && x < g.from) continue;
    if (g.to !== undefined && x >= g.to) continue;
    if (family !== null && columns.family[i] !== family) continue;
    if (Number.isFinite(values[i])) keep.push(i);
  }
  const order = byRunId(columns.runIds, keep);
  return { y: pick(values, order), runIds: pick(columns.runIds, order) };
}

/** Chart-ready comparisons straight from the store; the same for the UI and `psw compare`. */
export function compare(store: Store, request: CompareRequest): CompareResult {
  if (request.view === 'runs') return compareRuns(store, request);
  const { kind, metric } = request;
  const unit = METRICS[metric].unit;
  if (request.view === 'timeline') {
    const markers: CompareResult['markers'] = [];
    const ceilings: CompareResult['ceilings'] = [];
    const range = { ...(request.from !== undefined ? { from: request.from } : {}), ...(request.to !== undefined ? { to: request.to } : {}) };
    // A host named twice is one series.
    const series = [...new Set(request.hosts)].map((host) => {
      const columns = store.timeline.read(host, kind, range);
      const values = columns.values[metric];
      const id = `host-${host}`;
      const keepIndex: number[] = [];
      for (let i = 0; i < columns.x.length; i += 1) {
        const x = columns.x[i] ?? 0;
        if (request.from !== undefined && x < request.from) continue;
        if (request.to !== undefined && x >= request.to) continue;
        if (request.family !== undefined && columns.family[i] !== Number(request.family)) continue;
        if (values && Number.isFinite(values[i])) keepIndex.push(i);
      }
      markers.push(...routeMarkers(store, host, id, { ...range, ...(request.family !== undefined ? { family: request.family } : {}) }));
      if (metric === 'throughput') {
        const c = store.compare.ceilings(host, range);
        for (let i = 0; i < c.x.length; i += 1) ceilings.push({ x: c.x[i] ?? 0, y: c.y[i] ?? 0, seriesId: id, diagnosisId: c.runIds[i] ?? 0 });
      }
      const all = Uint32Array.from(keepIndex);
      const x = values ? pick(columns.x, all) : new Float64Array(0);
      const y = values ? pick(values, all) : new Float64Array(0);
      const ids = values ? pick(columns.runIds, all) : new Float64Array(0);
      return { id, label: host, ...downsample(x, y, ids, request.maxPoints) };
    });
    return { view: 'timeline', metric, kind, unit, series, markers, ceilings, groups: [], difference: null };
  }
  const groups = request.groups.map((g) => {
    const column = g.runIds?.length || g.tag !== undefined ? store.compare.groupValues(g, kind, metric) : fromTimelines(store, g, kind, metric);
    return groupStats(g.label, column.y, column.runIds);
  });
  let difference: CompareResult['difference'] = null;
  const [first, second] = groups;
  if (groups.length === 2 && first && second && first.mean !== null && second.mean !== null) {
    const pValue = welchPValue(first.values, second.values);
    const absolute = second.mean - first.mean;
    const relative = first.mean !== 0 ? absolute / first.mean : null;
    const beyondNoise = pValue !== null && pValue < SIGNIFICANCE;
    const pct = relative === null ? '' : ` (${relative >= 0 ? '+' : ''}${(relative * 100).toFixed(1)} %)`;
    // A change of a percentage (loss) is in percentage points, not "%" next to a relative change in %.
    const size = unit === '%' ? `${Number(Math.abs(absolute).toPrecision(3))} percentage points` : formatMetricValue(metric, Math.abs(absolute));
    const by = `${absolute >= 0 ? '+' : '−'}${size}`;
    difference = {
      absolute,
      relative,
      pValue,
      beyondNoise,
      explanation:
        pValue === null
          ? `"${second.label}" differs from "${first.label}" by ${by}${pct}, but each group needs at least two runs to tell a change from noise.`
          : beyondNoise
            ? `"${second.label}" differs from "${first.label}" by ${by}${pct}: beyond run-to-run noise (Welch's t-test, p = ${pValue.toPrecision(2)}).`
            : `"${second.label}" and "${first.label}" differ by ${by}${pct}, within run-to-run noise (p = ${pValue.toPrecision(2)}).`,
    };
  }
  return { view: 'groups', metric, kind, unit, series: [], markers: [], ceilings: [], groups, difference };
}
