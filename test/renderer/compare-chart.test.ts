import { describe, expect, it } from 'vitest';
import { displayScale, drawnCounts, groupsOption, runAtClick, seriesOption } from '../../renderer/src/charts/options/compare.ts';
import { histogramOption, histogramSets, sharedHistogram } from '../../renderer/src/charts/options/compareHistogram.ts';
import { initialCompareForm, metricChoices, patchForm, toCompareInput } from '../../renderer/src/store/compare.ts';
import type { CompareResult } from '../../electron/shared/compare.ts';

const group = (label: string, values: number[]) => ({
  label,
  n: values.length,
  mean: null,
  median: null,
  p5: null,
  p25: null,
  p75: null,
  p95: null,
  min: null,
  max: null,
  values: Float64Array.from(values),
  runIds: Float64Array.from(values, (_, i) => i + 1),
});

const lossGroups: CompareResult = {
  view: 'groups',
  metric: 'lossTo',
  kind: 'latency',
  unit: '%',
  series: [],
  markers: [],
  ceilings: [],
  groups: [group('before', [0, 0, 1, 0]), group('after', [4, 5, 6, 5, 80])],
  difference: null,
};

describe('compare chart options for delay, jitter and loss', () => {
  it('keep ms and % as they are, name the metric on the axis', () => {
    expect(displayScale('delayTo')).toEqual({ factor: 1, unit: 'ms' });
    expect(displayScale('loss')).toEqual({ factor: 1, unit: '%' });
    expect(displayScale('throughput')).toEqual({ factor: 1e-6, unit: 'Mbit/s' });
    const option = groupsOption(lossGroups) as { yAxis: { name: string } };
    expect(option.yAxis.name).toBe('Loss to the far end, %');
    const timeline = seriesOption({ ...lossGroups, view: 'timeline', metric: 'rtt', kind: 'rtt', unit: 'ms', groups: [], series: [{ id: 'h', label: 'h', x: Float64Array.of(1, 2), y: Float64Array.of(3, 4), runIds: Float64Array.of(1, 2), total: 2 }] }) as { yAxis: Array<{ name: string }> };
    expect(timeline.yAxis[0]?.name).toBe('Ping RTT (median), ms');
  });

  it('count every group in the same bins, folding a far tail into the last one', () => {
    const h = sharedHistogram(histogramSets(lossGroups).map((s) => s.values));
    expect(h.counts).toHaveLength(2);
    expect(h.counts.map((c) => c.reduce((a, b) => a + b, 0))).toEqual([4, 5]);
    expect(h.overflow).toBe(true);
    expect(h.counts[1]![h.bins - 1]).toBe(1);
    expect(h.labels[h.bins - 1]).toMatch(/^≥ /);
    expect(h.counts[0]![0]).toBe(3);
    const option = histogramOption(lossGroups, h, ['before', 'after']) as { series: Array<{ data: number[] }>; xAxis: { data: string[] } };
    expect(option.series).toHaveLength(2);
    expect(option.xAxis.data).toEqual(h.labels);
  });

  it('bins per-packet delays of a runs view and skips gaps', () => {
    const h = sharedHistogram([Float64Array.of(10.1, 10.2, Number.NaN, 10.3), Float64Array.of(12, 12.05)]);
    expect(h.counts.map((c) => c.reduce((a, b) => a + b, 0))).toEqual([3, 2]);
    expect(h.overflow).toBe(false);
    expect(sharedHistogram([new Float64Array(0)]).bins).toBe(0);
  });
});

describe('compare form', () => {
  it('offers the metrics of the chosen kind, series metrics only for run vs run', () => {
    expect(metricChoices({ mode: 'timeline', kind: 'latency' })).toEqual(['delayTo', 'delayFrom', 'jitterTo', 'jitterFrom', 'lossTo', 'lossFrom']);
    expect(metricChoices({ mode: 'runs', kind: 'latency' })).toEqual(['delayTo', 'delayFrom']);
    expect(metricChoices({ mode: 'runs', kind: 'twamp' })).toEqual(['rtt']);
    const latency = patchForm(initialCompareForm, { kind: 'latency' });
    expect(latency.metric).toBe('delayTo');
    const loss = patchForm(latency, { metric: 'lossFrom' });
    expect(patchForm(loss, { mode: 'runs' }).metric).toBe('delayTo');
    expect(patchForm(patchForm(initialCompareForm, { kind: 'throughput', metric: 'rtt' }), { kind: 'twamp' }).metric).toBe('rtt');
  });

  it('sends the kind with timelines and groups', () => {
    const form = { ...patchForm(initialCompareForm, { kind: 'twamp', metric: 'loss' }), hosts: 'ps.example.net', tags: 'a b' };
    expect(toCompareInput({ ...form, mode: 'timeline' })).toMatchObject({ view: 'timeline', kind: 'twamp', metric: 'loss' });
    expect(toCompareInput({ ...form, mode: 'tags' })).toMatchObject({ view: 'groups', kind: 'twamp', metric: 'loss' });
    expect(toCompareInput({ ...form, mode: 'runs', metric: 'rtt', runIds: '4 5' })).toMatchObject({ view: 'runs', metric: 'rtt', runIds: [4, 5] });
  });
});

const series = (id: string, xs: number[], ys: number[], firstRun: number) => ({ id, label: id.replace('host-', ''), x: Float64Array.from(xs), y: Float64Array.from(ys), runIds: Float64Array.from(xs, (_, i) => firstRun + i), total: xs.length });
const HOUR = 3_600_000;
const timeline: CompareResult = {
  view: 'timeline',
  metric: 'throughput',
  kind: 'throughput',
  unit: 'bit/s',
  series: [series('host-a', [0, HOUR, 2 * HOUR, 3 * HOUR], [9e8, 9e8, 4e8, 4e8], 1), series('host-b', [0, 2 * HOUR], [2e8, 2.5e8], 10)],
  markers: [{ x: 1.5 * HOUR, seriesId: 'host-a', runId: 77, label: 'route changed (IPv4)' }],
  ceilings: [
    { x: 0.5 * HOUR, y: 9.4e8, seriesId: 'host-a', diagnosisId: 3 },
    { x: 2.5 * HOUR, y: 4.5e8, seriesId: 'host-a', diagnosisId: 4 },
  ],
  groups: [],
  difference: null,
};

interface LineOption {
  grid: unknown[];
  xAxis: Array<{ gridIndex: number }>;
  yAxis: Array<{ min?: number; max?: number; gridIndex: number }>;
  dataZoom: Array<{ xAxisIndex: number[] }>;
  series: Array<{ id: string; type: string; step?: string; xAxisIndex: number; yAxisIndex: number; data: unknown; markLine?: { data: Array<{ xAxis: number; name: string; runId: number }> } }>;
}

describe('compare lines: ceilings, route marks, side by side', () => {
  it('draws the expected ceiling as a step line in Mbit/s, carried to the end of its host\'s series', () => {
    const option = seriesOption(timeline) as unknown as LineOption;
    const ceiling = option.series.find((s) => s.id === 'ceiling-host-a');
    expect(ceiling).toMatchObject({ type: 'line', step: 'end' });
    expect(ceiling?.data).toEqual([
      { value: [0.5 * HOUR, 940], diagnosisId: 3 },
      { value: [2.5 * HOUR, 450], diagnosisId: 4 },
      { value: [3 * HOUR, 450] },
    ]);
    expect(option.series.find((s) => s.id === 'ceiling-host-b')).toBeUndefined();
    expect(option.series.find((s) => s.id === 'host-a')?.markLine?.data).toEqual([{ xAxis: 1.5 * HOUR, name: 'route changed (IPv4)', runId: 77 }]);
    expect(option.series.find((s) => s.id === 'host-b')?.markLine).toBeUndefined();
    expect(drawnCounts(option as never)).toEqual({ series: 2, points: 6, markers: 1, ceilings: 2, grids: 1 });
  });

  it('side by side: one grid per series on one y scale, one zoom for all', () => {
    const option = seriesOption(timeline, 'side-by-side') as unknown as LineOption;
    expect(option.grid).toHaveLength(2);
    expect(option.xAxis.map((a) => a.gridIndex)).toEqual([0, 1]);
    // From 0 to a round step above the highest point or ceiling (940 Mbit/s), the same on both.
    expect(option.yAxis.map((a) => [a.min, a.max])).toEqual([[0, 1000], [0, 1000]]);
    expect((option.xAxis as Array<{ min?: number; max?: number }>).map((a) => [a.min, a.max])).toEqual([[0, 3 * HOUR], [0, 3 * HOUR]]);
    expect(option.dataZoom.map((z) => z.xAxisIndex)).toEqual([[0, 1], [0, 1]]);
    const byId = Object.fromEntries(option.series.map((s) => [s.id, [s.xAxisIndex, s.yAxisIndex]]));
    expect(byId).toEqual({ 'host-a': [0, 0], 'host-b': [1, 1], 'ceiling-host-a': [0, 0] });
    expect(drawnCounts(option as never)).toMatchObject({ series: 2, points: 6, grids: 2 });
    // One series has nothing to lay side by side.
    expect((seriesOption({ ...timeline, series: timeline.series.slice(0, 1) }, 'side-by-side') as unknown as LineOption).grid).toHaveLength(1);
  });

  it('finds the run behind a click without ECharts\' hit test: a route mark first, else the nearest point', () => {
    // 1 px per minute across, 1 px per Mbit/s down from 1000.
    const toPixel = (_id: string, [x, y]: [number, number]): [number, number] => [x / 60_000, 1000 - y];
    const toDataX = (_id: string, [px]: [number, number]) => px * 60_000;
    expect(runAtClick(timeline, [90 + 3, 500], toPixel, toDataX)).toBe(77);
    expect(runAtClick(timeline, [121, 595], toPixel, toDataX)).toBe(3);
    expect(runAtClick(timeline, [2, 795], toPixel, toDataX)).toBe(10);
    expect(runAtClick(timeline, [45, 400], toPixel, toDataX)).toBeNull();
  });
});
