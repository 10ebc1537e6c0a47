import type { EChartsCoreOption } from 'echarts/core';
import type { ThroughputSeries } from '../../../../electron/shared/throughput.ts';

export interface ThroughputChartData {
  series: ThroughputSeries;
  live: boolean;
}

/** Pure: per-interval throughput (Mbit/s), retransmits and RTT (ms) against interval end time. */
export function throughputChartOption({ series, live }: ThroughputChartData): EChartsCoreOption {
  const x = series.end;
  const mbps = series.bitsPerSecond.map((v, i) => [x[i], v / 1e6]);
  const retr = series.retransmits.map((v, i) => [x[i], v]);
  const rtt = series.rtt.map((v, i) => [x[i], v === null ? null : v / 1000]);
  const hasRetr = series.retransmits.some((v) => v !== null);
  const hasRtt = series.rtt.some((v) => v !== null);
  return {
    animation: !live && x.length < 2000,
    grid: { left: 64, right: hasRtt ? 110 : 64, top: 36, bottom: 48 },
    tooltip: { trigger: 'axis' },
    legend: { top: 4, data: ['Throughput', ...(hasRetr ? ['Retransmits'] : []), ...(hasRtt ? ['RTT'] : [])] },
    xAxis: { type: 'value', name: 's', nameLocation: 'end', min: 0, minInterval: 1 },
    yAxis: [
      { type: 'value', name: 'Mbit/s', min: 0, splitLine: { lineStyle: { opacity: 0.3 } } },
      { type: 'value', name: 'retr', min: 0, minInterval: 1, show: hasRetr, splitLine: { show: false } },
      { type: 'value', name: 'RTT ms', min: 0, offset: 56, show: hasRtt, splitLine: { show: false } },
    ],
    dataZoom: x.length > 60 ? [{ type: 'inside' }, { type: 'slider', height: 18, bottom: 8 }] : [],
    series: [
      { id: 'throughput', name: 'Throughput', type: 'line', yAxisIndex: 0, data: mbps, showSymbol: x.length < 60, areaStyle: { opacity: 0.15 }, sampling: 'lttb' },
      ...(hasRetr ? [{ id: 'retransmits', name: 'Retransmits', type: 'bar', yAxisIndex: 1, data: retr, barMaxWidth: 10, itemStyle: { opacity: 0.7 } }] : []),
      ...(hasRtt ? [{ id: 'rtt', name: 'RTT', type: 'line', yAxisIndex: 2, data: rtt, showSymbol: false, lineStyle: { type: 'dashed' } }] : []),
    ],
  };
}
