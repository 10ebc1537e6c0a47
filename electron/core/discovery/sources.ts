import { toErrorInfo, WorkbenchError } from '../../shared/errors.ts';
import { describe } from '../../shared/target.ts';
import { lsSourceFromUrl, MAX_LS_SOURCES, type LsSource, type SourceReport } from '../../shared/hosts.ts';
import { DropCounter } from './drops.ts';
import { requestJson } from './http.ts';

/** Where to look for Lookup Services. */
export interface SourceSettings {
  /** activehosts.json lists; each "alive" locator in them is asked. */
  bootstrap: readonly string[];
  /** Always asked: Elasticsearch `_search` endpoints or records APIs. */
  direct: readonly string[];
  /** Asked when no bootstrap list answers (perfsonar/toolkit#319: the bootstrap host does time out). */
  fallback: readonly string[];
}

/** perfsonar-apis.md A.2/A.4: the bootstrap lists in use, the global ES endpoint, its records API. */
export const DEFAULT_SOURCE_SETTINGS: SourceSettings = {
  bootstrap: ['http://ps1.es.net:8096/lookup/activehosts.json', 'http://ps-west.es.net/lookup/activehosts.json'],
  direct: ['http://35.223.142.206/lookup/_search'],
  fallback: ['http://35.223.142.206:8090/lookup/records'],
};

/** Settings from a user's URL list (`--ls URL ...`): no fallback, only what was asked for. Throws INVALID_INPUT for a bad URL. */
export function settingsFromUrls(urls: readonly string[]): SourceSettings {
  const bootstrap: string[] = [];
  const direct: string[] = [];
  for (const url of urls) {
    const source = lsSourceFromUrl(url);
    if (typeof source === 'string') throw new WorkbenchError('INVALID_INPUT', `Not a Lookup Service URL ${describe(url)}: ${source}.`);
    (source.kind === 'bootstrap' ? bootstrap : direct).push(source.url);
  }
  return { bootstrap, direct, fallback: [] };
}

export const MAX_BOOTSTRAP_ENTRIES = 1000;

/**
 * An activehosts.json document: `{"hosts":[{"locator","status","priority"?,"lastupdated"}]}`. Keeps
 * `alive` entries whose locator is a valid LS URL, highest priority first; counts the rest.
 */
export function parseActiveHosts(json: unknown, drops: DropCounter): LsSource[] {
  const hosts = (json as { hosts?: unknown } | null)?.hosts;
  if (typeof json !== 'object' || json === null || !Array.isArray(hosts)) {
    drops.add('not-an-activehosts-list');
    return [];
  }
  const found: { source: LsSource; priority: number; order: number }[] = [];
  hosts.slice(0, MAX_BOOTSTRAP_ENTRIES).forEach((entry: unknown, order) => {
    const { locator, status, priority } = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    if (typeof locator !== 'string') return drops.add('missing-locator');
    if (status !== 'alive') return drops.add('not-alive');
    const source = lsSourceFromUrl(locator);
    if (typeof source === 'string' || source.kind === 'bootstrap') return drops.add('invalid-locator');
    const rank = typeof priority === 'number' ? priority : typeof priority === 'string' && /^-?\d{1,9}$/.test(priority) ? Number(priority) : 0;
    found.push({ source, priority: rank, order });
  });
  drops.add('too-many-entries', Math.max(0, hosts.length - MAX_BOOTSTRAP_ENTRIES));
  found.sort((a, b) => b.priority - a.priority || a.order - b.order);
  const unique = new Map<string, LsSource>();
  for (const { source } of found) if (!unique.has(source.url)) unique.set(source.url, source);
  return [...unique.values()].slice(0, MAX_LS_SOURCES);
}

export interface ResolvedSources {
  sources: LsSource[];
  /** One report per bootstrap list asked. */
  reports: SourceReport[];
}

/**
 * Asks every bootstrap list in parallel (bounded by `signal`), and returns the direct sources plus
 * every alive LS found, or the fallback list when no bootstrap answered.
 */
export async function resolveSources(settings: SourceSettings, options: { signal: AbortSignal; maxBytes?: number; now: () => number }): Promise<ResolvedSources> {
  const reports = await Promise.all(
    settings.bootstrap.map(async (url) => {
      const started = performance.now();
      const drops = new DropCounter();
      try {
        const { json } = await requestJson(url, { signal: options.signal, maxBytes: Math.min(options.maxBytes ?? 1 << 20, 1 << 20) });
        const found = parseActiveHosts(json, drops);
        return { found, report: bootstrapReport(url, true, null, found.length, drops, started, options.now()) };
      } catch (error) {
        return { found: [], report: bootstrapReport(url, false, toErrorInfo(error), 0, drops, started, null) };
      }
    }),
  );
  const answered = reports.some((r) => r.report.ok);
  const candidates: LsSource[] = [];
  for (const url of settings.direct) {
    const source = lsSourceFromUrl(url);
    if (typeof source !== 'string' && source.kind !== 'bootstrap') candidates.push(source);
  }
  for (const r of reports) candidates.push(...r.found);
  if (!answered && settings.bootstrap.length > 0) {
    for (const url of settings.fallback) {
      const source = lsSourceFromUrl(url);
      if (typeof source !== 'string' && source.kind !== 'bootstrap') candidates.push(source);
    }
  }
  const unique = new Map<string, LsSource>();
  for (const source of candidates) if (!unique.has(source.url)) unique.set(source.url, source);
  return { sources: [...unique.values()].slice(0, MAX_LS_SOURCES), reports: reports.map((r) => r.report) };
}

function bootstrapReport(
  url: string,
  ok: boolean,
  error: SourceReport['error'],
  found: number,
  drops: DropCounter,
  started: number,
  fetchedAt: number | null,
): SourceReport {
  return { url, kind: 'bootstrap', ok, error, records: found, dropped: drops.toJSON(), elapsedMs: Math.round(performance.now() - started), fromCache: false, fetchedAt };
}
