import { useMemo } from 'react';
import type { RttSummary, TraceSummary } from '../../../../electron/shared/path.ts';
import type { RunDetail } from '../../../../electron/shared/runs.ts';
import { rttCounts } from '../../charts/options/pathRtt.ts';
import { openPathHistory } from '../../store/paths.ts';
import { LIVE_REPLY_LIMIT, type LiveRun } from '../../store/runs.ts';
import { formatMs, formatPercent } from './format.ts';
import { HopTable } from './HopTable.tsx';
import { MtuProbes, MtuVerdict } from './MtuSearch.tsx';
import { RttChart } from './RttChart.tsx';
import { Stat } from '../run/Stat.tsx';

/** The kinds this feature draws. */
export const PATH_KINDS = ['trace', 'rtt', 'mtu'] as const;
export const isPathKind = (kind: string | null | undefined): boolean => (PATH_KINDS as readonly string[]).includes(kind ?? '');

function TraceStats({ t }: { t: TraceSummary }) {
  return (
    <div className="stats" data-testid="trace-summary" data-reached={t.reached ? 'yes' : 'no'} data-loss-starts={t.lossStartsAtTtl ?? ''}>
      <Stat label="Tool" value={`${t.tool} ${t.method.toUpperCase()}${t.paris ? ' · Paris' : ''}`} />
      <Stat label="Destination" value={t.reached ? `reached at hop ${t.destinationTtl ?? t.hopCount}` : 'not reached'} tone={t.reached ? 'ok' : 'bad'} />
      <Stat label="Loss at destination" value={formatPercent(t.destinationLossPercent)} tone={(t.destinationLossPercent ?? 0) > 0.5 ? 'bad' : undefined} />
      <Stat label="Forwarding loss starts" value={t.lossStartsAtTtl !== null ? `hop ${t.lossStartsAtTtl}` : 'nowhere'} tone={t.lossStartsAtTtl !== null ? 'bad' : 'ok'} />
      <Stat label="Rate-limited (not loss)" value={t.rateLimitedTtls.length ? `hop ${t.rateLimitedTtls.join(', ')}` : 'none'} tone="muted" />
      <Stat label="Path MTU" value={t.pathMtu !== null ? `${t.pathMtu} B` : '—'} tone={t.mtuDrops.length ? 'bad' : undefined} />
      <Stat label="Path" value={`IPv${t.family ?? '?'} ${t.targetAddress ?? ''} · ${t.hopCount} hop(s)`} />
    </div>
  );
}

function RttStats({ r }: { r: RttSummary }) {
  return (
    <div className="stats" data-testid="rtt-summary">
      <Stat label="Sent / received" value={`${r.sent} / ${r.received}${r.duplicates ? ` (+${r.duplicates} dup)` : ''}`} />
      <Stat label="Loss" value={formatPercent(r.lossPercent)} tone={(r.lossPercent ?? 0) > 0 ? 'bad' : 'ok'} />
      <Stat label="RTT min / avg / max" value={`${formatMs(r.minMs)} / ${formatMs(r.avgMs)} / ${formatMs(r.maxMs)}`} />
      <Stat label="Median / p95" value={`${formatMs(r.p50Ms)} / ${formatMs(r.p95Ms)}`} />
      <Stat label="Jitter (stdev)" value={formatMs(r.stdevMs)} />
      <Stat label="Path" value={`IPv${r.family ?? '?'} ${r.targetAddress ?? ''}${r.ttl !== null ? ` · TTL ${r.ttl}` : ''}`} />
      {r.errors > 0 && <Stat label="Errors" value={String(r.errors)} tone="bad" />}
    </div>
  );
}

function Problems({ items }: { items: readonly string[] }) {
  if (items.length === 0) return null;
  return (
    <ul className="path-notes" data-testid="path-notes">
      {items.map((p, i) => (
        <li key={i}>{p}</li>
      ))}
    </ul>
  );
}

function HistoryLink({ host }: { host: string }) {
  return (
    <div className="actions">
      <button type="button" name="open-path-history" onClick={() => openPathHistory(host)}>
        Path history for {host}
      </button>
    </div>
  );
}

/** A stored trace, rtt or mtu run: summary, hops / RTT chart / size search. Null for other kinds. */
export function PathRunDetail({ run }: { run: RunDetail }) {
  const data = run.data;
  const mtuHops = data?.kind === 'mtu' ? data.hops : null;
  const mtuAssessment = data?.kind === 'mtu' ? data.assessment : null;

  if (run.kind === 'trace') {
    const t = run.trace;
    const hops = data?.kind === 'trace' ? data : null;
    return (
      <div className="path-run" data-kind="trace">
        {t && <TraceStats t={t} />}
        {hops && hops.hops.length > 0 && <HopTable hops={hops.hops} assessment={hops.assessment} drops={t?.mtuDrops ?? []} reached={t?.reached ?? hops.hops.some((h) => h.reached)} />}
        {t && <Problems items={t.problems} />}
        <HistoryLink host={run.target.host} />
      </div>
    );
  }
  if (run.kind === 'rtt') {
    const r = run.rtt;
    const replies = data?.kind === 'rtt' ? data.replies : [];
    return (
      <div className="path-run" data-kind="rtt">
        {r && <RttStats r={r} />}
        {replies.length > 0 && <RttChart replies={replies} live={false} p50Ms={r?.p50Ms ?? null} p95Ms={r?.p95Ms ?? null} />}
        {r && <Problems items={r.problems} />}
      </div>
    );
  }
  if (run.kind === 'mtu') {
    const m = run.mtu;
    return (
      <div className="path-run" data-kind="mtu">
        {m && <MtuVerdict summary={m} />}
        {mtuHops && mtuHops.length > 0 && (
          <>
            <h3>Per hop (tracepath)</h3>
            <HopTable hops={mtuHops} assessment={mtuAssessment} drops={m?.drops ?? []} reached={mtuHops.some((h) => h.reached)} />
          </>
        )}
        {data?.kind === 'mtu' && data.probes.length > 0 && (
          <>
            <h3>Don't-Fragment size search</h3>
            <MtuProbes probes={data.probes} />
          </>
        )}
        {m && <Problems items={m.problems} />}
        <HistoryLink host={run.target.host} />
      </div>
    );
  }
  return null;
}

/** A trace, rtt or mtu run in flight: hops, replies and probes as the events bring them. */
export function PathLive({ live }: { live: LiveRun }) {
  if (live.kind === 'trace') {
    return (
      <div className="path-run" data-kind="trace">
        <p className="muted" data-testid="live-hops">
          {live.hops.length} hop(s) so far; loss is read once the trace ends.
        </p>
        <HopTable hops={live.hops} assessment={null} drops={[]} reached={null} live />
      </div>
    );
  }
  if (live.kind === 'rtt') {
    const c = rttCounts(live.replies);
    return (
      <div className="path-run" data-kind="rtt">
        <p className="muted" data-testid="live-replies">
          {c.replies} repl{c.replies === 1 ? 'y' : 'ies'}, {c.lost} lost{live.replies.length >= LIVE_REPLY_LIMIT ? ` (latest ${LIVE_REPLY_LIMIT} shown)` : ''}
        </p>
        <RttChart replies={live.replies} live />
      </div>
    );
  }
  if (live.kind === 'mtu') {
    return (
      <div className="path-run" data-kind="mtu">
        <p className="muted">tracepath first, then a Don't-Fragment size search.</p>
        <MtuProbes probes={live.probes} live />
      </div>
    );
  }
  return null;
}
