import type { EChartsCoreOption } from 'echarts/core';
import { formatMs } from '../../features/path/format.ts';

/**
 * One-way delay (OWAMP) and round-trip time (TWAMP) per packet: delay against send time, with
 * lost packets as markers on the x-axis, and the delay histogram. Pure: the live view and the
 * stored run share these, and so do their tests.
 */

export const DELAY_COLOR = '#1f6feb';
export const LOST_COLOR = '#cf222e';
const OVERFLOW_COLOR = '#9a6700';

/**
 * What the delay chart draws: received packets as (send offset s, delay ms) pairs and lost ones
 * as (send offset s, 0), interleaved in Float64Arrays that may be longer than what is used (the
 * live view appends into them). NaN (or any non-finite) delay = lost.
 */
export interface DelayPoints {
  xy: Float64Array;
  received: number;
  lostXY: Float64Array;
  lost: number;
}

export const emptyDelayPoints = (): DelayPoints => ({ xy: new Float64Array(0), received: 0, lostXY: new Float64Array(0), lost: 0 });

/** A buffer with room for `need` numbers: the same one when it has it, else twice as large with the used part copied. */
function room(buffer: Float64Array, used: number, need: number): Float64Array {
  if (need <= buffer.length) return buffer;
  const grown = new Float64Array(Math.max(need, buffer.length * 2, 256));
  grown.set(buffer.subarray(0, used));
  return grown;
}

/**
 * Appends packets to `points` and returns the new state. Amortised O(batch): the buffers grow by
 * doubling and only the region past the used length is written, so earlier states (and the views
 * a chart holds of them) stay valid. A packet without a finite send offset is left out.
 */
export function appendDelays(points: DelayPoints, sendOffsetS: ArrayLike<number>, delayMs: ArrayLike<number | null>, length = Math.min(sendOffsetS.length, delayMs.length)): DelayPoints {
  if (length === 0) return points;
  let received = 0;
  let lost = 0;
  for (let i = 0; i < length; i += 1) {
    if (!Number.isFinite(sendOffsetS[i])) continue;
    const d = delayMs[i];
    if (d === null || d === undefined || !Number.isFinite(d)) lost += 1;
    else received += 1;
  }
  const xy = room(points.xy, points.received * 2, (points.received + received) * 2);
  const lostXY = room(points.lostXY, points.lost * 2, (points.lost + lost) * 2);
  let r = points.received * 2;
  let l = points.lost * 2;
  for (let i = 0; i < length; i += 1) {
    const x = sendOffsetS[i] as number;
    if (!Number.isFinite(x)) continue;
    const d = delayMs[i];
    if (d === null || d === undefined || !Number.isFinite(d)) {
      lostXY[l++] = x;
      lostXY[l++] = 0;
    } else {
      xy[r++] = x;
      xy[r++] = d;
    }
  }
  return { xy, received: points.received + received, lostXY, lost: points.lost + lost };
}

/** A stored session's columns (NaN = lost) as chart points. */
export const delayPoints = (sendOffsetS: ArrayLike<number>, delayMs: ArrayLike<number>): DelayPoints => appendDelays(emptyDelayPoints(), sendOffsetS, delayMs);

export interface DelayChartData {
  points: DelayPoints;
  live: boolean;
  /** Round trip (TWAMP) rather than one-way delay. */
  roundTrip: boolean;
  /** Unsynchronised one-way delay: only its variation means anything, so the axis does not start at 0. */
  synchronized: boolean;
  medianMs?: number | null;
  p95Ms?: number | null;
}

/** Above this many points the scatter switches to ECharts' large mode and gets a zoom slider. */
export const LARGE_POINTS = 2000;

type TooltipParams = { seriesId?: string; value?: ArrayLike<number>; data?: ArrayLike<number> };

export function delayTooltip(params: TooltipParams): string {
  const v = params.value ?? params.data;
  const x = Number(v?.[0]);
  const at = Number.isFinite(x) ? `${x.toFixed(3)} s` : '?';
  if (params.seriesId === 'lost') return `lost (sent at ${at})`;
  return `sent at ${at}: ${formatMs(Number(v?.[1]))}`;
}

/** Delay (or RTT) over the send time; lost packets as red marks sitting on the x-axis. */
export function delayChartOption({ points, live, roundTrip, synchronized, medianMs = null, p95Ms = null }: DelayChartData): EChartsCoreOption {
  const name = roundTrip ? 'RTT' : 'delay';
  const big = points.received > LARGE_POINTS;
  const absolute = roundTrip || synchronized;
  const lines = [
    ...(medianMs !== null && Number.isFinite(medianMs) ? [{ yAxis: medianMs, name: 'median', label: { formatter: 'median', fontSize: 10, position: 'insideStartTop' } }] : []),
    ...(p95Ms !== null && Number.isFinite(p95Ms) ? [{ yAxis: p95Ms, name: 'p95', label: { formatter: 'p95', fontSize: 10, position: 'insideEndTop' } }] : []),
  ];
  return {
    // Drawn at once: a live chart redraws per batch, and a half-animated one misleads.
    animation: false,
    grid: { left: 64, right: 24, top: 36, bottom: big ? 64 : 40 },
    legend: { top: 4, data: [name, ...(points.lost ? ['lost'] : [])] },
    tooltip: { trigger: 'item', formatter: delayTooltip },
    xAxis: { type: 'value', name: 's', min: 0 },
    yAxis: [
      // Unsynchronised clocks shift every one-way delay by the same unknown offset: scale to the data.
      { type: 'value', name: `${name} ms${absolute ? '' : ' (unsync)'}`, min: absolute ? 0 : undefined, scale: !absolute },
      // The lost marks' own axis, so y = 0 is the bottom of the plot whatever the delays are.
      { type: 'value', min: 0, max: 1, show: false },
    ],
    dataZoom: big ? [{ type: 'inside', xAxisIndex: 0 }, { type: 'slider', xAxisIndex: 0, height: 18, bottom: 10 }] : [],
    series: [
      {
        id: 'delay',
        name,
        type: 'scatter',
        data: points.xy.subarray(0, points.received * 2),
        dimensions: ['x', 'y'],
        symbolSize: big ? 2 : 4,
        large: big,
        largeThreshold: LARGE_POINTS,
        itemStyle: { color: DELAY_COLOR },
        markLine: lines.length ? { symbol: 'none', silent: true, lineStyle: { type: 'dashed', color: '#667085' }, data: lines } : undefined,
      },
      ...(points.lost
        ? [
            {
              id: 'lost',
              name: 'lost',
              type: 'scatter',
              yAxisIndex: 1,
              data: points.lostXY.subarray(0, points.lost * 2),
              dimensions: ['x', 'y'],
              symbol: 'triangle',
              symbolSize: 9,
              symbolOffset: [0, -4],
              clip: false,
              z: 5,
              itemStyle: { color: LOST_COLOR },
            },
          ]
        : []),
    ],
  };
}

export interface DelayHistogram {
  /** Lower edge of the first bin, ms. */
  start: number;
  /** Bin width, ms (0 when there is nothing to count). */
  width: number;
  counts: number[];
  /** Values beyond the last bin (a long tail folded into one bar), counted apart. */
  overflow: number;
  /** Finite values counted (bins + overflow). */
  total: number;
  /** Lost packets (NaN) and other non-finite values, not in any bin. */
  excluded: number;
}

/** 1, 2 or 5 × 10^k, the smallest of those at least `x`. */
export function niceStep(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return 1;
  const base = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 5, 10]) if (m * base >= x * (1 - 1e-9)) return m * base;
  return 10 * base;
}

/**
 * Delays in bins of a round width (about `targetBins` of them). A tail beyond the 99th percentile
 * that would stretch the range past twice the body's span is folded into one overflow bar, so a
 * single outlier does not squash everything else into the first bin.
 */
export function delayHistogram(delayMs: ArrayLike<number>, length = delayMs.length, targetBins = 30): DelayHistogram {
  const values: number[] = [];
  let excluded = 0;
  for (let i = 0; i < length; i += 1) {
    const v = delayMs[i] as number;
    if (Number.isFinite(v)) values.push(v);
    else excluded += 1;
  }
  if (values.length === 0) return { start: 0, width: 0, counts: [], overflow: 0, total: 0, excluded };
  values.sort((a, b) => a - b);
  const min = values[0] as number;
  const max = values[values.length - 1] as number;
  const p99 = values[Math.min(values.length - 1, Math.floor(0.99 * (values.length - 1)))] as number;
  const top = max - min > 2 * (p99 - min) && p99 > min ? p99 : max;
  const span = top - min;
  const width = niceStep(span > 0 ? span / targetBins : Math.max(Math.abs(min), 1e-3) / 10);
  const start = Math.floor(min / width) * width;
  const bins = Math.max(1, Math.floor((top - start) / width) + 1);
  const counts = new Array<number>(bins).fill(0);
  let overflow = 0;
  for (const v of values) {
    if (v > top) {
      overflow += 1;
      continue;
    }
    const i = Math.min(bins - 1, Math.max(0, Math.floor((v - start) / width)));
    counts[i] = (counts[i] ?? 0) + 1;
  }
  return { start, width, counts, overflow, total: values.length, excluded };
}

/** Decimals that show a bin edge of this width exactly (0.005 → 3). */
const decimalsFor = (width: number) => Math.max(0, Math.ceil(-Math.log10(width) - 1e-9));

/** The histogram as bars: one per bin, labelled by its lower edge, and the overflow bar last. */
export function histogramOption(h: DelayHistogram, { roundTrip }: { roundTrip: boolean }): EChartsCoreOption {
  const d = decimalsFor(h.width || 1);
  const edge = (i: number) => (h.start + i * h.width).toFixed(d);
  const labels = h.counts.map((_, i) => edge(i));
  const ranges = h.counts.map((_, i) => `${edge(i)}–${edge(i + 1)} ms`);
  const data: Array<number | { value: number; itemStyle: { color: string } }> = [...h.counts];
  if (h.overflow) {
    labels.push(`≥ ${edge(h.counts.length)}`);
    ranges.push(`${edge(h.counts.length)} ms and above`);
    data.push({ value: h.overflow, itemStyle: { color: OVERFLOW_COLOR } });
  }
  return {
    animation: false,
    grid: { left: 56, right: 16, top: 28, bottom: 48 },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params: Array<{ dataIndex: number; value: number }> | { dataIndex: number; value: number }) => {
        const p = Array.isArray(params) ? params[0] : params;
        if (!p) return '';
        return `${ranges[p.dataIndex] ?? ''}: ${p.value} packet${p.value === 1 ? '' : 's'}`;
      },
    },
    xAxis: { type: 'category', data: labels, name: roundTrip ? 'RTT ms' : 'delay ms', nameLocation: 'middle', nameGap: 30, axisLabel: { hideOverlap: true } },
    yAxis: { type: 'value', name: 'packets', minInterval: 1 },
    series: [{ id: 'histogram', type: 'bar', data, barCategoryGap: '8%', itemStyle: { color: DELAY_COLOR } }],
  };
}
