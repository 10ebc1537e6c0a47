import type { EChartsCoreOption } from 'echarts/core';
import type { PingReply } from '../../../../electron/shared/path.ts';

/**
 * RTT over the echo sequence (rtt runs): one point per answer, lost requests marked along the top
 * of the plot at their sequence number, errors (unreachable, fragmentation needed) likewise with
 * their message, duplicates as hollow points. Pure.
 */

export interface PathRttData {
  replies: readonly PingReply[];
  live: boolean;
  /** Median and 95th percentile lines, when the summary has them. */
  p50Ms?: number | null;
  p95Ms?: number | null;
}

export interface PathRttCounts {
  replies: number;
  lost: number;
  errors: number;
  duplicates: number;
}

export function rttCounts(replies: readonly PingReply[]): PathRttCounts {
  const counts = { replies: 0, lost: 0, errors: 0, duplicates: 0 };
  for (const r of replies) {
    if (r.status === 'reply') counts.replies += 1;
    else if (r.status === 'timeout') counts.lost += 1;
    else if (r.status === 'error') counts.errors += 1;
    else counts.duplicates += 1;
  }
  return counts;
}

export function pathRttOption({ replies, live, p50Ms = null, p95Ms = null }: PathRttData): EChartsCoreOption {
  // A lost request is a gap in the line (null), not a straight segment across it.
  const line: Array<[number, number | null]> = [];
  let answeredCount = 0;
  const duplicates: Array<[number, number]> = [];
  let top = 0;
  for (const r of replies) {
    if (r.status === 'timeout') line.push([r.seq, null]);
    if (r.rttMs === null) continue;
    if (r.status === 'reply') {
      line.push([r.seq, r.rttMs]);
      answeredCount += 1;
    }
    else if (r.status === 'duplicate') duplicates.push([r.seq, r.rttMs]);
    top = Math.max(top, r.rttMs);
  }
  // Lost and failed requests sit just above the highest RTT, where they cannot hide a point.
  const markY = top > 0 ? top * 1.1 : 1;
  const lost = replies.filter((r) => r.status === 'timeout').map((r) => ({ value: [r.seq, markY], seq: r.seq }));
  const errors = replies.filter((r) => r.status === 'error').map((r) => ({ value: [r.seq, markY], seq: r.seq, message: r.message ?? 'error' }));
  const big = answeredCount > 2000;
  const lines = [
    ...(p50Ms !== null ? [{ yAxis: p50Ms, name: 'median', label: { formatter: 'median', fontSize: 10, position: 'insideStartTop' } }] : []),
    ...(p95Ms !== null ? [{ yAxis: p95Ms, name: 'p95', label: { formatter: 'p95', fontSize: 10, position: 'insideEndTop' } }] : []),
  ];
  return {
    // Drawn at once: a live chart redraws per reply, and a half-animated one misleads.
    animation: false,
    grid: { left: 64, right: 40, top: 36, bottom: big ? 64 : 40 },
    legend: { top: 4, data: ['RTT', ...(lost.length ? ['lost'] : []), ...(errors.length ? ['error'] : []), ...(duplicates.length ? ['duplicate'] : [])] },
    tooltip: {
      trigger: 'item',
      formatter: (params: { seriesId?: string; data?: unknown }) => {
        const d = params.data as { seq?: number; message?: string; value?: number[] } | number[] | undefined;
        if (Array.isArray(d)) return `seq ${d[0]}: ${d[1]} ms`;
        if (params.seriesId === 'lost') return `seq ${d?.seq}: no reply`;
        if (params.seriesId === 'errors') return `seq ${d?.seq}: ${d?.message ?? 'error'}`;
        return '';
      },
    },
    xAxis: { type: 'value', name: 'seq', min: 'dataMin', max: 'dataMax', minInterval: 1 },
    yAxis: { type: 'value', name: 'RTT ms', min: 0 },
    dataZoom: big ? [{ type: 'inside' }, { type: 'slider', height: 18, bottom: 10 }] : [],
    series: [
      {
        id: 'rtt',
        name: 'RTT',
        type: 'line',
        data: line,
        connectNulls: false,
        showSymbol: answeredCount <= 200,
        symbolSize: 5,
        sampling: big ? 'lttb' : undefined,
        lineStyle: { width: 1.2 },
        markLine: lines.length ? { symbol: 'none', silent: true, lineStyle: { type: 'dashed', color: '#667085' }, data: lines } : undefined,
      },
      ...(lost.length ? [{ id: 'lost', name: 'lost', type: 'scatter', symbol: 'triangle', symbolRotate: 180, symbolSize: 10, itemStyle: { color: '#cf222e' }, data: lost }] : []),
      ...(errors.length ? [{ id: 'errors', name: 'error', type: 'scatter', symbol: 'rect', symbolSize: 9, itemStyle: { color: '#bf8700' }, data: errors }] : []),
      ...(duplicates.length ? [{ id: 'duplicates', name: 'duplicate', type: 'scatter', symbol: 'emptyCircle', symbolSize: 7, itemStyle: { color: '#8250df' }, data: duplicates }] : []),
    ],
  };
}
