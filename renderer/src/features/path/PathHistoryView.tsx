import { useMemo } from 'react';
import type { PathHistoryResult } from '../../../../electron/shared/path.ts';
import { pathTimelineModel } from '../../charts/options/pathTimeline.ts';
import { openRun, pathTargets, usePaths } from '../../store/paths.ts';
import { useRuns } from '../../store/runs.ts';
import { PathTimelineChart } from './PathTimelineChart.tsx';
import { changedHops, describeDiff, describeHopChange, routeLetters } from './routes.ts';

const when = (at: number) => new Date(at).toLocaleString();

function RunLink({ runId, label }: { runId: number | null; label?: string }) {
  if (runId === null) return <span className="muted">—</span>;
  return (
    <button type="button" className="link" name="open-run" data-run-id={runId} onClick={() => openRun(runId)}>
      {label ?? `run ${runId}`}
    </button>
  );
}

/** What the chart's own legend cannot say: the cell outlines. */
function Legend() {
  return (
    <ul className="loss-legend">
      <li>
        <span className="swatch changed" /> hop changed by a route change (◆ first changed hop)
      </li>
      <li>
        <span className="swatch start" /> ▶ forwarding loss starts at this hop
      </li>
      <li>Grey and pale cells are not loss: ICMP rate limiting, silent routers. Click a cell to open its run.</li>
    </ul>
  );
}

/** IPv4 and IPv6 routes are separate series: one at a time, never diffed against each other. */
function FamilySwitch({ result }: { result: PathHistoryResult }) {
  const families = result.families ?? [];
  if (families.length < 2 && !result.family) return null;
  return (
    <p className="row" role="group" aria-label="Address family" data-testid="paths-family" data-family={result.family ?? ''}>
      {families.length < 2 ? (
        <span className="muted">IPv{result.family} route</span>
      ) : (
        families.map((f) => (
          <button key={f} type="button" name={`paths-family-${f}`} aria-pressed={result.family === f} disabled={result.family === f} onClick={() => void usePaths.getState().load(usePaths.getState().loadedHost ?? undefined, f)}>
            IPv{f} route
          </button>
        ))
      )}
    </p>
  );
}

function HistoryBody({ result, resultId }: { result: PathHistoryResult; resultId: number }) {
  const model = useMemo(() => pathTimelineModel(result), [result]);
  const letters = useMemo(() => routeLetters(result.history.segments), [result]);
  const { history } = result;
  const runs = [...result.runs].sort((a, b) => b.at - a.at);
  const segmentOf = new Map(model.columns.map((c) => [c.runId, c.segment]));
  if (result.runs.length === 0) return <p className="muted" data-testid="paths-empty">No traces to this target yet. Run a trace first (the tracepath of an MTU check is not a route record).</p>;
  return (
    <>
      <FamilySwitch result={result} />
      <p className="muted" data-testid="paths-summary" data-runs={result.runs.length} data-distinct={history.distinctPaths} data-changes={history.changes.length} data-segments={history.segments.length}>
        {result.runs.length} trace(s) · <strong>{history.distinctPaths} distinct path(s)</strong> · {history.changes.length} route change(s)
        {history.distinctPaths >= 2 && <span className="badge cancelled"> the path is not stable</span>}
      </p>

      <section aria-label="Path over time">
        <h3>Path over time, per-hop loss</h3>
        <PathTimelineChart model={model} resultId={resultId} onOpenRun={openRun} />
        <Legend />
      </section>

      <section aria-label="Route changes">
        <h3>Changes</h3>
        {history.changes.length === 0 ? (
          <p className="muted">The path did not change (silent "*" hops never count as a change).</p>
        ) : (
          <ol className="path-changes">
            {history.changes.map((c, i) => {
              const hops = changedHops(c.diff);
              return (
                <li key={`${c.runId}-${i}`} data-testid="path-change" data-run-id={c.runId ?? ''} data-kind={c.diff.kind} data-ttls={hops.map((h) => h.ttl).join(',')}>
                  <div>
                    <strong>{when(c.at)}</strong> · {describeDiff(c.diff)} · <RunLink runId={c.previousRunId} label={`before: run ${c.previousRunId ?? '?'}`} /> →{' '}
                    <RunLink runId={c.runId} label={`after: run ${c.runId ?? '?'}`} />
                  </div>
                  <ul className="hop-changes">
                    {hops.map((h) => (
                      <li key={h.ttl} data-ttl={h.ttl} data-status={h.status}>
                        {describeHopChange(h)}
                      </li>
                    ))}
                  </ul>
                </li>
              );
            })}
          </ol>
        )}
      </section>

      <section aria-label="Distinct paths">
        <h3>Paths (consecutive runs on one route)</h3>
        <table className="runs-table" data-testid="path-segments">
          <thead>
            <tr>
              <th>Route</th>
              <th>Hops</th>
              <th>First seen</th>
              <th>Last seen</th>
              <th className="num">Runs</th>
            </tr>
          </thead>
          <tbody>
            {history.segments.map((s, i) => (
              <tr key={`${s.fingerprint}-${i}`} data-segment={i} data-route={letters[i]}>
                <td>
                  <span className="route-letter">{letters[i]}</span>
                </td>
                <td>
                  <code className="path-key">{s.key}</code>
                </td>
                <td>
                  {when(s.firstAt)} <RunLink runId={s.firstRunId} />
                </td>
                <td>
                  {when(s.lastAt)} <RunLink runId={s.lastRunId} />
                </td>
                <td className="num">{s.runs}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section aria-label="Runs">
        <h3>Runs</h3>
        <table className="runs-table" data-testid="path-runs">
          <thead>
            <tr>
              <th>When</th>
              <th>Run</th>
              <th>Route</th>
              <th className="num">Hops</th>
              <th>Destination</th>
              <th>Fingerprint</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr key={r.runId} data-run-id={r.runId}>
                <td>{when(r.at)}</td>
                <td>
                  <RunLink runId={r.runId} />
                </td>
                <td>
                  <span className="route-letter">{letters[segmentOf.get(r.runId) ?? 0] ?? '?'}</span>
                </td>
                <td className="num">{r.hops.length}</td>
                <td>{r.reached ? 'reached' : <span className="problem">not reached</span>}</td>
                <td>
                  <code>{r.fingerprint}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}

/** Paths to one target over time: the runs, the distinct paths, each change and the loss per hop. */
export function PathHistoryView() {
  const { host, limit, loadedHost, result, loading, error, resultId } = usePaths();
  const { setHost, setLimit, load } = usePaths.getState();
  const history = useRuns((s) => s.history);
  const targets = useMemo(() => pathTargets(history), [history]);

  return (
    <section className="panel path-history" aria-label="Path history">
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          void load();
        }}
      >
        <label>
          Target
          <input name="paths-host" list="path-targets" value={host} onChange={(e) => setHost(e.target.value)} placeholder="ps.example.net" />
          <datalist id="path-targets">
            {targets.map((t) => (
              <option key={t} value={t} />
            ))}
          </datalist>
        </label>
        <label className="narrow">
          Latest
          <select name="paths-limit" value={limit} onChange={(e) => setLimit(Number(e.target.value))}>
            {[50, 200, 1000, 2000].map((n) => (
              <option key={n} value={n}>
                {n} traces
              </option>
            ))}
          </select>
        </label>
        <div className="actions">
          <button type="submit" name="paths-show" disabled={loading}>
            Show
          </button>
        </div>
      </form>
      {targets.length > 0 && !result && (
        <p className="muted">
          Targets with traces:{' '}
          {targets.slice(0, 12).map((t) => (
            <button key={t} type="button" className="link path-target" onClick={() => void load(t)}>
              {t}
            </button>
          ))}
        </p>
      )}
      {error && (
        <p className="problem" role="alert">
          {error}
        </p>
      )}
      {result && (
        <>
          <h2 data-testid="paths-host">Paths to {loadedHost}</h2>
          <HistoryBody key={resultId} result={result} resultId={resultId} />
        </>
      )}
    </section>
  );
}
