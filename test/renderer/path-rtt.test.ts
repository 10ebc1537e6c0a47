import { describe, expect, it } from 'vitest';
import { parsePing } from '../../electron/core/measure/ping/parse.ts';
import type { PingReply } from '../../electron/shared/path.ts';
import { pathRttOption, rttCounts } from '../../renderer/src/charts/options/pathRtt.ts';
import { fixtureText } from './path-fixtures.ts';

type Option = {
  series: Array<{ id: string; data: Array<[number, number | null] | { value: [number, number]; seq: number; message?: string }>; showSymbol?: boolean; markLine?: { data: Array<{ yAxis: number }> } }>;
  legend: { data: string[] };
  dataZoom: unknown[];
  animation: boolean;
  tooltip: { formatter: (p: { seriesId?: string; data?: unknown }) => string };
};

const reply = (seq: number, status: PingReply['status'], rttMs: number | null, message: string | null = null): PingReply => ({ seq, status, rttMs, ttl: 64, bytes: 64, from: '127.0.0.1', message, mtu: null });

describe('RTT over the sequence', () => {
  it('draws the answers of a real ping run and marks the four lost requests at their sequence numbers', () => {
    const { replies } = parsePing(fixtureText('linux/ping-forward-loss.txt'));
    expect(rttCounts(replies)).toEqual({ replies: 16, lost: 4, errors: 0, duplicates: 0 });
    const option = pathRttOption({ replies, live: false, p50Ms: 0.076, p95Ms: 0.095 }) as unknown as Option;
    expect(option.series.map((s) => s.id)).toEqual(['rtt', 'lost']);
    const line = option.series[0]?.data as Array<[number, number | null]>;
    expect(line.filter(([, y]) => y !== null)).toHaveLength(16);
    expect(line[0]).toEqual([1, 0.055]);
    // each lost request breaks the line where it happened
    expect(line.filter(([, y]) => y === null).map(([seq]) => seq)).toEqual([7, 9, 17, 18]);
    const lost = option.series[1]?.data as Array<{ value: [number, number]; seq: number }>;
    expect(lost.map((l) => l.seq)).toEqual([7, 9, 17, 18]);
    // lost marks sit above the highest RTT (0.099 ms)
    expect(lost.every((l) => l.value[1] > 0.099)).toBe(true);
    expect(option.series[0]?.markLine?.data.map((d) => d.yAxis)).toEqual([0.076, 0.095]);
    expect(option.legend.data).toEqual(['RTT', 'lost']);
    expect(option.tooltip.formatter({ seriesId: 'lost', data: lost[0] })).toBe('seq 7: no reply');
  });

  it('shows errors with their message and duplicates apart from answers', () => {
    const replies = [reply(1, 'reply', 10), reply(1, 'duplicate', 12), reply(2, 'error', null, 'Frag needed and DF set (mtu = 1400)'), reply(3, 'timeout', null)];
    const option = pathRttOption({ replies, live: true }) as unknown as Option;
    expect(option.series.map((s) => s.id)).toEqual(['rtt', 'lost', 'errors', 'duplicates']);
    expect(option.animation).toBe(false);
    const err = option.series[2]?.data[0] as { message: string };
    expect(option.tooltip.formatter({ seriesId: 'errors', data: err })).toBe('seq 2: Frag needed and DF set (mtu = 1400)');
    expect(rttCounts(replies)).toEqual({ replies: 1, lost: 1, errors: 1, duplicates: 1 });
  });

  it('an all-lost run still draws its marks; long runs are sampled and zoomable', () => {
    const lostOnly = pathRttOption({ replies: [reply(1, 'timeout', null), reply(2, 'timeout', null)], live: false }) as unknown as Option;
    expect(lostOnly.series[0]?.data).toEqual([[1, null], [2, null]]);
    expect((lostOnly.series[1]?.data as Array<{ value: number[] }>).map((d) => d.value)).toEqual([[1, 1], [2, 1]]);
    const long = pathRttOption({ replies: Array.from({ length: 5000 }, (_, i) => reply(i + 1, 'reply', 1 + (i % 7))), live: false }) as unknown as Option;
    expect(long.dataZoom).toHaveLength(2);
    expect(long.series[0]?.showSymbol).toBe(false);
  });
});
