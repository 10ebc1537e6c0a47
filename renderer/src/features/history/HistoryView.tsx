import { useEffect, useState } from 'react';
import { RUN_KINDS, RUN_STATUSES } from '../../../../electron/shared/runs.ts';
import { formatTarget } from '../../../../electron/shared/target.ts';
import { useHistory } from '../../store/history.ts';
import { useRuns } from '../../store/runs.ts';
import { useCompare } from '../../store/compare.ts';
import { useUi } from '../../store/ui.ts';
import { KIND_LABELS, kindLabel, runResultText } from './runResult.ts';


export function HistoryView() {
  const { filter, runs, hasMore, selected, loading, error } = useHistory();
  const { setFilter, load, loadMore, toggle, tagSelected, untagSelected, removeTag, deleteSelected } = useHistory.getState();
  const openRun = useRuns((s) => s.select);
  const show = useUi((s) => s.show);
  const [tag, setTag] = useState('');
  const compareSelected = () => {
    useCompare.getState().setForm({ mode: 'runs', runIds: selected.join(' ') });
    void useCompare.getState().run();
    show('compare');
  };

  useEffect(() => {
    void load();
  }, [load, filter]);

  return (
    <section className="panel history-view" aria-label="Run history">
      <div className="filters row">
        <label>
          Target
          <input name="filter-host" value={filter.host} onChange={(e) => setFilter({ host: e.target.value })} placeholder="host" />
        </label>
        <label>
          Method
          <select name="filter-kind" value={filter.kind} onChange={(e) => setFilter({ kind: e.target.value })}>
            <option value="">all</option>
            {RUN_KINDS.map((k) => (
              <option key={k} value={k}>
                {KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Status
          <select name="filter-status" value={filter.status} onChange={(e) => setFilter({ status: e.target.value })}>
            <option value="">all</option>
            {RUN_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          IP
          <select name="filter-family" value={filter.family} onChange={(e) => setFilter({ family: e.target.value })}>
            <option value="">any</option>
            <option value="4">IPv4</option>
            <option value="6">IPv6</option>
          </select>
        </label>
        <label>
          Path
          <input name="filter-fingerprint" value={filter.fingerprint} onChange={(e) => setFilter({ fingerprint: e.target.value })} placeholder="fingerprint" />
        </label>
        <label>
          Since
          <input name="filter-since" type="date" value={filter.since} onChange={(e) => setFilter({ since: e.target.value })} />
        </label>
        <label>
          Until
          <input name="filter-until" type="date" value={filter.until} onChange={(e) => setFilter({ until: e.target.value })} />
        </label>
        <label>
          Tag
          <input name="filter-tag" value={filter.tag} onChange={(e) => setFilter({ tag: e.target.value })} />
        </label>
      </div>
      <div className="actions">
        <span className="muted">{loading ? 'Loading…' : `${runs.length}${hasMore ? '+' : ''} run(s), ${selected.length} selected`}</span>
        <button type="button" name="compare-selected" disabled={selected.length < 1 || selected.length > 8} onClick={compareSelected}>
          Compare selected
        </button>
        <input name="tag" placeholder="tag" value={tag} onChange={(e) => setTag(e.target.value)} />
        <button type="button" name="tag-selected" disabled={!selected.length || !tag.trim()} onClick={() => void tagSelected(tag).then(() => setTag(''))}>
          Tag
        </button>
        <button type="button" name="untag-selected" disabled={!selected.length || !tag.trim()} onClick={() => void untagSelected(tag).then(() => setTag(''))}>
          Untag
        </button>
        <button type="button" name="delete-selected" disabled={!selected.length} onClick={() => window.confirm(`Delete ${selected.length} run(s)?`) && void deleteSelected()}>
          Delete
        </button>
      </div>
      {error && <p className="problem">{error}</p>}
      <table className="runs-table">
        <thead>
          <tr>
            <th />
            <th>Run</th>
            <th>When</th>
            <th>Method</th>
            <th>Target</th>
            <th>IP</th>
            <th>Status</th>
            <th>Result</th>
            <th>Path</th>
            <th>Tags</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => (
            <tr key={run.id} data-run-id={run.id} className={selected.includes(run.id) ? 'selected' : ''}>
              <td>
                <input type="checkbox" aria-label={`select run ${run.id}`} checked={selected.includes(run.id)} onChange={() => toggle(run.id)} />
              </td>
              <td>
                <button type="button" className="link" onClick={() => void openRun(run.id).then(() => show('measure'))}>
                  {run.id}
                </button>
              </td>
              <td>{new Date(run.createdAt).toLocaleString()}</td>
              <td data-kind={run.kind}>{kindLabel(run)}</td>
              <td>{formatTarget(run.target)}</td>
              <td>{run.family ? `v${run.family}` : '—'}</td>
              <td>
                <span className={`badge ${run.status}`}>{run.status}</span>
              </td>
              <td className="num" data-testid="run-result">{runResultText(run)}</td>
              <td>
                {run.pathFingerprint ? (
                  <button type="button" className="link" name="filter-by-path" title={`runs over path ${run.pathFingerprint}`} onClick={() => setFilter({ fingerprint: run.pathFingerprint ?? '' })}>
                    {run.pathFingerprint.slice(0, 8)}
                  </button>
                ) : (
                  '—'
                )}
              </td>
              <td className="tags">
                {run.tags.map((t) => (
                  <span key={t} className="tag" data-tag={t}>
                    {t}
                    <button type="button" className="link" name="remove-tag" aria-label={`remove tag ${t} from run ${run.id}`} onClick={() => void removeTag(run.id, t)}>
                      ×
                    </button>{' '}
                  </span>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {hasMore && (
        <button type="button" name="load-more" disabled={loading} onClick={() => void loadMore()}>
          Load older runs
        </button>
      )}
    </section>
  );
}
