import { describe, expect, it } from 'vitest';
import { displayScale, groupsOption, seriesOption } from '../../renderer/src/charts/options/compare.ts';
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
    const timeline = seriesOption({ ...lossGroups, view: 'timeline', metric: 'rtt', kind: 'rtt', unit: 'ms', groups: [], series: [{ id: 'h', label: 'h', x: Float64Array.of(1, 2), y: Float64Array.of(3, 4), runIds: Float64Array.of(1, 2), total: 2 }] }) as { yAxis: { name: string } };
    expect(timeline.yAxis.name).toBe('Ping RTT (median), ms');
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
