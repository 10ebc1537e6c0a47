import { toErrorInfo, WorkbenchError } from '../../shared/errors.ts';
import {
  HostQuery,
  type DiscoveryCacheStatus,
  type DiscoveryMode,
  type HostQueryInput,
  type HostSearchResult,
  type HostsForHopsResult,
  type HostView,
  type LsSource,
  type SourceReport,
} from '../../shared/hosts.ts';
import { describe } from '../../shared/target.ts';
import type { CachedRecord, DiscoveryStore } from '../store/discovery.ts';
import { canonicalIp } from './addresses.ts';
import { queryBudget, type FetchContext, type QueryBudget } from './context.ts';
import { DropCounter } from './drops.ts';
import { matchHops } from './hops.ts';
import { DeadlineReached, DEFAULT_MAX_RESPONSE_BYTES } from './http.ts';
import { joinHosts, type SourcedRecord } from './join.ts';
import { fetchForHops, fetchForSearch, fetchSnapshot } from './plan.ts';
import { probeHosts, type ProbeOptions } from './probe.ts';
import { matchHosts, probeCandidates, sortHosts } from './rank.ts';
import type { LsRecord, UsedRecordType } from './records.ts';
import { DEFAULT_SOURCE_SETTINGS, resolveSources, settingsFromUrls, type SourceSettings } from './sources.ts';

export interface DiscoveryOptions {
  /** LS URLs for this call (`--ls`), or full settings; default: the built-in bootstrap, direct and fallback lists. */
  sources?: readonly string[] | SourceSettings;
  /** Total time for the live part; sources still running then are reported as timed out. Default 15 s. */
  budgetMs?: number;
  signal?: AbortSignal;
  /** Where fetched records are kept and where offline answers come from. */
  cache?: DiscoveryStore | null;
  /** live (default): ask the sources, fall back to the cache per failed source; cache: offline; auto: cache when fresh. */
  mode?: DiscoveryMode;
  /** For `auto`: the age up to which cached data is used without asking. Default 30 min. */
  maxCacheAgeMs?: number;
  now?: () => number;
  maxResponseBytes?: number;
  /** Elasticsearch page size (default 10,000; tests use small pages to exercise paging). */
  esPageSize?: number;
}

export interface SearchOptions extends DiscoveryOptions {
  /** Measure TCP connect time to each listed host (bounded; see probe.ts). */
  probe?: boolean | Omit<ProbeOptions, 'serviceType' | 'signal'>;
}

type Plan = (source: LsSource, ctx: FetchContext) => Promise<LsRecord[]>;

interface Gathered {
  records: SourcedRecord[];
  reports: SourceReport[];
  fromCache: boolean;
  /** Some cached records used come from a source never fetched in full: hosts may be missing. */
  partial: boolean;
}

const DEFAULT_BUDGET_MS = 15_000;
const BOOTSTRAP_SHARE_MS = 5_000;

function settingsOf(sources: DiscoveryOptions['sources']): SourceSettings {
  if (sources === undefined) return DEFAULT_SOURCE_SETTINGS;
  return Array.isArray(sources) ? settingsFromUrls(sources) : (sources as SourceSettings);
}

function cachedReport(url: string, kind: SourceReport['kind'], records: readonly CachedRecord[], error: SourceReport['error']): SourceReport {
  let fetchedAt: number | null = null;
  for (const r of records) if (fetchedAt === null || r.fetchedAt < fetchedAt) fetchedAt = r.fetchedAt;
  return { url, kind, ok: error === null, error, records: records.length, dropped: {}, elapsedMs: null, fromCache: true, fetchedAt };
}

/** Appends without spreading (a cache can hold more records than a call can take arguments). */
function append<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}

/** Cached records and a report per cached source (every one, or only the listed ones, or all but `skip`). */
function fromCacheOnly(cache: DiscoveryStore, only: ReadonlySet<string> | null, skip: ReadonlySet<string> = new Set()): Gathered {
  const reports: SourceReport[] = [];
  const records: SourcedRecord[] = [];
  let partial = false;
  for (const source of cache.sources()) {
    if ((only && !only.has(source.url)) || skip.has(source.url)) continue;
    const cached = cache.load([source.url]);
    append(records, cached);
    reports.push(cachedReport(source.url, source.kind, cached, null));
    partial ||= cached.length > 0 && source.completeAt === null;
  }
  return { records, reports, fromCache: true, partial };
}

function neverComplete(cache: DiscoveryStore, url: string): boolean {
  return cache.sources().find((s) => s.url === url)?.completeAt == null;
}

/** The source URLs named explicitly, when the caller named some (for cache answers). */
function namedUrls(settings: SourceSettings): Set<string> | null {
  const urls = [...settings.direct, ...settings.fallback];
  return settings === DEFAULT_SOURCE_SETTINGS || urls.length === 0 ? null : new Set(urls);
}

/** Only a complete fetch (refresh, untyped search) makes a source's cache able to answer any query; every named source needs one. */
function isFresh(cache: DiscoveryStore, only: ReadonlySet<string> | null, now: number, maxAgeMs: number): boolean {
  const sources = cache.sources().filter((s) => (only ? only.has(s.url) : true) && s.records > 0);
  if (only && sources.length < only.size) return false;
  return sources.length > 0 && sources.every((s) => s.completeAt !== null && now - s.completeAt <= maxAgeMs);
}

/**
 * Runs one fetch plan against every source in parallel within the budget. Successful sources are
 * written to the cache; failed ones are answered from it when it has their records. When no source
 * answered at all, everything cached is used.
 */
async function gather(plan: Plan, options: DiscoveryOptions, completeTypes: readonly UsedRecordType[] = [], complete = completeTypes.length > 0): Promise<Gathered> {
  const now = options.now ?? Date.now;
  const cache = options.cache ?? null;
  const settings = settingsOf(options.sources);
  const mode = options.mode ?? 'live';
  const named = namedUrls(settings);
  if (mode === 'cache' || (mode === 'auto' && cache && isFresh(cache, named, now(), options.maxCacheAgeMs ?? 30 * 60_000))) {
    if (!cache) throw new WorkbenchError('INVALID_INPUT', 'Offline discovery needs the cache, and there is none.');
    return fromCacheOnly(cache, named);
  }

  const budgetMs = options.budgetMs ?? DEFAULT_BUDGET_MS;
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new DeadlineReached(budgetMs)), budgetMs);
  timer.unref?.();
  const signal = options.signal ? AbortSignal.any([deadline.signal, options.signal]) : deadline.signal;
  try {
    const bootstrapSignal = AbortSignal.any([signal, AbortSignal.timeout(Math.round(Math.min(BOOTSTRAP_SHARE_MS, Math.max(200, budgetMs / 3))))]);
    const resolved = await resolveSources(settings, { signal: bootstrapSignal, maxBytes: options.maxResponseBytes, now });
    const budget = queryBudget();
    const outcomes = await Promise.all(resolved.sources.map((source) => fetchOne(source, plan, signal, options, cache, completeTypes, complete, budget)));
    if (options.signal?.aborted) throw new WorkbenchError('CANCELLED', 'Discovery was cancelled.');
    const records: SourcedRecord[] = [];
    for (const outcome of outcomes) append(records, outcome.records);
    const reports = [...resolved.reports, ...outcomes.map((o) => o.report)];
    let fromCache = outcomes.some((o) => o.report.fromCache);
    let partial = cache !== null && outcomes.some((o) => o.report.fromCache && o.records.length > 0 && neverComplete(cache, o.report.url));
    if (cache && !outcomes.some((o) => o.report.ok)) {
      // Nobody answered: answer from everything cached (only the named sources when no bootstrap list was involved).
      const asked = new Set(outcomes.filter((o) => o.report.fromCache).map((o) => o.report.url));
      const rest = fromCacheOnly(cache, settings.bootstrap.length === 0 ? named : null, asked);
      append(records, rest.records);
      append(reports, rest.reports);
      fromCache ||= rest.reports.length > 0;
      partial ||= rest.partial;
    }
    return { records, reports, fromCache, partial };
  } finally {
    clearTimeout(timer);
  }
}

async function fetchOne(
  source: LsSource,
  plan: Plan,
  signal: AbortSignal,
  options: DiscoveryOptions,
  cache: DiscoveryStore | null,
  completeTypes: readonly UsedRecordType[],
  complete: boolean,
  budget: QueryBudget,
): Promise<{ records: SourcedRecord[]; report: SourceReport }> {
  const now = options.now ?? Date.now;
  const started = performance.now();
  const drops = new DropCounter();
  const ctx: FetchContext = {
    signal,
    now: now(),
    maxBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    drops,
    counted: { records: 0 },
    budget,
    esPageSize: options.esPageSize,
  };
  const kind = source.kind === 'search' ? 'search' : 'records';
  try {
    const fetched = await plan(source, ctx);
    const fetchedAt = now();
    try {
      cache?.save(source.url, kind, fetched, fetchedAt, completeTypes, complete);
    } catch {
      // A cache that cannot be written (disk full, locked) must not cost the live answer.
    }
    return {
      records: fetched.map((record) => ({ record, source: source.url, fetchedAt })),
      report: {
        url: source.url,
        kind,
        ok: true,
        error: null,
        records: fetched.length,
        dropped: drops.toJSON(),
        elapsedMs: Math.round(performance.now() - started),
        fromCache: false,
        fetchedAt,
      },
    };
  } catch (caught) {
    if (caught instanceof WorkbenchError && caught.code === 'CANCELLED') throw caught;
    const error = toErrorInfo(caught);
    let cached: CachedRecord[] = [];
    try {
      cache?.noteFailure(source.url, kind, now(), error);
      cached = cache ? cache.load([source.url]) : [];
    } catch {
      // as above: the cache is a help, never a new failure
    }
    const report: SourceReport = cached.length
      ? { ...cachedReport(source.url, kind, cached, error), ok: false, dropped: drops.toJSON(), elapsedMs: Math.round(performance.now() - started) }
      : { url: source.url, kind, ok: false, error, records: 0, dropped: drops.toJSON(), elapsedMs: Math.round(performance.now() - started), fromCache: false, fetchedAt: null };
    return { records: cached, report };
  }
}

function oldestFetch(records: readonly SourcedRecord[]): number | null {
  let oldest: number | null = null;
  for (const r of records) if (oldest === null || r.fetchedAt < oldest) oldest = r.fetchedAt;
  return oldest;
}

/**
 * Drops cached records whose registration lapsed before `at` (the reference: clients drop records
 * with expires < now), counted under `expired`. Live records arrive already filtered.
 */
function unexpired(records: readonly SourcedRecord[], at: number, drops: { add(reason: string, count?: number): void }): SourcedRecord[] {
  const kept = records.filter((r) => r.record.expires > at);
  drops.add('expired', records.length - kept.length);
  return kept;
}

function attachReachability(hosts: HostView[], reach: Map<string, HostView['reachability']>): HostView[] {
  return hosts.map((h) => (reach.has(h.id) ? { ...h, reachability: reach.get(h.id) ?? null } : h));
}

/**
 * Finds perfSONAR hosts: asks every Lookup Service (both query forms) within the budget, joins the
 * records into host views, filters and ranks them, optionally probes reachability. Partial answers
 * say per source what failed and why; cached data says how old it is.
 */
export async function searchHosts(queryInput: HostQueryInput, options: SearchOptions = {}): Promise<HostSearchResult> {
  const query = HostQuery.parse(queryInput);
  const now = options.now ?? Date.now;
  // An untyped search fetches every service with its hosts and interfaces: a complete fetch.
  const gathered = await gather((source, ctx) => fetchForSearch(source, query.serviceTypes, ctx), options, [], query.serviceTypes.length === 0);
  const answeredAt = now();
  const lapsed = new DropCounter();
  const joined = joinHosts(query.includeExpired ? gathered.records : unexpired(gathered.records, answeredAt, lapsed), answeredAt);
  joined.dropped.merge(lapsed.toJSON());
  const matches = matchHosts(joined.hosts, query);
  const total = matches.length;
  let hosts: HostView[];
  if (options.probe) {
    // Ranking by reachability probes the candidates first and cuts to `limit` after; otherwise only the listed hosts are probed.
    const byReach = query.sort === 'auto' || query.sort === 'reachability';
    const toProbe = byReach ? probeCandidates(matches, query) : sortHosts(matches, query.sort, query.near).slice(0, query.limit);
    const probeOptions = typeof options.probe === 'object' ? options.probe : {};
    const reach = await probeHosts(toProbe, { ...probeOptions, serviceType: query.serviceTypes[0], signal: options.signal });
    hosts = attachReachability(byReach ? matches : toProbe, reach);
    if (byReach) hosts = sortHosts(hosts, 'reachability', query.near).slice(0, query.limit);
  } else {
    hosts = sortHosts(matches, query.sort, query.near).slice(0, query.limit);
  }
  const fetchedAt = oldestFetch(gathered.records);
  return {
    hosts,
    total,
    sources: gathered.reports,
    dropped: joined.dropped.toJSON(),
    fromCache: gathered.fromCache,
    partial: gathered.partial,
    fetchedAt,
    ageMs: fetchedAt === null ? null : Math.max(0, answeredAt - fetchedAt),
  };
}

/** The perfSONAR hosts whose registered addresses match a path's hops (e.g. a traceroute's). */
export async function hostsForHops(ips: readonly string[], options: DiscoveryOptions = {}): Promise<HostsForHopsResult> {
  const canonical: string[] = [];
  for (const ip of ips) {
    const c = canonicalIp(ip);
    if (c === null) throw new WorkbenchError('INVALID_INPUT', `Not an IP address: ${describe(ip)}.`);
    canonical.push(c);
  }
  const now = options.now ?? Date.now;
  const gathered = await gather((source, ctx) => fetchForHops(source, canonical, ctx), options);
  const answeredAt = now();
  const lapsed = new DropCounter();
  const joined = joinHosts(unexpired(gathered.records, answeredAt, lapsed), answeredAt);
  joined.dropped.merge(lapsed.toJSON());
  const hops = matchHops(ips, joined.hosts);
  const ids = new Set(hops.flatMap((h) => h.hostIds));
  const fetchedAt = oldestFetch(gathered.records);
  return {
    hops,
    hosts: joined.hosts.filter((h) => ids.has(h.id)),
    sources: gathered.reports,
    dropped: joined.dropped.toJSON(),
    fromCache: gathered.fromCache,
    partial: gathered.partial,
    fetchedAt,
    ageMs: fetchedAt === null ? null : Math.max(0, answeredAt - fetchedAt),
  };
}

export interface RefreshResult {
  sources: SourceReport[];
  /** Records now held for the sources that answered. */
  records: number;
  /** Cached records removed because they were older than `keepMs`. */
  pruned: number;
  finishedAt: number;
}

/**
 * Fetches every record of every source into the cache (full snapshot per source and type), then
 * forgets records older than `keepMs` (default 7 days). Meant for a background timer: it never
 * throws for a source failure (see the reports), only for CANCELLED.
 */
export async function refreshCache(cache: DiscoveryStore, options: Omit<DiscoveryOptions, 'cache' | 'mode'> & { keepMs?: number } = {}): Promise<RefreshResult> {
  const now = options.now ?? Date.now;
  const gathered = await gather((source, ctx) => fetchSnapshot(source, ctx), { budgetMs: 120_000, ...options, cache, mode: 'live' }, ['service', 'host', 'interface']);
  const finishedAt = now();
  const pruned = cache.prune(finishedAt - (options.keepMs ?? 7 * 24 * 3600_000));
  const live = gathered.reports.filter((r) => r.ok && !r.fromCache && r.kind !== 'bootstrap');
  return { sources: gathered.reports, records: live.reduce((n, r) => n + r.records, 0), pruned, finishedAt };
}

/** What the cache holds, per source, and the age of its oldest record. */
export function cacheStatus(cache: DiscoveryStore, now: number = Date.now()): DiscoveryCacheStatus {
  const sources = cache.sources();
  let fetchedAt: number | null = null;
  let records = 0;
  for (const s of sources) {
    records += s.records;
    if (s.oldestFetchAt !== null && (fetchedAt === null || s.oldestFetchAt < fetchedAt)) fetchedAt = s.oldestFetchAt;
  }
  return {
    sources: sources.map(({ url, kind, records: count, lastAttemptAt, lastSuccessAt, lastError }) => ({ url, kind, records: count, lastAttemptAt, lastSuccessAt, lastError })),
    records,
    fetchedAt,
    ageMs: fetchedAt === null ? null : Math.max(0, now - fetchedAt),
  };
}
