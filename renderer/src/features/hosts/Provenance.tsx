import type { DiscoveryCacheStatus, HostSearchResult } from '../../../../electron/shared/hosts.ts';
import type { RefreshReport } from '../../store/hosts.ts';
import { answerHeadline, dropSummary, formatAge, sourceLines } from './format.ts';

const STATE_LABEL = { answered: 'answered', 'cache-after-failure': 'failed · cache used', failed: 'failed', cache: 'cache', bootstrap: 'bootstrap' } as const;

/** Where the answer came from: which Lookup Services answered or failed (and why), what was dropped, how old it is. */
export function Provenance({ result, cache, fetchMs, mode }: { result: HostSearchResult; cache: DiscoveryCacheStatus | null; fetchMs: number | null; mode: string | null }) {
  const now = Date.now();
  const lines = sourceLines(result.sources, now, cache?.sources ?? []);
  const drops = dropSummary(result.sources, result.dropped);
  return (
    <div className="provenance" data-testid="hosts-provenance" data-from-cache={result.fromCache ? 'yes' : 'no'}>
      <p className={`headline${result.fromCache ? ' cached' : ''}`} data-testid="hosts-headline">
        {answerHeadline(result)}
        {fetchMs !== null && <span className="muted"> · {mode === 'live' ? 'asked' : 'answered'} in {fetchMs.toFixed(0)} ms</span>}
      </p>
      {result.fromCache && result.sources.some((s) => !s.ok) && (
        <p className="offline-note" role="status" data-testid="hosts-offline">
          Some Lookup Services did not answer: what you see for them is from the cache, {formatAge(result.ageMs)} old.
        </p>
      )}
      {result.partial && (
        <p className="offline-note" role="status" data-testid="hosts-partial">
          Partial answer: the cache holds only earlier narrower searches for some Lookup Service. Refresh the cache for a complete one.
        </p>
      )}
      <ul className="sources" data-testid="hosts-sources">
        {lines.map((s) => (
          <li key={`${s.kind}-${s.url}`} data-source-url={s.url} data-state={s.state}>
            <span className={`badge ${s.state === 'answered' || (s.state === 'bootstrap' && s.ok) ? 'succeeded' : s.state === 'cache' ? 'cancelled' : 'failed'}`}>{STATE_LABEL[s.state]}</span>{' '}
            <code className="truncate wide" title={s.url}>
              {s.url}
            </code>{' '}
            <span className="muted">{s.detail}</span>
            {s.dropped > 0 && <span className="muted"> · {s.dropped} dropped</span>}
            {s.error && (
              <div className="problem small truncate wide" title={s.error} data-testid="source-error">
                {s.state === 'cache' ? 'last attempt failed: ' : ''}
                {s.error}
              </div>
            )}
          </li>
        ))}
      </ul>
      {drops.total > 0 && (
        <p className="muted small" data-testid="hosts-dropped" data-dropped={drops.total} title={drops.text}>
          {drops.total} record(s) or value(s) refused: <span className="truncate wide">{drops.text}</span>
        </p>
      )}
    </div>
  );
}

export function CacheLine({ cache, refreshing, report, onRefresh }: { cache: DiscoveryCacheStatus | null; refreshing: boolean; report: RefreshReport | null; onRefresh: () => void }) {
  const now = Date.now();
  const failed = report ? report.sources.filter((s) => !s.ok) : [];
  return (
    <div className="cache-line" data-testid="hosts-cache" data-records={cache?.records ?? ''}>
      <span className="muted">
        {cache === null
          ? 'Cache: …'
          : cache.records === 0
            ? 'Cache: empty'
            : `Cache: ${cache.records.toLocaleString('en-US')} record(s) from ${cache.sources.length} source(s), oldest ${formatAge(cache.ageMs)} old`}
      </span>
      <button type="button" name="hosts-refresh" disabled={refreshing} onClick={onRefresh} title="Fetch every record of every Lookup Service into the cache, for offline use">
        {refreshing ? 'Refreshing…' : 'Refresh cache'}
      </button>
      {report && (
        <span className="small" data-testid="hosts-refresh-report">
          {`Refreshed ${formatAge(now - report.finishedAt)} ago: ${report.records.toLocaleString('en-US')} record(s)`}
          {failed.length > 0 && <span className="problem">{`, ${failed.length} source(s) failed: ${failed.map((s) => (s.error?.message.includes(s.url) ? s.error.message : `${s.url}: ${s.error?.message ?? 'failed'}`)).join('; ')}`}</span>}
        </span>
      )}
    </div>
  );
}
