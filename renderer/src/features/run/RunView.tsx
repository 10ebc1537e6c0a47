import type { RunDetail } from '../../../../electron/shared/runs.ts';
import { formatTarget } from '../../../../electron/shared/target.ts';
import { formatBitrate, formatBytes, formatRttMicros } from '../../../../electron/shared/units.ts';
import { runsSelectors, useRuns } from '../../store/runs.ts';
import { Stat } from './Stat.tsx';
import { ThroughputChart } from './ThroughputChart.tsx';
import { isPathKind, PathLive, PathRunDetail } from '../path/PathRunView.tsx';
import { isOnewayKind } from '../latency/format.ts';
import { OnewayLive, OnewayRunDetail } from '../latency/OnewayRunView.tsx';

function Summary({ run }: { run: RunDetail }) {
  const t = run.throughput;
  if (!t) return null;
  const rate = t.reverse ? t.receivedBitsPerSecond : t.sentBitsPerSecond;
  return (
    <div className="stats" data-testid="run-summary">
      <Stat label="Throughput" value={formatBitrate(rate)} />
      {t.protocol === 'tcp' && <Stat label="Retransmits" value={String(t.retransmits ?? '—')} />}
      {t.protocol === 'tcp' && <Stat label="RTT (mean / min)" value={`${formatRttMicros(t.meanRtt)} / ${formatRttMicros(t.minRtt)}`} />}
      {t.protocol === 'tcp' && <Stat label="Max cwnd" value={formatBytes(t.maxCwnd)} />}
      {t.protocol === 'udp' && <Stat label="Loss" value={t.lostPercent === null ? '—' : `${t.lostPercent.toFixed(2)} %`} />}
      {t.protocol === 'udp' && <Stat label="Jitter" value={t.jitterMs === null ? '—' : `${t.jitterMs.toFixed(3)} ms`} />}
      <Stat label="Path" value={`IPv${t.family ?? '?'} ${t.remoteAddress ?? ''}`} />
      <Stat label="CPU local / remote" value={`${t.localCpuPercent?.toFixed(0) ?? '—'} % / ${t.remoteCpuPercent?.toFixed(0) ?? '—'} %`} />
    </div>
  );
}

export function RunView() {
  const selectedId = useRuns((s) => s.selectedId);
  const detail = useRuns((s) => s.detail);
  const live = useRuns(runsSelectors.selectedLive);
  const liveHost = useRuns((s) => (live ? (s.history.find((r) => r.id === live.runId)?.target.host ?? null) : null));

  if (selectedId === null) {
    return (
      <section className="panel run-view empty">
        <p>Start a measurement or pick a run from the history.</p>
      </section>
    );
  }
  if (live) {
    return (
      <section className="panel run-view" data-run-id={selectedId} data-status={live.status} data-kind={live.kind ?? ''}>
        <header>
          <h2>Run {selectedId}</h2>
          <span className={`badge ${live.status}`}>{live.status}</span>
          <progress max={1} value={live.fraction ?? undefined} />
          <span className="muted">{live.elapsed.toFixed(0)} s{live.provisional ? ' · live values sampled from the socket' : ''}</span>
          {live.note && (
            <span className="badge queued" data-testid="run-note">
              {live.note}
            </span>
          )}
        </header>
        {isPathKind(live.kind) ? <PathLive live={live} /> : isOnewayKind(live.kind) ? <OnewayLive live={live} host={liveHost} /> : <ThroughputChart series={live.series} live />}
      </section>
    );
  }
  if (!detail || detail.id !== selectedId) {
    return (
      <section className="panel run-view" data-run-id={selectedId}>
        <p className="muted">Loading run {selectedId}…</p>
      </section>
    );
  }
  return (
    <section className="panel run-view" data-run-id={detail.id} data-status={detail.status} data-kind={detail.kind}>
      <header>
        <h2>
          Run {detail.id} · {formatTarget(detail.target)}
        </h2>
        <span className={`badge ${detail.status}`}>{detail.status}</span>
        <span className="muted">
          {new Date(detail.createdAt).toLocaleString()} · {detail.tool ?? '—'} {detail.toolVersion ?? ''}
        </span>
      </header>
      {detail.error && (
        <p className="problem" role="alert" data-testid="run-error">
          {detail.error.code}: {detail.error.message}
        </p>
      )}
      <Summary run={detail} />
      {isPathKind(detail.kind) && <PathRunDetail run={detail} />}
      {isOnewayKind(detail.kind) && <OnewayRunDetail run={detail} />}
      {detail.data?.kind === 'throughput' && detail.data.series.end.length > 0 && <ThroughputChart series={detail.data.series} live={false} />}
      <details className="raw">
        <summary>Raw tool output</summary>
        {detail.command && <code className="command">{detail.command.join(' ')}</code>}
        <pre>{detail.raw?.stdout || '(empty)'}</pre>
        {detail.raw?.stderr && <pre className="stderr">{detail.raw.stderr}</pre>}
      </details>
    </section>
  );
}
