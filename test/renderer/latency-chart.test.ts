import { describe, expect, it } from 'vitest';
import { appendDelays, delayChartOption, delayHistogram, delayPoints, delayTooltip, emptyDelayPoints, histogramOption, LOST_COLOR, niceStep } from '../../renderer/src/charts/options/latency.ts';

type Series = { id: string; type: string; yAxisIndex?: number; data: Float64Array | Array<number | { value: number }>; large?: boolean; itemStyle?: { color: string }; markLine?: { data: Array<{ yAxis: number }> } };
type Option = {
  series: Series[];
  legend: { data: string[] };
  yAxis: Array<{ min?: number; max?: number; scale?: boolean; show?: boolean; name?: string }>;
  xAxis: { max?: unknown; data?: string[] };
  dataZoom: unknown[];
  animation: boolean;
};

const pairs = (a: Float64Array) => Array.from({ length: a.length / 2 }, (_, i) => [a[2 * i], a[2 * i + 1]]);

describe('delay points (NaN = lost)', () => {
  it('splits a stored session into received pairs and lost marks at their send time', () => {
    const p = delayPoints(new Float64Array([0, 0.1, 0.2, 0.3, 0.4]), new Float64Array([1.5, Number.NaN, 2.5, Number.POSITIVE_INFINITY, 0.75]));
    expect(p.received).toBe(3);
    expect(p.lost).toBe(2);
    expect(pairs(p.xy.subarray(0, 6))).toEqual([[0, 1.5], [0.2, 2.5], [0.4, 0.75]]);
    expect(pairs(p.lostXY.subarray(0, 4))).toEqual([[0.1, 0], [0.3, 0]]);
  });

  it('appends live batches (null = lost) in place, leaving earlier states intact', () => {
    const a = appendDelays(emptyDelayPoints(), [0, 0.01], [0.2, null]);
    const b = appendDelays(a, [0.02, 0.03, Number.NaN], [0.3, 0.4, 9]);
    expect(a.received).toBe(1);
    expect(pairs(a.xy.subarray(0, 2))).toEqual([[0, 0.2]]);
    expect(b.received).toBe(3);
    expect(b.lost).toBe(1);
    // a packet without a send time is left out, not drawn at x = NaN
    expect(pairs(b.xy.subarray(0, 6))).toEqual([[0, 0.2], [0.02, 0.3], [0.03, 0.4]]);
    expect(appendDelays(b, [], [])).toBe(b);
  });

  it('grows by doubling: 10 000 packets one by one cost few reallocations and keep every value', () => {
    let p = emptyDelayPoints();
    const buffers = new Set<Float64Array>();
    for (let i = 0; i < 10_000; i += 1) {
      p = appendDelays(p, [i / 100], [i % 10 === 9 ? null : i]);
      buffers.add(p.xy);
    }
    expect(p.received).toBe(9000);
    expect(p.lost).toBe(1000);
    expect(buffers.size).toBeLessThan(10);
    expect(p.xy[2 * 8999 + 1]).toBe(9998);
  });
});

describe('delay over time', () => {
  const points = delayPoints(new Float64Array([0, 0.5, 1, 1.5]), new Float64Array([10, Number.NaN, 12, 11]));

  it('draws received packets and marks the lost one in red on the x-axis', () => {
    const option = delayChartOption({ points, live: false, roundTrip: false, synchronized: true, medianMs: 11, p95Ms: 12 }) as unknown as Option;
    expect(option.series.map((s) => s.id)).toEqual(['delay', 'lost']);
    const [delay, lost] = option.series as [Series, Series];
    expect(pairs(delay.data as Float64Array)).toEqual([[0, 10], [1, 12], [1.5, 11]]);
    expect(pairs(lost.data as Float64Array)).toEqual([[0.5, 0]]);
    expect(lost.itemStyle?.color).toBe(LOST_COLOR);
    expect(lost.itemStyle?.color).not.toBe(delay.itemStyle?.color);
    // the lost marks have their own 0..1 axis: y = 0 is the x-axis whatever the delays are
    expect(lost.yAxisIndex).toBe(1);
    expect(option.yAxis[1]).toMatchObject({ min: 0, max: 1, show: false });
    expect(option.legend.data).toEqual(['delay', 'lost']);
    expect(delay.markLine?.data.map((d) => d.yAxis)).toEqual([11, 12]);
    expect(option.animation).toBe(false);
    expect(delayTooltip({ seriesId: 'lost', value: [0.5, 0] })).toBe('lost (sent at 0.500 s)');
    expect(delayTooltip({ seriesId: 'delay', value: [1, 12] })).toBe('sent at 1.000 s: 12.0 ms');
  });

  it('no loss, no lost series; unsynchronised one-way delay scales to the data, round trip starts at 0', () => {
    const clean = delayPoints(new Float64Array([0, 1]), new Float64Array([-3.2, -3.1]));
    const unsync = delayChartOption({ points: clean, live: true, roundTrip: false, synchronized: false }) as unknown as Option;
    expect(unsync.series.map((s) => s.id)).toEqual(['delay']);
    expect(unsync.yAxis[0]).toMatchObject({ scale: true, min: undefined });
    expect(unsync.yAxis[0]?.name).toMatch(/unsync/);
    const rtt = delayChartOption({ points: clean, live: false, roundTrip: true, synchronized: false }) as unknown as Option;
    expect(rtt.yAxis[0]).toMatchObject({ min: 0, scale: false, name: 'RTT ms' });
  });

  it('an all-lost session still draws its marks; big sessions go large and zoomable', () => {
    const allLost = delayChartOption({ points: delayPoints(new Float64Array([0, 1]), new Float64Array([Number.NaN, Number.NaN])), live: false, roundTrip: true, synchronized: false }) as unknown as Option;
    expect((allLost.series[0]?.data as Float64Array).length).toBe(0);
    expect(pairs(allLost.series[1]?.data as Float64Array)).toEqual([[0, 0], [1, 0]]);
    const n = 5000;
    const big = delayChartOption({ points: delayPoints(Float64Array.from({ length: n }, (_, i) => i / 100), Float64Array.from({ length: n }, (_, i) => 1 + (i % 7))), live: false, roundTrip: true, synchronized: true }) as unknown as Option;
    expect(big.series[0]?.large).toBe(true);
    expect(big.dataZoom).toHaveLength(2);
  });
});

describe('delay histogram', () => {
  it('counts every finite delay once, in bins of a round width, and leaves NaN out', () => {
    const delays = new Float64Array([0.1, 0.12, 0.15, 0.2, 0.2, 0.31, Number.NaN, 0.5, Number.NaN]);
    const h = delayHistogram(delays, delays.length, 4);
    expect(h.width).toBe(0.1);
    expect(h.start).toBeCloseTo(0.1, 12);
    // [0.1, 0.2) [0.2, 0.3) [0.3, 0.4) [0.4, 0.5) [0.5, 0.6)
    expect(h.counts).toEqual([3, 2, 1, 0, 1]);
    expect(h.total).toBe(7);
    expect(h.excluded).toBe(2);
    expect(h.overflow).toBe(0);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(h.total);
  });

  it('folds a far outlier into an overflow bar instead of squashing the body into one bin', () => {
    const delays = Float64Array.from({ length: 200 }, (_, i) => (i === 199 ? 500 : 1 + (i % 20) / 10));
    const h = delayHistogram(delays);
    expect(h.overflow).toBe(1);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(199);
    expect(h.counts.length).toBeGreaterThan(5);
    const option = histogramOption(h, { roundTrip: false }) as unknown as Option;
    const labels = option.xAxis.data ?? [];
    expect(labels).toHaveLength(h.counts.length + 1);
    expect(labels.at(-1)).toMatch(/^≥ /);
    expect((option.series[0]?.data.at(-1) as { value: number }).value).toBe(1);
  });

  it('one value, nothing at all, and labels with the decimals the width needs', () => {
    const one = delayHistogram(new Float64Array([0.05, 0.05, 0.05]));
    expect(one.counts).toEqual([3]);
    expect(one.width).toBe(0.005);
    expect((histogramOption(one, { roundTrip: true }) as unknown as Option).xAxis.data).toEqual(['0.050']);
    const none = delayHistogram(new Float64Array([Number.NaN]));
    expect(none).toMatchObject({ counts: [], total: 0, excluded: 1, width: 0 });
    expect((histogramOption(none, { roundTrip: true }) as unknown as Option).series[0]?.data).toEqual([]);
  });

  it('nice steps are 1, 2 or 5 times a power of ten', () => {
    expect([0.0031, 0.013, 0.02, 0.7, 3, 45].map(niceStep)).toEqual([0.005, 0.02, 0.02, 1, 5, 50]);
  });
});
