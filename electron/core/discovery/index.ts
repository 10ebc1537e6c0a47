/** Discovery: find perfSONAR hosts through the Lookup Service (v1 records API and Elasticsearch _search). */
export { cacheStatus, hostsForHops, refreshCache, searchHosts, type DiscoveryOptions, type RefreshResult, type SearchOptions } from './discover.ts';
export { DEFAULT_SOURCE_SETTINGS, settingsFromUrls, type SourceSettings } from './sources.ts';
export { joinHosts, type SourcedRecord } from './join.ts';
export { rankHosts } from './rank.ts';
export { matchHops } from './hops.ts';
export { probeHosts, type ProbeOptions } from './probe.ts';
export { distanceKm } from './geo.ts';
export { normalizeRecords, type LsRecord } from './records.ts';
export { dueIn, startBackgroundRefresh, type BackgroundRefresh, type BackgroundRefreshOptions } from './background.ts';
