import { z } from 'zod';
import { ipFamily } from './ip.ts';
import { ErrorInfoSchema } from './runs.ts';
import { hostProblem } from './target.ts';

/*
 * perfSONAR hosts as the workbench shows them: joined from Lookup Service records (service → host →
 * interface), validated, de-duplicated. Every host name and address in a HostView has passed the
 * same gate as a typed-in target (target.ts), so any of them may be used as one.
 */

/** service-type values: owamp, twamp, pscheduler, ma, bwctl, GridFTP, ... (compared case-insensitively). */
export const SERVICE_TYPE = /^[A-Za-z][A-Za-z0-9_-]{0,31}$/;
export const MAX_LS_SOURCES = 16;
export const MAX_HOPS = 64;

export const LS_SOURCE_KINDS = ['bootstrap', 'records', 'search'] as const;
export type LsSourceKind = (typeof LS_SOURCE_KINDS)[number];

export interface LsSource {
  kind: LsSourceKind;
  url: string;
}

/**
 * Classifies a Lookup Service URL: an `activehosts.json` bootstrap list, an Elasticsearch `_search`
 * endpoint, or a classic records API (`http://host:8090` becomes `http://host:8090/lookup/records`).
 * Returns a reason string for anything else (non-http schemes, credentials, invalid host names).
 */
export function lsSourceFromUrl(text: string): LsSource | string {
  if (text.length > 2048) return 'the URL is longer than 2048 characters';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'not a URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'only http and https Lookup Service URLs are supported';
  if (url.username || url.password) return 'credentials in the URL are not supported';
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const problem = hostProblem(host);
  if (problem) return problem;
  url.hash = '';
  const path = url.pathname;
  if (path.endsWith('/activehosts.json')) return { kind: 'bootstrap', url: url.href };
  if (/\/_search\/?$/.test(path)) return { kind: 'search', url: url.href.replace(/\/$/, '') };
  if (url.search !== '') return 'the URL must not carry a query; filters come from the search';
  if (path === '/' || path === '') url.pathname = '/lookup/records';
  else if (!/\/records\/?$/.test(url.pathname)) return 'expected a path ending in /records, /_search or /activehosts.json';
  return { kind: 'records', url: url.href.replace(/\/$/, '') };
}

export const LsSourceUrl = z
  .string()
  .max(2048)
  .refine((url) => typeof lsSourceFromUrl(url) !== 'string', {
    message: 'not a Lookup Service URL (http(s)://HOST[:PORT]/lookup/records, …/_search or …/activehosts.json)',
  });

export const LatLon = z.strictObject({
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
});
export type LatLon = z.output<typeof LatLon>;

const ValidHost = z.string().refine((h) => hostProblem(h) === null, { message: 'not a valid host' });
const IpAddress = z.string().max(80).refine((ip) => ipFamily(ip) !== null, { message: 'not an IP address' });

export const Locator = z.object({
  /** The locator as registered, for display (control characters never get this far). */
  url: z.string(),
  scheme: z.string(),
  /** Validated: usable as a target. */
  host: ValidHost,
  /** Explicit in the locator, else the service type's default (owamp 861, twamp 862, https 443, ...). */
  port: z.number().int().min(1).max(65535).nullable(),
});
export type Locator = z.output<typeof Locator>;

export const HostService = z.object({
  uri: z.string(),
  /** Lower-cased service-type. */
  type: z.string(),
  name: z.string().nullable(),
  version: z.string().nullable(),
  locators: z.array(Locator),
  /** pscheduler-tests (pScheduler services). */
  tests: z.array(z.string()),
  /** pscheduler-tools or bwctl-tools. */
  tools: z.array(z.string()),
});
export type HostService = z.output<typeof HostService>;

export const HostInterface = z.object({
  name: z.string().nullable(),
  addresses: z.array(IpAddress),
  /** bits per second. */
  capacity: z.number().nullable(),
  mtu: z.number().int().nullable(),
});
export type HostInterface = z.output<typeof HostInterface>;

export const HostLocation = z.object({
  site: z.string().nullable(),
  city: z.string().nullable(),
  region: z.string().nullable(),
  /** ISO 3166 alpha-2 when the record gives two letters (upper-cased), else as registered. */
  country: z.string().nullable(),
  postalCode: z.string().nullable(),
  latitude: z.number().min(-90).max(90).nullable(),
  longitude: z.number().min(-180).max(180).nullable(),
});
export type HostLocation = z.output<typeof HostLocation>;

export const HostFreshness = z.object({
  /** Latest expiry of the host's records (ms since the epoch). */
  expiresAt: z.number(),
  /** When the oldest of its records was fetched from a Lookup Service (ms since the epoch). */
  fetchedAt: z.number(),
  /** Its registration had lapsed at answer time (only possible for data answered from the cache). */
  expired: z.boolean(),
});

export const Reachability = z.object({
  host: ValidHost,
  port: z.number().int().min(1).max(65535),
  /** TCP connect time; null when it failed. */
  connectMs: z.number().nullable(),
  error: z.string().nullable(),
});
export type Reachability = z.output<typeof Reachability>;

export const HostView = z.object({
  /** Stable across refreshes: uuid:<client-uuid>, else uri:<host record uri>, else name:<target>. */
  id: z.string(),
  /** The best name to test against: the first DNS name, else the first address. */
  target: ValidHost,
  /** Validated DNS names, lower-cased. */
  names: z.array(ValidHost),
  addresses: z.object({ ipv4: z.array(IpAddress), ipv6: z.array(IpAddress) }),
  services: z.array(HostService),
  interfaces: z.array(HostInterface),
  /** Largest interface capacity, bits per second. */
  capacity: z.number().nullable(),
  /** Largest interface MTU. */
  mtu: z.number().int().nullable(),
  location: HostLocation,
  communities: z.array(z.string()),
  domains: z.array(z.string()),
  roles: z.array(z.string()),
  accessPolicy: z.string().nullable(),
  bundle: z.string().nullable(),
  toolkitVersion: z.string().nullable(),
  os: z.string().nullable(),
  clientUuids: z.array(z.string()),
  hostUris: z.array(z.string()),
  /** Lookup Service URLs that carried this host. */
  sources: z.array(z.string()),
  freshness: HostFreshness,
  /** Great-circle distance from the query's `near`, km. */
  distanceKm: z.number().nullable(),
  reachability: Reachability.nullable(),
});
export type HostView = z.output<typeof HostView>;

export const DropCounts = z.record(z.string(), z.number().int().nonnegative());
export type DropCounts = z.output<typeof DropCounts>;

export const SourceReport = z.object({
  url: z.string(),
  kind: z.enum(LS_SOURCE_KINDS),
  ok: z.boolean(),
  error: ErrorInfoSchema.nullable(),
  /** Records accepted (for a bootstrap list: Lookup Services found). */
  records: z.number().int().nonnegative(),
  /** Records refused, by reason (expired, control-characters, oversized-value, ...). */
  dropped: DropCounts,
  elapsedMs: z.number().nullable(),
  /** This source's records came from the cache (it was not asked, or it failed). */
  fromCache: z.boolean(),
  fetchedAt: z.number().nullable(),
});
export type SourceReport = z.output<typeof SourceReport>;

export const DISCOVERY_MODES = ['live', 'cache', 'auto'] as const;
export type DiscoveryMode = (typeof DISCOVERY_MODES)[number];
export const HOST_SORTS = ['auto', 'distance', 'name', 'reachability', 'freshness'] as const;

const Text = (max: number) => z.string().trim().min(1).max(max);

/** How to reach the Lookup Service: shared by hosts.search and hosts.forHops. */
export const DiscoveryFetchOptions = z.strictObject({
  /** Replaces the configured sources for this call. */
  sources: z.array(LsSourceUrl).min(1).max(MAX_LS_SOURCES).optional(),
  /** live: ask the Lookup Services, fall back to the cache per failed source; cache: offline; auto: cache when fresh. */
  mode: z.enum(DISCOVERY_MODES).default('live'),
  budgetMs: z.number().int().min(200).max(120_000).default(15_000),
});

export const HostQuery = z.strictObject({
  serviceTypes: z.array(z.string().regex(SERVICE_TYPE)).max(16).default([]),
  community: Text(128).optional(),
  /** Two-letter country code or the registered country text, case-insensitive. */
  country: Text(64).optional(),
  site: Text(128).optional(),
  /** Words that must all appear in the host's names, addresses, site, city, country, communities or domains. */
  text: Text(200).optional(),
  near: LatLon.optional(),
  maxDistanceKm: z.number().positive().max(25_000).optional(),
  sort: z.enum(HOST_SORTS).default('auto'),
  limit: z.number().int().min(1).max(5000).default(200),
  /** Keep cached records whose registration has lapsed (flagged freshness.expired); by default they are dropped and counted. */
  includeExpired: z.boolean().default(false),
});
export type HostQueryInput = z.input<typeof HostQuery>;
export type HostQuery = z.output<typeof HostQuery>;

export const HostSearchInput = HostQuery.extend({
  ...DiscoveryFetchOptions.shape,
  /** Measure TCP connect time to each listed host's service port (bounded in time and concurrency). */
  probe: z.boolean().default(false),
});
export type HostSearchInput = z.input<typeof HostSearchInput>;
export type HostSearchRequest = z.output<typeof HostSearchInput>;

const AnswerMeta = {
  sources: z.array(SourceReport),
  /** Dropped while joining (invalid host names, locators, orphan services), by reason. */
  dropped: DropCounts,
  /** Some or all of the answer came from the cache. */
  fromCache: z.boolean(),
  /** Cached data used was never fetched in full for some source (only targeted searches): hosts may be missing. */
  partial: z.boolean().optional(),
  /** Fetch time of the oldest data in the answer. */
  fetchedAt: z.number().nullable(),
  ageMs: z.number().nullable(),
};

export const HostSearchResult = z.object({
  hosts: z.array(HostView),
  /** Matches before `limit`. */
  total: z.number().int().nonnegative(),
  ...AnswerMeta,
});
export type HostSearchResult = z.output<typeof HostSearchResult>;

export const HostsForHopsInput = z.strictObject({
  ips: z.array(IpAddress).min(1).max(MAX_HOPS),
  ...DiscoveryFetchOptions.shape,
});
export type HostsForHopsInput = z.input<typeof HostsForHopsInput>;
export type HostsForHopsRequest = z.output<typeof HostsForHopsInput>;

export const HopMatch = z.object({ ip: z.string(), hostIds: z.array(z.string()) });
export type HopMatch = z.output<typeof HopMatch>;

export const HostsForHopsResult = z.object({
  hops: z.array(HopMatch),
  hosts: z.array(HostView),
  ...AnswerMeta,
});
export type HostsForHopsResult = z.output<typeof HostsForHopsResult>;

export const CachedSourceStatus = z.object({
  url: z.string(),
  kind: z.enum(['records', 'search']),
  records: z.number().int().nonnegative(),
  lastAttemptAt: z.number().nullable(),
  lastSuccessAt: z.number().nullable(),
  lastError: ErrorInfoSchema.nullable(),
});

/** What the cache holds and how old it is: for "data from 3 h ago" in the UI and `psw hosts --offline`. */
export const DiscoveryCacheStatus = z.object({
  sources: z.array(CachedSourceStatus),
  records: z.number().int().nonnegative(),
  /** Fetch time of the oldest cached record; null when the cache is empty. */
  fetchedAt: z.number().nullable(),
  ageMs: z.number().nullable(),
});
export type DiscoveryCacheStatus = z.output<typeof DiscoveryCacheStatus>;

export const RefreshReport = z.object({
  sources: z.array(SourceReport),
  records: z.number().int().nonnegative(),
  pruned: z.number().int().nonnegative(),
  finishedAt: z.number(),
});
