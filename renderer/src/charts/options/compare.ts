import type { EChartsCoreOption } from 'echarts/core';
import { metricLabel, METRICS, type CompareResult, type Metric } from '../../../../electron/shared/compare.ts';
import { niceStep } from './latency.ts';

const PALETTE = ['#1f6feb', '#d4442e', '#1a7f37', '#9a6700', '#8250df', '#0a7ea4', '#bf3989', '#57606a'];

/** y in the unit people read: Mbit/s for throughput, the metric's own unit otherwise (ms, %, none for counts). */
export function displayScale(metric: Metric): { factor: number; unit: string } {
  const unit = METRICS[metric].unit;
  return unit === 'bit/s' ? { factor: 1e-6, unit: 'Mbit/s' } : { factor: 1, unit: unit === 'count' ? '' : unit };
}

/** The y-axis title: what is drawn and in what unit ("Delay to the far end (median), ms"). */
const axisName = (result: CompareResult, unit: string) => `${metricLabel(result.metric, result.kind)}${unit ? `, ${unit}` : ''}`;

/** x and y interleaved in one Float64Array: ECharts draws a million points from it without boxing. */
export function interleave(x: Float64Array, y: Float64Array, yFactor = 1): Float64Array {
  const out = new Float64Array(x.length * 2);
  for (let i = 0; i < x.length; i += 1) {
    out[2 * i] = x[i] ?? 0;
    out[2 * i + 1] = (y[i] ?? 0) * yFactor;
  }
  return out;
}

/** How a runs or timeline view lays out its series: overlaid in one chart, or one chart each, stacked. */
export type CompareLayout = 'overlay' | 'side-by-side';

/** Above this many points a view drops symbols, tooltips and animation; clicks then go by nearest point. */
export const BIG_SERIES = 5000;

/** A ceiling point as drawn: a diagnosis's expected rate from its time on; the last one carries to the series end. */
interface CeilingPoint {
  value: [number, number];
  diagnosisId?: number;
}

function ceilingPoints(result: CompareResult, seriesId: string, factor: number): CeilingPoint[] {
  const points: CeilingPoint[] = result.ceilings.filter((c) => c.seriesId === seriesId).map((c) => ({ value: [c.x, c.y * factor], diagnosisId: c.diagnosisId }));
  const last = points.at(-1);
  const series = result.series.find((s) => s.id === seriesId);
  const end = series?.x[series.x.length - 1];
  if (last && end !== undefined && end > last.value[0]) points.push({ value: [end, last.value[1]] });
  return points;
}

/** The x and y ranges every grid of a side-by-side view shares, so positions and heights compare across charts. */
function sharedRange(result: CompareResult, factor: number, fromZero: boolean): { x: [number, number]; y: [number, number] } | null {
  let xMin = Infinity;
  let xMax = -Infinity;
  let min = Infinity;
  let max = -Infinity;
  for (const s of result.series) {
    for (const v of s.y) (min = Math.min(min, v)), (max = Math.max(max, v));
    if (s.x.length) (xMin = Math.min(xMin, s.x[0] ?? 0)), (xMax = Math.max(xMax, s.x[s.x.length - 1] ?? 0));
  }
  for (const c of result.ceilings) (min = Math.min(min, c.y)), (max = Math.max(max, c.y));
  if (!Number.isFinite(min) || !Number.isFinite(xMin)) return null;
  // Round ends on a step of about a fifth of the span, as ECharts would pick for one chart.
  const lo = fromZero ? Math.min(0, min * factor) : min * factor;
  const hi = max * factor;
  const step = niceStep((hi - lo) / 5 || Math.abs(hi) / 5 || 1);
  return { x: [result.view === 'runs' ? 0 : xMin, xMax], y: [Math.floor(lo / step) * step, Math.max(Math.ceil(hi / step) * step, Math.floor(lo / step) * step + step)] };
}

/**
 * Pure: timeline (time axis) and run-vs-run (seconds axis) as lines, overlaid or one grid per
 * series (shared y scale, one zoom for all); route changes as dashed marks on their host's
 * series, linked to the trace run that saw them; diagnosed expected ceilings as a step line.
 */
export function seriesOption(result: CompareResult, layout: CompareLayout = 'overlay'): EChartsCoreOption {
  const { factor, unit } = displayScale(result.metric);
  const total = result.series.reduce((a, s) => a + s.x.length, 0);
  const big = total > BIG_SERIES;
  const split = layout === 'side-by-side' && result.series.length > 1;
  const grids = split ? result.series.length : 1;
  const fromZero = result.metric === 'throughput';
  const range = split ? sharedRange(result, factor, fromZero) : null;
  // Percentages of the chart's height: legend on top, the zoom slider at the bottom.
  const top = 8;
  const bottom = 14;
  const each = (100 - top - bottom) / grids;
  const grid = Array.from({ length: grids }, (_, i) => ({ left: 70, right: 30, top: `${top + i * each}%`, height: `${each - (split ? 7 : 0)}%` }));
  const axisIndex = Array.from({ length: grids }, (_, i) => i);
  const xAxis = axisIndex.map((i) => ({
    gridIndex: i,
    ...(result.view === 'timeline' ? { type: 'time' } : { type: 'value', name: 's', min: 0 }),
    ...(range ? { min: range.x[0], max: range.x[1] } : {}),
    axisLabel: { show: !split || i === grids - 1 },
  }));
  const yAxis = axisIndex.map((i) => ({
    gridIndex: i,
    type: 'value',
    name: split ? `${result.series[i]?.label ?? ''}` : axisName(result, unit),
    nameTextStyle: { align: 'left' },
    scale: !fromZero,
    ...(range ? { min: range.y[0], max: range.y[1] } : {}),
  }));
  const lines = result.series.map((s, i) => {
    const marks = result.markers.filter((m) => m.seriesId === s.id);
    return {
      id: s.id,
      name: s.label,
      type: 'line',
      xAxisIndex: split ? i : 0,
      yAxisIndex: split ? i : 0,
      data: interleave(s.x, s.y, factor),
      dimensions: ['x', 'y'],
      encode: { x: 0, y: 1 },
      showSymbol: !big && s.x.length < 200,
      symbolSize: 5,
      sampling: 'lttb',
      lineStyle: { width: 1.5 },
      ...(marks.length
        ? {
            markLine: {
              symbol: 'none',
              label: { formatter: '{b}', fontSize: 10 },
              lineStyle: { type: 'dashed', color: '#9a6700' },
              data: marks.map((m) => ({ xAxis: m.x, name: m.label, runId: m.runId })),
            },
          }
        : {}),
    };
  });
  const ceilings = result.series.flatMap((s, i) => {
    const data = ceilingPoints(result, s.id, factor);
    if (data.length === 0) return [];
    return [
      {
        id: `ceiling-${s.id}`,
        name: `${s.label}: expected ceiling`,
        type: 'line',
        step: 'end',
        xAxisIndex: split ? i : 0,
        yAxisIndex: split ? i : 0,
        data,
        showSymbol: true,
        symbol: 'diamond',
        symbolSize: 7,
        lineStyle: { type: 'dotted', width: 2, color: PALETTE[i % PALETTE.length] },
        itemStyle: { color: PALETTE[i % PALETTE.length] },
      },
    ];
  });
  return {
    animation: !big,
    color: PALETTE,
    grid,
    tooltip: { trigger: big ? 'none' : 'axis' },
    legend: { top: 4, data: [...lines, ...ceilings].map((s) => s.name) },
    xAxis,
    yAxis,
    dataZoom: [
      { type: 'inside', filterMode: 'filter', xAxisIndex: axisIndex },
      { type: 'slider', height: 18, bottom: 16, filterMode: 'filter', xAxisIndex: axisIndex },
    ],
    series: [...lines, ...ceilings],
  };
}

/** What a drawn option holds, read back from the chart (ECharts' getOption), not from the data asked for. */
export interface DrawnCounts {
  /** Data series (lines, or the group dots and histogram bars), ceiling lines left out. */
  series: number;
  /** Points of those series (one per run or interval; bars count their values). */
  points: number;
  /** Route-change marks. */
  markers: number;
  /** Expected-ceiling points, one per diagnosis. */
  ceilings: number;
  /** Grids (charts side by side). */
  grids: number;
}

interface DrawnSeries {
  id?: string;
  type?: string;
  data?: ArrayLike<unknown>;
  dimensions?: unknown[];
  markLine?: { data?: unknown[] };
}

export function drawnCounts(option: { series?: DrawnSeries[]; grid?: unknown[] }): DrawnCounts {
  const counts: DrawnCounts = { series: 0, points: 0, markers: 0, ceilings: 0, grids: option.grid?.length ?? 0 };
  for (const s of option.series ?? []) {
    const data = s.data ?? [];
    counts.markers += s.markLine?.data?.length ?? 0;
    if (String(s.id ?? '').startsWith('ceiling-')) {
      counts.ceilings += Array.from(data).filter((d) => typeof d === 'object' && d !== null && 'diagnosisId' in d && (d as CeilingPoint).diagnosisId !== undefined).length;
      continue;
    }
    if (s.type === 'boxplot') continue;
    counts.series += 1;
    // A typed array holds x and y interleaved; bars hold a count per bin.
    if (data instanceof Float64Array) counts.points += data.length / 2;
    else if (s.type === 'bar') counts.points += Array.from(data as ArrayLike<number>).reduce((a, v) => a + Number(v), 0);
    else counts.points += data.length;
  }
  return counts;
}

/** Where a click lands in data: a series' point (pixel x, y) for a seriesId and data point. */
export type ToPixel = (seriesId: string, point: [number, number]) => [number, number] | null;

function nearestIndex(x: Float64Array, value: number): number {
  let lo = 0;
  let hi = x.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((x[mid] ?? 0) < value) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && Math.abs((x[lo - 1] ?? 0) - value) <= Math.abs((x[lo] ?? 0) - value)) return lo - 1;
  return lo;
}

/**
 * The run behind a click on a lines view, found without ECharts' own hit test (off for big series):
 * a route mark within `markPx` of its line wins, else the nearest drawn point within `pointPx`.
 * `dataX` is the clicked x in data units per series (from the pixel), for the binary search.
 */
export function runAtClick(
  result: CompareResult,
  click: [number, number],
  toPixel: ToPixel,
  toDataX: (seriesId: string, pixel: [number, number]) => number | null,
  { markPx = 6, pointPx = 24 } = {},
): number | null {
  const { factor } = displayScale(result.metric);
  for (const m of result.markers) {
    const px = toPixel(m.seriesId, [m.x, result.series.find((s) => s.id === m.seriesId)?.y[0] ?? 0]);
    if (px && Math.abs(px[0] - click[0]) <= markPx) return m.runId;
  }
  let best: { runId: number; distance: number } | null = null;
  for (const s of result.series) {
    if (s.x.length === 0) continue;
    const dataX = toDataX(s.id, click);
    if (dataX === null || !Number.isFinite(dataX)) continue;
    const i = nearestIndex(s.x, dataX);
    // Neighbours too: the nearest x is not always the nearest point on screen.
    for (const j of [i - 1, i, i + 1]) {
      if (j < 0 || j >= s.x.length) continue;
      const px = toPixel(s.id, [s.x[j] ?? 0, (s.y[j] ?? 0) * factor]);
      if (!px) continue;
      const distance = Math.hypot(px[0] - click[0], px[1] - click[1]);
      if (distance <= pointPx && (!best || distance < best.distance)) best = { runId: s.runIds[j] ?? 0, distance };
    }
  }
  return best && best.runId > 0 ? best.runId : null;
}

/** Pure: one box (p5, p25, median, p75, p95) per group, with every run as a dot beside it. */
export function groupsOption(result: CompareResult): EChartsCoreOption {
  const { factor, unit } = displayScale(result.metric);
  const scale = (v: number | null) => (v === null ? null : v * factor);
  return {
    animation: false,
    color: PALETTE,
    grid: { left: 70, right: 30, top: 30, bottom: 40 },
    tooltip: { trigger: 'item' },
    xAxis: { type: 'category', data: result.groups.map((g) => `${g.label} (n=${g.n})`) },
    yAxis: { type: 'value', name: axisName(result, unit), nameTextStyle: { align: 'left' }, scale: true },
    series: [
      { id: 'box', name: 'distribution', type: 'boxplot', data: result.groups.map((g) => [scale(g.p5), scale(g.p25), scale(g.median), scale(g.p75), scale(g.p95)]) },
      {
        id: 'runs',
        name: 'runs',
        type: 'scatter',
        symbolSize: 6,
        itemStyle: { opacity: 0.6 },
        data: result.groups.flatMap((g, gi) => Array.from(g.values, (v, i) => ({ value: [gi, v * factor], runId: g.runIds[i] }))),
      },
    ],
  };
}
