import type { EChartsCoreOption } from 'echarts/core';
import { metricLabel, METRICS, type CompareResult, type Metric } from '../../../../electron/shared/compare.ts';

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

/** Pure: timeline (time axis) and run-vs-run (seconds axis) as overlaid lines, route changes as marks. */
export function seriesOption(result: CompareResult): EChartsCoreOption {
  const { factor, unit } = displayScale(result.metric);
  const total = result.series.reduce((a, s) => a + s.x.length, 0);
  const big = total > 5000;
  return {
    animation: !big,
    color: PALETTE,
    grid: { left: 70, right: 30, top: 40, bottom: 70 },
    tooltip: { trigger: big ? 'none' : 'axis' },
    legend: { top: 4, data: result.series.map((s) => s.label) },
    xAxis: result.view === 'timeline' ? { type: 'time' } : { type: 'value', name: 's', min: 0 },
    yAxis: { type: 'value', name: axisName(result, unit), nameTextStyle: { align: 'left' }, scale: result.metric !== 'throughput' },
    dataZoom: [{ type: 'inside', filterMode: 'filter' }, { type: 'slider', height: 18, bottom: 16, filterMode: 'filter' }],
    series: result.series.map((s, i) => ({
      id: s.id,
      name: s.label,
      type: 'line',
      data: interleave(s.x, s.y, factor),
      dimensions: ['x', 'y'],
      encode: { x: 0, y: 1 },
      showSymbol: !big && s.x.length < 200,
      symbolSize: 5,
      sampling: 'lttb',
      lineStyle: { width: 1.5 },
      markLine:
        i === 0 || result.markers.some((m) => m.seriesId === s.id)
          ? {
              symbol: 'none',
              silent: true,
              label: { formatter: 'route changed', fontSize: 10 },
              lineStyle: { type: 'dashed', color: '#9a6700' },
              data: result.markers.filter((m) => m.seriesId === s.id).map((m) => ({ xAxis: m.x })),
            }
          : undefined,
    })),
  };
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
