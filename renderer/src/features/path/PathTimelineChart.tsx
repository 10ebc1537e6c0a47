import { useMemo, useState } from 'react';
import { pathTimelineCsv, pathTimelineOption, type PathTimelineModel } from '../../charts/options/pathTimeline.ts';
import { useEChart } from '../../charts/useEChart.ts';

function download(name: string, href: string) {
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  a.click();
}

/** The path over time with per-hop loss; clicking a cell or a route-change marker opens that run. */
export function PathTimelineChart({ model, resultId, onOpenRun }: { model: PathTimelineModel; resultId: number; onOpenRun: (runId: number) => void }) {
  const [renderMs, setRenderMs] = useState<number | null>(null);
  const option = useMemo(() => pathTimelineOption(model), [model]);
  const { ref, chart } = useEChart(option, {
    notMerge: true,
    onRendered: setRenderMs,
    onClick: (params) => {
      const data = params.data as { runId?: number | null } | undefined;
      if (data?.runId) onOpenRun(data.runId);
    },
  });
  const c = model.counts;
  const height = Math.min(640, Math.max(260, 120 + model.maxTtl * 26));
  return (
    <>
      <div className="actions">
        <button type="button" name="path-export-png" onClick={() => chart.current && download('path-over-time.png', chart.current.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#fff' }))}>
          Export PNG
        </button>
        <button type="button" name="path-export-csv" onClick={() => download('path-over-time.csv', URL.createObjectURL(new Blob([pathTimelineCsv(model)], { type: 'text/csv' })))}>
          Export CSV
        </button>
      </div>
      <div
        className="chart path-timeline"
        style={{ height }}
        ref={ref}
        data-testid="path-timeline"
        data-result-id={resultId}
        data-columns={model.columns.length}
        data-rows={model.maxTtl}
        data-cells={model.cells.length}
        data-markers={model.changes.length}
        data-forwarding={c.forwardingLoss}
        data-rate-limited={c.icmpRateLimited}
        data-silent={c.noReply}
        data-unverified={c.unverified}
        data-loss-starts={model.cells.filter((x) => x.lossStartsHere).length}
        data-changed-cells={model.cells.filter((x) => x.changed).length}
        data-render-ms={renderMs ?? ''}
      />
    </>
  );
}
