import { describe, expect, it } from 'vitest';
import { throughputChartOption } from '../../renderer/src/charts/options/throughput.ts';

const series = (n: number, withTcp = true) => ({
  start: Array.from({ length: n }, (_, i) => i),
  end: Array.from({ length: n }, (_, i) => i + 1),
  bitsPerSecond: Array.from({ length: n }, () => 9.4e8),
  retransmits: Array.from({ length: n }, (_, i) => (withTcp ? i : null)),
  rtt: Array.from({ length: n }, () => (withTcp ? 48_000 : null)),
  cwnd: Array.from({ length: n }, () => null),
});

type Option = { series: Array<{ id: string; data: Array<[number, number | null]> }>; dataZoom: unknown[]; animation: boolean };

describe('throughput chart option', () => {
  it('draws Mbit/s, retransmits and RTT in ms against interval end', () => {
    const option = throughputChartOption({ series: series(3), live: false }) as unknown as Option;
    expect(option.series.map((s) => s.id)).toEqual(['throughput', 'retransmits', 'rtt']);
    expect(option.series[0]?.data).toEqual([[1, 940], [2, 940], [3, 940]]);
    expect(option.series[1]?.data[2]).toEqual([3, 2]);
    expect(option.series[2]?.data[0]).toEqual([1, 48]);
  });
  it('leaves out series a run does not have (UDP) and zooms only long runs', () => {
    const udp = throughputChartOption({ series: series(5, false), live: true }) as unknown as Option;
    expect(udp.series.map((s) => s.id)).toEqual(['throughput']);
    expect(udp.animation).toBe(false);
    expect(udp.dataZoom).toEqual([]);
    const long = throughputChartOption({ series: series(600), live: false }) as unknown as Option;
    expect(long.dataZoom).toHaveLength(2);
  });
});
