import type { DiscoveryCacheStatus, DropCounts, HostView, SourceReport } from '../../../../electron/shared/hosts.ts';
import { formatBitrate } from '../../../../electron/shared/units.ts';

/*
 * Pure text for the host browser: ages, freshness, distances, provenance lines and the targets a
 * host offers. Everything returned is plain text; React renders it as text, never as HTML.
 */

type CacheSource = DiscoveryCacheStatus['sources'][number];

/** 42 s, 5 min, 3 h, 2.5 d: how old a piece of data is. */
export function formatAge(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  const s = Math.max(0, ms) / 1000;
  if (s < 60) return `${Math.round(s)} s`;
  if (s < 3600) return `${Math.round(s / 60)} min`;
  if (s < 48 * 3600) return `${(s / 3600).toFixed(s < 10 * 3600 ? 1 : 0).replace(/\.0$/, '')} h`;
  return `${(s / 86400).toFixed(1).replace(/\.0$/, '')} d`;
}

export function formatDistance(km: number | null): string {
  if (km === null || !Number.isFinite(km)) return '—';
  return km < 10 ? `${km.toFixed(1)} km` : `${Math.round(km).toLocaleString('en-US')} km`;
}

export function formatCapacity(bps: number | null): string {
  return bps === null ? '—' : formatBitrate(bps);
}

export interface Freshness {
  text: string;
  /** ok: registered and renewed; expiring: lapses within 15 min; expired: lapsed (cached data). */
  state: 'ok' | 'expiring' | 'expired';
  title: string;
}

export function hostFreshness(host: Pick<HostView, 'freshness'>, now: number): Freshness {
  const { expiresAt, fetchedAt, expired } = host.freshness;
  const left = expiresAt - now;
  const fetched = `fetched ${formatAge(now - fetchedAt)} ago`;
  const title = `registration expires ${new Date(expiresAt).toISOString()}; ${fetched}`;
  if (expired || left <= 0) return { text: `lapsed ${formatAge(-left)} ago`, state: 'expired', title };
  return { text: `expires in ${formatAge(left)}`, state: left < 15 * 60_000 ? 'expiring' : 'ok', title };
}

export function hostPlace(host: Pick<HostView, 'location'>): string {
  const l = host.location;
  return [l.city, l.region, l.country].filter((x): x is string => !!x).join(', ') || '—';
}

/** Everything a favourite may have been stored under. */
export function hostKeys(host: Pick<HostView, 'target' | 'names' | 'addresses'>): string[] {
  return [...new Set([host.target, ...host.names, ...host.addresses.ipv4, ...host.addresses.ipv6])];
}

export function isFavourite(host: Pick<HostView, 'target' | 'names' | 'addresses'>, favourites: ReadonlySet<string>): boolean {
  return hostKeys(host).some((k) => favourites.has(k));
}

export interface TargetChoice {
  /** A validated host name or address: what the Measure form gets. */
  value: string;
  /** What it is: "host name", "IPv4", "owamp locator", ... joined when several. */
  label: string;
}

/**
 * The targets a host offers: its best name first, then its names and addresses, then the hosts of
 * its service locators (an owamp tcp://h:861 → h). One entry per value, labels merged.
 */
export function targetChoices(host: Pick<HostView, 'target' | 'names' | 'addresses' | 'services'>): TargetChoice[] {
  const byValue = new Map<string, string[]>();
  const add = (value: string, label: string) => {
    const labels = byValue.get(value);
    if (!labels) byValue.set(value, [label]);
    else if (!labels.includes(label)) labels.push(label);
  };
  add(host.target, 'best name');
  for (const n of host.names) add(n, 'host name');
  for (const a of host.addresses.ipv4) add(a, 'IPv4');
  for (const a of host.addresses.ipv6) add(a, 'IPv6');
  for (const s of host.services) for (const l of s.locators) add(l.host, `${s.type} locator`);
  return [...byValue].map(([value, labels]) => ({ value, label: labels.join(' · ') }));
}

export type SourceState = 'answered' | 'cache-after-failure' | 'failed' | 'cache' | 'bootstrap';

export interface SourceLine {
  url: string;
  kind: SourceReport['kind'];
  state: SourceState;
  ok: boolean;
  /** One line: records, time, age. */
  detail: string;
  /** The source's error (or, for a source answered from the cache only, its last failed attempt). */
  error: string | null;
  dropped: number;
}

const sum = (d: DropCounts) => Object.values(d).reduce((a, b) => a + b, 0);

/**
 * One line per Lookup Service in an answer: did it answer, fail, or stand in from the cache, and why.
 * When no source answered, the core adds cache reports for every cached source, including ones it
 * already reported as failed; those repeats are left out.
 */
export function sourceLines(sources: readonly SourceReport[], now: number, cache: readonly CacheSource[] = []): SourceLine[] {
  const cached = new Map(cache.map((c) => [c.url, c]));
  const seen = new Set<string>();
  const unique = sources.filter((s) => {
    const key = `${s.kind === 'bootstrap' ? 'b' : 'ls'} ${s.url}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return unique.map((s) => {
    const age = s.fetchedAt === null ? '' : `, ${formatAge(now - s.fetchedAt)} old`;
    const base = { url: s.url, kind: s.kind, ok: s.ok, dropped: sum(s.dropped) };
    if (s.kind === 'bootstrap') {
      return { ...base, state: 'bootstrap', detail: s.ok ? `bootstrap list: ${s.records} Lookup Service(s)` : 'bootstrap list unreachable', error: s.error?.message ?? null };
    }
    if (s.ok && !s.fromCache) {
      return { ...base, state: 'answered', detail: `answered: ${s.records} record(s)${s.elapsedMs === null ? '' : ` in ${s.elapsedMs} ms`}`, error: null };
    }
    if (!s.ok && s.fromCache) {
      return { ...base, state: 'cache-after-failure', detail: `failed; ${s.records} cached record(s) used${age}`, error: s.error?.message ?? 'failed' };
    }
    if (!s.ok) return { ...base, state: 'failed', detail: 'failed, nothing cached', error: s.error?.message ?? 'failed' };
    const status = cached.get(s.url);
    const lastFailed = status?.lastError && (status.lastSuccessAt === null || (status.lastAttemptAt ?? 0) > status.lastSuccessAt) ? status.lastError.message : null;
    return { ...base, state: 'cache', detail: `from the cache: ${s.records} record(s)${age}`, error: lastFailed };
  });
}

export interface DropLine {
  total: number;
  /** "expired 12 · control-characters 2", most frequent first. */
  text: string;
}

/** Records and values refused: per source (while parsing) and while joining. */
export function dropSummary(sources: readonly SourceReport[], joined: DropCounts): DropLine {
  const all = new Map<string, number>();
  for (const d of [...sources.map((s) => s.dropped), joined]) for (const [reason, n] of Object.entries(d)) all.set(reason, (all.get(reason) ?? 0) + n);
  const entries = [...all].filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return { total: entries.reduce((a, [, n]) => a + n, 0), text: entries.map(([r, n]) => `${r} ${n}`).join(' · ') };
}

export interface AnswerLike {
  hosts: readonly unknown[];
  total: number;
  sources: readonly SourceReport[];
  fromCache: boolean;
  ageMs: number | null;
}

/** The headline: how many hosts, from where, how old. */
export function answerHeadline(result: AnswerLike): string {
  const ls = result.sources.filter((s) => s.kind !== 'bootstrap');
  const live = ls.filter((s) => s.ok && !s.fromCache).length;
  const failed = ls.filter((s) => !s.ok).length;
  const shown = result.hosts.length < result.total ? `${result.hosts.length} of ${result.total} host(s)` : `${result.total} host(s)`;
  const parts = [shown];
  if (live > 0) parts.push(`live from ${live} of ${ls.length} Lookup Service(s)`);
  if (failed > 0) parts.push(`${failed} failed`);
  if (result.fromCache) parts.push(`from the cache, ${formatAge(result.ageMs)} old`);
  return parts.join(' · ');
}
