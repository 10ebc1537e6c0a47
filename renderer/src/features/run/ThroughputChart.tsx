import { useMemo } from 'react';
import type { ThroughputSeries } from '../../../../electron/shared/throughput.ts';
import { throughputChartOption } from '../../charts/options/throughput.ts';
import { useEChart } from '../../charts/useEChart.ts';

export function ThroughputChart({ series, live }: { series: ThroughputSeries; live: boolean }) {
  const option = useMemo(() => throughputChartOption({ series, live }), [series, live]);
  const { ref } = useEChart(option);
  return <div className="chart" ref={ref} data-testid="throughput-chart" data-points={series.end.length} data-live={live ? 'yes' : 'no'} />;
}
