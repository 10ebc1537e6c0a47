import { useMemo } from 'react';
import { delayChartOption, delayHistogram, histogramOption, type DelayPoints } from '../../charts/options/latency.ts';
import { useEChart } from '../../charts/useEChart.ts';
import type { SessionDirection } from './format.ts';

interface DelayChartProps {
  session: SessionDirection;
  points: DelayPoints;
  live: boolean;
  synchronized: boolean;
  medianMs?: number | null;
  p95Ms?: number | null;
}

/** Delay (or RTT) over the send time. Live, `points` grows in place and only this chart redraws. */
export function DelayChart({ session, points, live, synchronized, medianMs = null, p95Ms = null }: DelayChartProps) {
  const roundTrip = session === 'round-trip';
  const option = useMemo(() => delayChartOption({ points, live, roundTrip, synchronized, medianMs, p95Ms }), [points, live, roundTrip, synchronized, medianMs, p95Ms]);
  const { ref } = useEChart(option);
  return <div className="chart delay-chart" ref={ref} data-testid="delay-chart" data-session={session} data-live={live ? 'yes' : 'no'} data-points={points.received} data-lost={points.lost} />;
}

/** How the delays of a stored session spread. */
export function DelayHistogramChart({ session, delayMs }: { session: SessionDirection; delayMs: Float64Array }) {
  const histogram = useMemo(() => delayHistogram(delayMs), [delayMs]);
  const option = useMemo(() => histogramOption(histogram, { roundTrip: session === 'round-trip' }), [histogram, session]);
  const { ref } = useEChart(option, { notMerge: true });
  return (
    <div
      className="chart delay-histogram"
      ref={ref}
      data-testid="delay-histogram"
      data-session={session}
      data-bins={histogram.counts.length}
      data-total={histogram.total}
      data-overflow={histogram.overflow}
      data-width-ms={histogram.width}
    />
  );
}
