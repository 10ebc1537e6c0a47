import { assessPath } from '../../electron/core/measure/trace/analysis.ts';
import { describe, expect, it } from 'vitest';
import { cellLabel, cellTooltip, pathTimelineCsv, pathTimelineModel, pathTimelineOption, shortResponders, type PathTimelineCell } from '../../renderer/src/charts/options/pathTimeline.ts';
import { fixtureTrace, historyResult, HOUR, T0 } from './path-fixtures.ts';

type Item = { value: [number, number, number]; runId: number; cell: PathTimelineCell; itemStyle?: { color?: string; borderColor?: string; borderWidth?: number }; label: { formatter: string } };
type Option = {
  xAxis: { data: string[] };
  yAxis: { data: string[]; inverse: boolean };
  legend: { data: string[] };
  dataZoom: unknown[];
  series: Array<{ id: string; type: string; data: Item[]; markLine?: { data: Array<{ xAxis: number }> } }>;
  tooltip: { formatter: (p: { data?: unknown }) => string };
};

describe('path over time: model', () => {
  const model = pathTimelineModel(historyResult());

  it('has one column per run in time order and one row per TTL', () => {
    expect(model.columns.map((c) => c.runId)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(model.maxTtl).toBe(3);
    expect(model.cells).toHaveLength(21);
    expect(model.columns.map((c) => c.segment)).toEqual([0, 0, 0, 1, 1, 2, 2]);
    expect(model.columns.filter((c) => c.change).map((c) => c.runId)).toEqual([4, 6]);
  });

  it('reads each cell as the core would: rate limiting, forwarding loss and where it starts, silent hops', () => {
    expect(model.counts).toEqual({ none: 17, icmpRateLimited: 1, forwardingLoss: 2, noReply: 1, unverified: 0 });
    const at = (runId: number, ttl: number) => model.cells.find((c) => c.runId === runId && c.ttl === ttl);
    expect(at(3, 2)?.lossClass).toBe('icmpRateLimited');
    expect(at(3, 2)?.lossPercent).toBe(50);
    expect(at(6, 2)).toMatchObject({ lossClass: 'forwardingLoss', lossStartsHere: true, forwardLossPercent: 30 });
    expect(at(6, 3)).toMatchObject({ lossClass: 'forwardingLoss', lossStartsHere: false });
    expect(at(7, 1)).toMatchObject({ lossClass: 'noReply', responders: [] });
  });

  it('marks the hops each route change changed', () => {
    expect(model.changes.map((c) => [c.col, c.runId, c.ttls])).toEqual([[3, 4, [2]], [5, 6, [2]]]);
    expect(model.cells.filter((c) => c.changed).map((c) => [c.runId, c.ttl])).toEqual([[4, 2], [6, 2]]);
    expect(model.cells.find((c) => c.runId === 4 && c.ttl === 2)?.responders).toEqual(['198.18.4.2']);
  });

  it('copes with an empty history and with runs that never reached', () => {
    expect(pathTimelineModel({ runs: [], history: { changes: [], segments: [], distinctPaths: 0 } })).toMatchObject({ columns: [], cells: [], maxTtl: 0 });
    const r = historyResult();
    const first = r.runs[0];
    if (!first) throw new Error('fixture');
    const hops = first.hops.slice(0, 2).map((h, i) => (i === 1 ? { ...h, received: 1, sent: 3, lossPercent: 66.7 } : h));
    const lossy = { ...first, reached: false, hops, assessment: assessPath({ ...fixtureTrace('linux/traceroute-udp-3hop.txt'), reached: false, hops }).hops };
    const m = pathTimelineModel({ runs: [lossy], history: { changes: [], segments: [], distinctPaths: 1 } });
    expect(m.cells.map((c) => c.lossClass)).toEqual(['none', 'unverified']);
  });
});

describe('path over time: option', () => {
  const model = pathTimelineModel(historyResult());
  const option = pathTimelineOption(model, { formatTime: (at) => `+${(at - T0) / HOUR}h` }) as unknown as Option;

  it('draws hop × run heatmap cells, one series per loss class present, TTL 1 on top', () => {
    expect(option.xAxis.data).toEqual(['+0h', '+1h', '+2h', '+3h', '+4h', '+5h', '+6h']);
    expect(option.yAxis).toMatchObject({ data: ['1', '2', '3'], inverse: true });
    const heat = option.series.filter((s) => s.type === 'heatmap');
    expect(heat.map((s) => s.id)).toEqual(['loss-none', 'loss-icmpRateLimited', 'loss-forwardingLoss', 'loss-noReply']);
    expect(heat.reduce((n, s) => n + s.data.length, 0)).toBe(21);
    const forwarding = heat.find((s) => s.id === 'loss-forwardingLoss')?.data ?? [];
    expect(forwarding.map((d) => d.value.slice(0, 2))).toEqual([[5, 1], [5, 2]]);
    expect(forwarding[0]?.itemStyle).toMatchObject({ color: 'rgba(207, 34, 46, 0.60)' });
    expect(forwarding.every((d) => d.runId === 6)).toBe(true);
    expect(option.dataZoom).toEqual([]);
  });

  it('labels cells with the router and its loss: ▶ where loss starts, the rate-limited share, * for silence', () => {
    const items = option.series.flatMap((s) => (s.type === 'heatmap' ? s.data : []));
    const label = (runId: number, ttl: number) => items.find((d) => d.runId === runId && d.cell.ttl === ttl)?.label.formatter;
    expect(label(6, 2)).toBe('198.18.2.2\n▶ 30%');
    expect(label(3, 2)).toBe('198.18.2.2\n50%');
    expect(label(7, 1)).toBe('*');
    expect(label(1, 1)).toBe('198.18.1.1');
    expect(label(4, 2)).toBe('198.18.4.2');
    const compact = pathTimelineOption(model, { routerLabelColumns: 5 }) as unknown as Option;
    const compactLabel = compact.series.flatMap((s) => (s.type === 'heatmap' ? s.data : [])).find((d) => d.runId === 6 && d.cell.ttl === 2)?.label.formatter;
    expect(compactLabel).toBe('▶ 30%');
    expect(shortResponders(['2001:db8:ffff:1234:5678:9abc:def0:1', '198.18.4.2'])).toBe('…678:9abc:def0:1 +1');
    const changedCell = items.find((d) => d.runId === 4 && d.cell.ttl === 2);
    expect(changedCell?.itemStyle).toMatchObject({ borderColor: '#9a6700', borderWidth: 3 });
  });

  it('marks each route change with a line and a marker at the first changed hop, clickable to the run', () => {
    const changes = option.series.find((s) => s.id === 'route-changes');
    expect(changes?.data.map((d) => [d.value, d.runId])).toEqual([[[3, 1], 4], [[5, 1], 6]]);
    expect(changes?.markLine?.data).toEqual([{ xAxis: 3 }, { xAxis: 5 }]);
    expect(option.legend.data).toContain('route change');
    expect(option.legend.data).toContain('ICMP rate limiting — not real loss');
  });

  it('tooltips say what the cell means', () => {
    const cell = model.cells.find((c) => c.runId === 3 && c.ttl === 2) as PathTimelineCell;
    expect(cellTooltip(cell, '+2h')).toMatch(/Run 3.*Hop 2: 198\.18\.2\.2.*ICMP rate limiting — not real loss.*no answer to 50 % of probes/s);
    expect(cellLabel({ ...cell, lossClass: 'none', unreachable: '!H' })).toBe('!H');
    const html = option.tooltip.formatter({ data: { change: model.changes[0] } });
    expect(html).toContain('run 4');
  });

  it('zooms and drops cell labels when there are many runs', () => {
    const r = historyResult();
    const many = { ...r, runs: Array.from({ length: 120 }, (_, i) => ({ ...(r.runs[i % 7] as (typeof r.runs)[number]), runId: 100 + i, at: T0 + i * HOUR })) };
    const big = pathTimelineOption(pathTimelineModel({ ...many, history: { ...r.history, changes: [] } })) as unknown as Option & { series: Array<{ label?: { show: boolean } }> };
    expect(big.dataZoom).toHaveLength(2);
    expect(big.series[0]?.label?.show).toBe(false);
    expect(big.series.reduce((n, s) => n + (s.type === 'heatmap' ? s.data.length : 0), 0)).toBe(360);
  });
});

describe('path over time: CSV', () => {
  it('has one row per hop per run, with the class, the shares and the change', () => {
    const lines = pathTimelineCsv(pathTimelineModel(historyResult())).split('\r\n').filter(Boolean);
    expect(lines[0]).toBe('time_iso,run_id,ttl,responders,loss_class,loss_percent,forward_loss_percent,rate_limited_percent,loss_starts_here,rtt_avg_ms,mtu,unreachable,route_changed_here');
    expect(lines).toHaveLength(22);
    expect(lines.find((l) => l.includes(',6,2,'))).toMatch(/^2026-10-01T05:00:00.000Z,6,2,198\.18\.2\.2,forwardingLoss,30,30,0,1,0\.079,,,1$/);
    expect(lines.find((l) => l.includes(',3,2,'))).toMatch(/,icmpRateLimited,50,0,50,0,/);
  });
});
