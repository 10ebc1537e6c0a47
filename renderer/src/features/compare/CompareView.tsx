import { useMemo, useState } from 'react';
import { COMPARABLE_KINDS, formatMetricValue, metricLabel, type CompareResult, type GroupStats, type Metric } from '../../../../electron/shared/compare.ts';
import { compareToCsv } from '../../../../electron/shared/csv.ts';
import type { RunKind } from '../../../../electron/shared/runs.ts';
import { displayScale, drawnCounts, groupsOption, runAtClick, seriesOption, type DrawnCounts } from '../../charts/options/compare.ts';
import { histogramOption, histogramSets, sharedHistogram } from '../../charts/options/compareHistogram.ts';
import { useEChart } from '../../charts/useEChart.ts';
import { metricChoices, useCompare, type CompareChartType, type CompareMode } from '../../store/compare.ts';
import { useRuns } from '../../store/runs.ts';
import { useUi } from '../../store/ui.ts';

const MODES: Array<[CompareMode, string]> = [
  ['timeline', 'Over time / host vs host'],
  ['runs', 'Run vs run'],
  ['before-after', 'Before / after'],
  ['families', 'IPv4 vs IPv6'],
  ['tags', 'Tagged groups'],
];

const KIND_LABELS: Record<RunKind, string> = {
  throughput: 'Throughput (iperf3)',
  latency: 'One-way latency (OWAMP)',
  twamp: 'Round trip (TWAMP)',
  rtt: 'Ping RTT',
  trace: 'Trace',
  mtu: 'MTU',
};

const fmt = formatMetricValue;

function download(name: string, href: string) {
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  a.click();
}

/** The run of a group closest to a value of it (its median, min or max), for links from the table. */
function runNear(g: GroupStats, value: number | null): number | null {
  if (value === null || g.values.length === 0) return null;
  let best = 0;
  for (let i = 1; i < g.values.length; i += 1) if (Math.abs((g.values[i] ?? 0) - value) < Math.abs((g.values[best] ?? 0) - value)) best = i;
  return g.runIds[best] ?? null;
}

function CompareChart({ result, resultId, chartType, onOpenRun }: { result: CompareResult; resultId: number; chartType: CompareChartType; onOpenRun: (runId: number) => void }) {
  const [renderMs, setRenderMs] = useState<number | null>(null);
  const [firstPaintMs, setFirstPaintMs] = useState<number | null>(null);
  const [zoomMs, setZoomMs] = useState<{ input: number; event: number } | null>(null);
  const [drawn, setDrawn] = useState<{ counts: DrawnCounts; resultId: number; markerPx: string; pointPx: string } | null>(null);
  const histogram = useMemo(() => {
    if (chartType !== 'histogram') return null;
    const sets = histogramSets(result);
    return { bins: sharedHistogram(sets.map((set) => set.values), displayScale(result.metric).factor), labels: sets.map((set) => set.label) };
  }, [result, chartType]);
  const lines = !histogram && result.view !== 'groups';
  const option = useMemo(
    () => (histogram ? histogramOption(result, histogram.bins, histogram.labels) : result.view === 'groups' ? groupsOption(result) : seriesOption(result, chartType === 'side-by-side' ? 'side-by-side' : 'overlay')),
    [result, histogram, chartType],
  );
  const { ref, chart } = useEChart(option, {
    notMerge: true,
    onRendered: (ms) => {
      setRenderMs(ms);
      const requestedAt = useCompare.getState().requestedAt;
      if (requestedAt !== null) setFirstPaintMs(performance.now() - requestedAt);
      // What the chart holds now, not what was asked for: a series or mark the builder dropped shows here.
      const instance = chart.current;
      if (!instance) return;
      // Where the route marks and the first series' middle point landed, for whoever drives the page (tests, tours).
      const px = (seriesId: string, point: [number, number]) => {
        const at = instance.convertToPixel({ seriesId }, point) as unknown;
        return Array.isArray(at) ? at.map((v) => Math.round(Number(v))).join(',') : '';
      };
      const first = lines ? result.series[0] : undefined;
      const mid = first ? Math.floor(first.x.length / 2) : 0;
      const factor = displayScale(result.metric).factor;
      setDrawn({
        counts: drawnCounts(instance.getOption() as Parameters<typeof drawnCounts>[0]),
        resultId,
        markerPx: lines ? result.markers.map((m) => px(m.seriesId, [m.x, 0])).join(' ') : '',
        pointPx: first && first.x.length ? `${px(first.id, [first.x[mid] ?? 0, (first.y[mid] ?? 0) * factor])} ${first.runIds[mid] ?? ''}` : '',
      });
    },
    onZoomRendered: (input, event) => setZoomMs({ input, event }),
    onClick: (params) => {
      if (lines) return;
      const data = params.data as { runId?: number } | undefined;
      if (data?.runId) onOpenRun(data.runId);
    },
    onCanvasClick: (pixel) => {
      const instance = chart.current;
      if (!lines || !instance) return;
      // Only inside a plot: a click on the legend or the zoom slider is not a click on a point.
      const grids = (option as { grid?: unknown[] }).grid?.length ?? 1;
      if (!Array.from({ length: grids }, (_, gridIndex) => instance.containPixel({ gridIndex }, pixel)).some(Boolean)) return;
      const toPixel = (seriesId: string, point: [number, number]) => {
        const at = instance.convertToPixel({ seriesId }, point) as unknown;
        return Array.isArray(at) ? (at as [number, number]) : null;
      };
      const toDataX = (seriesId: string, at: [number, number]) => {
        const data = instance.convertFromPixel({ seriesId }, at) as unknown;
        return Array.isArray(data) ? Number(data[0]) : null;
      };
      const runId = runAtClick(result, pixel, toPixel, toDataX);
      if (runId !== null) onOpenRun(runId);
    },
  });
  const current = drawn?.resultId === resultId ? drawn.counts : null;
  return (
    <>
      <div className="actions">
        <button type="button" name="export-png" onClick={() => chart.current && download(`compare-${result.view}.png`, chart.current.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#fff' }))}>
          Export PNG
        </button>
        <button type="button" name="export-csv" onClick={() => download(`compare-${result.view}.csv`, URL.createObjectURL(new Blob([compareToCsv(result)], { type: 'text/csv' })))}>
          Export CSV
        </button>
        <span className="muted">{renderMs !== null ? `drawn in ${renderMs.toFixed(0)} ms` : ''}</span>
      </div>
      <div
        className="chart tall"
        ref={ref}
        data-testid="compare-chart"
        data-result-id={resultId}
        data-view={result.view}
        data-chart={histogram ? 'histogram' : result.view === 'groups' ? 'boxplot' : 'lines'}
        data-layout={lines && current ? (current.grids > 1 ? 'side-by-side' : 'overlay') : ''}
        data-metric={result.metric}
        data-bins={histogram?.bins.bins ?? ''}
        data-groups={result.groups.length}
        data-series={current?.series ?? ''}
        data-points={current?.points ?? ''}
        data-markers={current?.markers ?? ''}
        data-ceilings={current?.ceilings ?? ''}
        data-grids={current?.grids ?? ''}
        data-marker-px={current ? drawn?.markerPx : ''}
        data-point-px={current ? drawn?.pointPx : ''}
        data-render-ms={current ? (renderMs ?? '') : ''}
        data-first-paint-ms={firstPaintMs ?? ''}
        data-zoom-ms={zoomMs?.input ?? ''}
        data-zoom-event-ms={zoomMs?.event ?? ''}
      />
    </>
  );
}

export function CompareView() {
  const { form, result, loading, error, fetchMs, resultId } = useCompare();
  const { setForm, run } = useCompare.getState();
  const openRun = useRuns((s) => s.select);
  const show = useUi((s) => s.show);
  const open = (runId: number) => void openRun(runId).then(() => show('measure'));
  const hostsField = form.mode === 'timeline' || form.mode === 'before-after' || form.mode === 'families';

  return (
    <section className="panel compare-view" aria-label="Compare">
      <div className="row">
        <label>
          Compare
          <select name="compare-mode" value={form.mode} onChange={(e) => setForm({ mode: e.target.value as CompareMode })}>
            {MODES.map(([m, label]) => (
              <option key={m} value={m}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Runs of
          <select name="compare-kind" value={form.kind} onChange={(e) => setForm({ kind: e.target.value as RunKind })}>
            {COMPARABLE_KINDS.map((k) => (
              <option key={k} value={k}>
                {KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Metric
          <select name="compare-metric" value={form.metric} onChange={(e) => setForm({ metric: e.target.value as Metric })}>
            {metricChoices(form).map((m) => (
              <option key={m} value={m}>
                {metricLabel(m, form.kind)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Draw
          <select name="compare-chart" value={form.chart} onChange={(e) => setForm({ chart: e.target.value as CompareChartType })}>
            <option value="chart">{form.mode === 'runs' || form.mode === 'timeline' ? 'Lines, overlaid' : 'Box plots'}</option>
            {(form.mode === 'runs' || form.mode === 'timeline') && <option value="side-by-side">Lines, side by side</option>}
            <option value="histogram">Histogram</option>
          </select>
        </label>
        {form.mode === 'runs' && (
          <label>
            Run ids
            <input name="compare-runs" value={form.runIds} onChange={(e) => setForm({ runIds: e.target.value })} placeholder="12 15 18" />
          </label>
        )}
        {hostsField && (
          <label>
            {form.mode === 'timeline' ? 'Hosts' : 'Host'}
            <input name="compare-hosts" value={form.hosts} onChange={(e) => setForm({ hosts: e.target.value })} placeholder="ps.example.net" />
          </label>
        )}
        {form.mode === 'before-after' && (
          <label>
            Change at
            <input name="compare-at" type="datetime-local" value={form.at} onChange={(e) => setForm({ at: e.target.value })} />
          </label>
        )}
        {form.mode === 'tags' && (
          <label>
            Tags
            <input name="compare-tags" value={form.tags} onChange={(e) => setForm({ tags: e.target.value })} placeholder="before-tuning after-tuning" />
          </label>
        )}
        {form.mode !== 'runs' && form.mode !== 'tags' && (
          <label>
            Since
            <input name="compare-since" type="date" value={form.since} onChange={(e) => setForm({ since: e.target.value })} />
          </label>
        )}
        <div className="actions">
          <button type="submit" name="compare-show" disabled={loading} onClick={() => void run()}>
            Show
          </button>
        </div>
      </div>
      {error && (
        <p className="problem" role="alert">
          {error}
        </p>
      )}
      {result && (
        <>
          <p className="muted" data-testid="compare-summary">
            {[
              ...result.series.map((s) => `${s.label}: ${s.total} point(s)${s.total > s.x.length ? `, ${s.x.length} drawn` : ''}`),
              ...(result.markers.length ? [`${result.markers.length} route change(s)`] : []),
              ...(fetchMs !== null ? [`data in ${fetchMs.toFixed(0)} ms`] : []),
            ].join(' · ')}
          </p>
          {result.difference && (
            <p className={`verdict-line ${result.difference.beyondNoise ? 'significant' : 'noise'}`} data-testid="compare-difference" data-beyond-noise={result.difference.beyondNoise ? 'yes' : 'no'}>
              {result.difference.explanation}
            </p>
          )}
          <CompareChart key={form.chart} result={result} resultId={resultId} chartType={form.chart} onOpenRun={open} />
          {result.groups.length > 0 && (
            <table className="runs-table">
              <thead>
                <tr>
                  <th>Group</th>
                  <th>Runs</th>
                  <th>Median</th>
                  <th>p25 – p75</th>
                  <th>p5 – p95</th>
                  <th>Mean</th>
                  <th>Open run</th>
                </tr>
              </thead>
              <tbody>
                {result.groups.map((g) => (
                  <tr key={g.label} data-group={g.label}>
                    <td>{g.label}</td>
                    <td>{g.n}</td>
                    <td className="num">{fmt(result.metric, g.median)}</td>
                    <td className="num">
                      {fmt(result.metric, g.p25)} – {fmt(result.metric, g.p75)}
                    </td>
                    <td className="num">
                      {fmt(result.metric, g.p5)} – {fmt(result.metric, g.p95)}
                    </td>
                    <td className="num">{fmt(result.metric, g.mean)}</td>
                    <td>
                      {(
                        [
                          ['min', g.min],
                          ['median', g.median],
                          ['max', g.max],
                        ] as const
                      ).map(([which, value]) => {
                        const runId = runNear(g, value);
                        return runId === null ? null : (
                          <span key={which}>
                            {which !== 'min' && ' · '}
                            <button type="button" className="link" name="open-run" data-which={which} data-run-id={runId} onClick={() => open(runId)}>
                              {which}
                            </button>
                          </span>
                        );
                      })}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
