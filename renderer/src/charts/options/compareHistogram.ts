import type { EChartsCoreOption } from 'echarts/core';
import { metricLabel, type CompareResult } from '../../../../electron/shared/compare.ts';
import { displayScale } from './compare.ts';
import { niceStep } from './latency.ts';

const PALETTE = ['#1f6feb', '#d4442e', '#1a7f37', '#9a6700', '#8250df', '#0a7ea4', '#bf3989', '#57606a'];

/** Several value sets counted in the same bins, so their distributions can be laid side by side. */
export interface SharedHistogram {
  /** Lower edge of the first bin and the bin width, in the display unit. */
  start: number;
  width: number;
  /** counts[set][bin]; the last bin of each is the folded tail when `overflow` is set. */
  counts: number[][];
  bins: number;
  /** A tail beyond the pooled 99th percentile was folded into one last bin. */
  overflow: boolean;
  labels: string[];
}

/**
 * Bins of one round width over all sets together (about `targetBins` of them). As with a run's
 * delay histogram, a tail past the 99th percentile that would more than double the range is
 * folded into one last bin, so one outlier does not squash the rest. Non-finite values are skipped.
 */
export function sharedHistogram(sets: ReadonlyArray<ArrayLike<number>>, factor = 1, targetBins = 30): SharedHistogram {
  const pooled: number[] = [];
  for (const set of sets) for (let i = 0; i < set.length; i += 1) if (Number.isFinite(set[i])) pooled.push((set[i] as number) * factor);
  if (pooled.length === 0) return { start: 0, width: 0, counts: sets.map(() => []), bins: 0, overflow: false, labels: [] };
  pooled.sort((a, b) => a - b);
  const min = pooled[0] as number;
  const max = pooled[pooled.length - 1] as number;
  const p99 = pooled[Math.floor(0.99 * (pooled.length - 1))] as number;
  const overflow = p99 > min && max - min > 2 * (p99 - min);
  const top = overflow ? p99 : max;
  const span = top - min;
  const width = niceStep(span > 0 ? span / targetBins : Math.max(Math.abs(min), 1e-3) / 10);
  const start = Math.floor(min / width) * width;
  const body = Math.max(1, Math.floor((top - start) / width) + 1);
  const bins = body + (overflow ? 1 : 0);
  const counts = sets.map((set) => {
    const c = new Array<number>(bins).fill(0);
    for (let i = 0; i < set.length; i += 1) {
      const v = (set[i] as number) * factor;
      if (!Number.isFinite(v)) continue;
      const b = v > top ? bins - 1 : Math.min(body - 1, Math.max(0, Math.floor((v - start) / width)));
      c[b] = (c[b] ?? 0) + 1;
    }
    return c;
  });
  const decimals = Math.max(0, Math.ceil(-Math.log10(width) - 1e-9));
  const edge = (i: number) => (start + i * width).toFixed(decimals);
  const labels = Array.from({ length: bins }, (_, i) => (overflow && i === bins - 1 ? `≥ ${edge(body)}` : edge(i)));
  return { start, width, counts, bins, overflow, labels };
}

/** The sets a result's histogram counts: each series' points, or each group's per-run values. */
export function histogramSets(result: CompareResult): Array<{ label: string; values: Float64Array }> {
  return result.view === 'groups' ? result.groups.map((g) => ({ label: g.label, values: g.values })) : result.series.map((s) => ({ label: s.label, values: s.y }));
}

/** Pure: the distributions of a comparison as bars in shared bins, one colour per run, host or group. */
export function histogramOption(result: CompareResult, h: SharedHistogram, labels: string[]): EChartsCoreOption {
  const { unit } = displayScale(result.metric);
  const what = result.view === 'runs' ? (result.kind === 'throughput' ? 'intervals' : 'packets') : 'runs';
  return {
    animation: false,
    color: PALETTE,
    grid: { left: 60, right: 30, top: 40, bottom: 56 },
    legend: { top: 4, data: labels },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'category', data: h.labels, name: `${metricLabel(result.metric, result.kind)}${unit ? `, ${unit}` : ''}`, nameLocation: 'middle', nameGap: 30, axisLabel: { hideOverlap: true } },
    yAxis: { type: 'value', name: what, minInterval: 1 },
    series: h.counts.map((counts, i) => ({ id: `hist-${i}`, name: labels[i] ?? String(i), type: 'bar', data: counts, barGap: '0%', barCategoryGap: '15%' })),
  };
}
