import type { EChartsCoreOption } from 'echarts/core';
import { csvLine } from '../../../../electron/shared/csv.ts';
import { HOP_LOSS_CLASSES, type HopLossClass, type PathHistoryResult } from '../../../../electron/shared/path.ts';
import { unreachableFlag } from '../../features/path/format.ts';
import { formatMs, formatPercent, forwardingLossColor, LOSS_CLASS_COLORS, LOSS_CLASS_LABELS } from '../../features/path/format.ts';

/**
 * The path over time (issue 8): x = the runs to one target in time order, y = hop TTL, one cell
 * per hop per run coloured by how that hop's loss reads (forwarding loss red and darker with more
 * loss, ICMP rate limiting grey, silent hops pale), route changes marked where they happen.
 * Pure: the model is derived from paths.history, the option from the model.
 */

export interface PathTimelineColumn {
  runId: number;
  at: number;
  reached: boolean;
  fingerprint: string;
  /** Index into history.segments (consecutive runs on one path). */
  segment: number;
  /** This run is where a new path was first seen. */
  change: boolean;
}

export interface PathTimelineCell {
  col: number;
  ttl: number;
  runId: number;
  lossClass: HopLossClass;
  lossPercent: number | null;
  forwardLossPercent: number | null;
  rateLimitedPercent: number | null;
  lossStartsHere: boolean;
  responders: string[];
  rttAvg: number | null;
  mtu: number | null;
  unreachable: string | null;
  /** The route change at this run changed this hop. */
  changed: boolean;
}

export interface PathTimelineChange {
  col: number;
  runId: number | null;
  at: number;
  kind: 'none' | 'route' | 'reachability';
  firstChangedTtl: number | null;
  ttls: number[];
}

export interface PathTimelineModel {
  columns: PathTimelineColumn[];
  maxTtl: number;
  cells: PathTimelineCell[];
  changes: PathTimelineChange[];
  counts: Record<HopLossClass, number>;
}

const CHANGED = new Set(['changed', 'added', 'removed']);

export function pathTimelineModel(result: PathHistoryResult): PathTimelineModel {
  const runs = [...result.runs].sort((a, b) => a.at - b.at || a.runId - b.runId);
  const changeByRun = new Map(result.history.changes.filter((c) => c.runId !== null).map((c) => [c.runId as number, c]));
  const columns: PathTimelineColumn[] = [];
  const cells: PathTimelineCell[] = [];
  const changes: PathTimelineChange[] = [];
  const counts = Object.fromEntries(HOP_LOSS_CLASSES.map((c) => [c, 0])) as Record<HopLossClass, number>;
  let segment = 0;
  let maxTtl = 0;
  runs.forEach((run, col) => {
    const change = changeByRun.get(run.runId);
    if (change && col > 0) segment += 1;
    columns.push({ runId: run.runId, at: run.at, reached: run.reached, fingerprint: run.fingerprint, segment, change: Boolean(change) });
    const changedTtls = new Set(change ? change.diff.hops.filter((h) => CHANGED.has(h.status)).map((h) => h.ttl) : []);
    if (change) changes.push({ col, runId: change.runId, at: change.at, kind: change.diff.kind, firstChangedTtl: change.diff.firstChangedTtl, ttls: [...changedTtls].sort((a, b) => a - b) });
    const assessed = new Map(run.assessment.map((a) => [a.ttl, a]));
    for (const hop of [...run.hops].sort((a, b) => a.ttl - b.ttl)) {
      const a = assessed.get(hop.ttl);
      if (!a) continue;
      maxTtl = Math.max(maxTtl, hop.ttl);
      counts[a.lossClass] += 1;
      cells.push({
        col,
        ttl: hop.ttl,
        runId: run.runId,
        lossClass: a.lossClass,
        lossPercent: a.lossPercent,
        forwardLossPercent: a.forwardLossPercent,
        rateLimitedPercent: a.rateLimitedPercent,
        lossStartsHere: a.lossStartsHere,
        responders: hop.responders.map((r) => r.address),
        rttAvg: hop.rtt?.avg ?? null,
        mtu: hop.mtu,
        unreachable: unreachableFlag(hop.flags),
        changed: changedTtls.has(hop.ttl),
      });
    }
    // A changed hop the new run does not have (path got shorter) still gets its marker.
    for (const ttl of changedTtls) maxTtl = Math.max(maxTtl, ttl);
  });
  return { columns, maxTtl, cells, changes, counts };
}

export interface PathTimelineOptions {
  /** How a column is labelled (default: local date and time). */
  formatTime?: (at: number) => string;
  /** Up to this many runs, each cell also names its router (default 12). */
  routerLabelColumns?: number;
}

const defaultTime = (at: number) => {
  const d = new Date(at);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
};

/** A responder set in a few characters: long (IPv6) addresses keep their tail, ECMP adds "+n". */
export function shortResponders(addresses: readonly string[]): string {
  const first = addresses[0];
  if (first === undefined) return '*';
  const short = first.length > 18 ? `…${first.slice(-15)}` : first;
  return addresses.length > 1 ? `${short} +${addresses.length - 1}` : short;
}

/**
 * The text inside a cell when there is room for it: the loss share (▶ where forwarding loss
 * starts), "*" for silence; with `withRouter`, the answering router above it, so the chart reads as
 * the trace itself over time.
 */
export function cellLabel(cell: PathTimelineCell, withRouter = false): string {
  const router = withRouter && cell.responders.length > 0 ? shortResponders(cell.responders) : '';
  let loss: string;
  switch (cell.lossClass) {
    case 'noReply':
      return '*';
    case 'forwardingLoss':
      loss = `${cell.lossStartsHere ? '▶ ' : ''}${Math.round(cell.forwardLossPercent ?? 0)}%`;
      break;
    case 'icmpRateLimited':
    case 'unverified':
      loss = `${Math.round(cell.lossPercent ?? 0)}%`;
      break;
    case 'none':
      loss = cell.unreachable ?? '';
      break;
  }
  return [router, loss].filter(Boolean).join('\n');
}

export function cellTooltip(cell: PathTimelineCell, time: string): string {
  const lines = [
    `<b>Run ${cell.runId}</b> · ${time}`,
    `Hop ${cell.ttl}: ${cell.responders.length ? cell.responders.join(', ') : '*'}`,
    LOSS_CLASS_LABELS[cell.lossClass],
  ];
  if (cell.lossClass === 'forwardingLoss') lines.push(`loss ${formatPercent(cell.forwardLossPercent)}${cell.lossStartsHere ? ' — starts here' : ''}`);
  if (cell.lossClass === 'icmpRateLimited' || cell.lossClass === 'unverified') lines.push(`no answer to ${formatPercent(cell.lossPercent)} of probes`);
  if (cell.rttAvg !== null) lines.push(`avg RTT ${formatMs(cell.rttAvg)}`);
  if (cell.mtu !== null) lines.push(`MTU ${cell.mtu}`);
  if (cell.unreachable) lines.push(`unreachable ${cell.unreachable}`);
  if (cell.changed) lines.push('route changed at this hop');
  return lines.join('<br/>');
}

export function pathTimelineOption(model: PathTimelineModel, options: PathTimelineOptions = {}): EChartsCoreOption {
  const time = options.formatTime ?? defaultTime;
  const labels = model.columns.map((c) => time(c.at));
  const showLabels = model.columns.length <= 30 && model.maxTtl <= 32;
  const withRouter = model.columns.length <= (options.routerLabelColumns ?? 12) && model.maxTtl <= 16;
  const many = model.columns.length > 40;
  const present = HOP_LOSS_CLASSES.filter((c) => model.counts[c] > 0);
  const cellSeries = present.map((lossClass) => ({
    id: `loss-${lossClass}`,
    name: LOSS_CLASS_LABELS[lossClass],
    type: 'heatmap',
    itemStyle: { color: LOSS_CLASS_COLORS[lossClass], borderColor: '#ffffff', borderWidth: 1 },
    label: { show: showLabels, fontSize: 10, lineHeight: 12, color: lossClass === 'noReply' ? '#57606a' : '#ffffff' },
    emphasis: { itemStyle: { borderColor: '#1c2430', borderWidth: 2 } },
    progressive: 0,
    data: model.cells
      .filter((c) => c.lossClass === lossClass)
      .map((c) => ({
        value: [c.col, c.ttl - 1, c.lossPercent ?? 0],
        runId: c.runId,
        cell: c,
        // A route-change marker sits in the middle of a changed cell: its text moves below it.
        label: c.changed ? { formatter: cellLabel(c, withRouter), position: 'insideBottom', distance: 3 } : { formatter: cellLabel(c, withRouter) },
        ...(c.lossClass === 'forwardingLoss' || c.changed || c.lossStartsHere
          ? {
              itemStyle: {
                ...(c.lossClass === 'forwardingLoss' ? { color: forwardingLossColor(c.forwardLossPercent) } : {}),
                ...(c.changed ? { borderColor: '#9a6700', borderWidth: 3 } : c.lossStartsHere ? { borderColor: '#82071e', borderWidth: 3 } : {}),
              },
            }
          : {}),
      })),
  }));
  const changeSeries = {
    id: 'route-changes',
    name: 'route change',
    type: 'scatter',
    symbol: 'diamond',
    symbolSize: 9,
    // Above the centre, clear of the cell's label (moved to the bottom in changed cells).
    symbolOffset: [0, -11],
    z: 5,
    itemStyle: { color: '#9a6700', borderColor: '#ffffff', borderWidth: 1 },
    data: model.changes.map((c) => ({ value: [c.col, Math.max(0, (c.firstChangedTtl ?? 1) - 1)], runId: c.runId, change: c })),
    markLine: {
      symbol: 'none',
      silent: true,
      animation: false,
      label: { formatter: 'route changed', fontSize: 10, position: 'start' },
      lineStyle: { type: 'dashed', color: '#9a6700', width: 1.5 },
      data: model.changes.map((c) => ({ xAxis: c.col })),
    },
  };
  return {
    animation: false,
    grid: { left: 64, right: 24, top: 56, bottom: many ? 84 : 56 },
    legend: { top: 4, data: [...present.map((c) => LOSS_CLASS_LABELS[c]), ...(model.changes.length ? ['route change'] : [])] },
    tooltip: {
      trigger: 'item',
      formatter: (params: { data?: { cell?: PathTimelineCell; change?: PathTimelineChange } }) => {
        const d = params.data;
        if (d?.cell) return cellTooltip(d.cell, labels[d.cell.col] ?? '');
        if (d?.change) return `<b>Route changed</b> at run ${d.change.runId ?? '?'}<br/>hop(s) ${d.change.ttls.join(', ') || '—'}`;
        return '';
      },
    },
    xAxis: { type: 'category', data: labels, name: 'run', splitArea: { show: false }, axisLabel: { fontSize: 10, hideOverlap: true } },
    yAxis: {
      type: 'category',
      data: Array.from({ length: model.maxTtl }, (_, i) => String(i + 1)),
      inverse: true,
      name: 'hop (TTL)',
      nameLocation: 'start',
      splitArea: { show: false },
    },
    dataZoom: many ? [{ type: 'inside', xAxisIndex: 0 }, { type: 'slider', xAxisIndex: 0, height: 18, bottom: 16 }] : [],
    series: [...cellSeries, ...(model.changes.length ? [changeSeries] : [])],
  };
}

/** The cells as CSV: one row per hop per run, with the run behind it and what changed. */
export function pathTimelineCsv(model: PathTimelineModel): string {
  let out = csvLine(['time_iso', 'run_id', 'ttl', 'responders', 'loss_class', 'loss_percent', 'forward_loss_percent', 'rate_limited_percent', 'loss_starts_here', 'rtt_avg_ms', 'mtu', 'unreachable', 'route_changed_here']);
  for (const c of model.cells) {
    const at = model.columns[c.col]?.at ?? 0;
    out += csvLine([new Date(at).toISOString(), c.runId, c.ttl, c.responders.join(' '), c.lossClass, c.lossPercent, c.forwardLossPercent, c.rateLimitedPercent, c.lossStartsHere ? 1 : 0, c.rttAvg, c.mtu, c.unreachable, c.changed ? 1 : 0]);
  }
  return out;
}
