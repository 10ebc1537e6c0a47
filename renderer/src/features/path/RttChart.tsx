import { useMemo } from 'react';
import type { PingReply } from '../../../../electron/shared/path.ts';
import { pathRttOption, rttCounts } from '../../charts/options/pathRtt.ts';
import { useEChart } from '../../charts/useEChart.ts';

export function RttChart({ replies, live, p50Ms = null, p95Ms = null }: { replies: readonly PingReply[]; live: boolean; p50Ms?: number | null; p95Ms?: number | null }) {
  const option = useMemo(() => pathRttOption({ replies, live, p50Ms, p95Ms }), [replies, live, p50Ms, p95Ms]);
  const { ref } = useEChart(option);
  const counts = rttCounts(replies);
  return (
    <div
      className="chart rtt-chart"
      ref={ref}
      data-testid="rtt-chart"
      data-live={live ? 'yes' : 'no'}
      data-points={counts.replies}
      data-lost={counts.lost}
      data-errors={counts.errors}
      data-duplicates={counts.duplicates}
    />
  );
}
