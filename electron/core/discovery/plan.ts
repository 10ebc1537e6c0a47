import type { LsSource } from '../../shared/hosts.ts';
import { canonicalIp } from './addresses.ts';
import type { FetchContext } from './context.ts';
import { fetchEs } from './es-client.ts';
import type { RecordFilter } from './filter.ts';
import { all, type LsRecord } from './records.ts';
import { fetchV1 } from './v1-client.ts';

/*
 * Which records to ask one Lookup Service for. Services are found first (server-side filtered by
 * service type), then their hosts by uri, then the hosts' interfaces by uri. When a step would need
 * more uris than FULL_FETCH_THRESHOLD, asking for the whole type is cheaper than hundreds of batches.
 */

export const FULL_FETCH_THRESHOLD = 400;

export function fetchRecords(source: LsSource, filter: RecordFilter, ctx: FetchContext): Promise<LsRecord[]> {
  return source.kind === 'search' ? fetchEs(source.url, filter, ctx) : fetchV1(source.url, filter, ctx);
}

function unique(values: Iterable<string>): string[] {
  return [...new Set(values)];
}

async function byUri(source: LsSource, type: 'host' | 'interface', uris: readonly string[], ctx: FetchContext): Promise<LsRecord[]> {
  if (uris.length === 0) return [];
  if (uris.length > FULL_FETCH_THRESHOLD) return fetchRecords(source, { type }, ctx);
  return fetchRecords(source, { type, key: 'uri', values: uris }, ctx);
}

async function interfacesOf(source: LsSource, hosts: readonly LsRecord[], ctx: FetchContext, known: ReadonlySet<string> = new Set()): Promise<LsRecord[]> {
  const wanted = unique(hosts.flatMap((h) => all(h, 'host-net-interfaces'))).filter((uri) => !known.has(uri));
  return byUri(source, 'interface', wanted, ctx);
}

/** Services of the given types (all services when none), their hosts and the hosts' interfaces. */
export async function fetchForSearch(source: LsSource, serviceTypes: readonly string[], ctx: FetchContext): Promise<LsRecord[]> {
  const filter: RecordFilter = serviceTypes.length > 0 ? { type: 'service', key: 'service-type', values: serviceTypes } : { type: 'service' };
  const services = await fetchRecords(source, filter, ctx);
  const hosts = await byUri(source, 'host', unique(services.flatMap((s) => all(s, 'service-host'))), ctx);
  // Services registered without service-host (#707) find their host through client-uuid.
  const known = new Set(hosts.map((h) => h.uri));
  const loose = unique(services.filter((s) => !known.has(all(s, 'service-host')[0] ?? '')).flatMap((s) => all(s, 'client-uuid')));
  if (loose.length > 0 && loose.length <= FULL_FETCH_THRESHOLD && hosts.length <= FULL_FETCH_THRESHOLD) {
    for (const host of await fetchRecords(source, { type: 'host', key: 'client-uuid', values: loose }, ctx)) if (!known.has(host.uri)) hosts.push(host);
  }
  const interfaces = await interfacesOf(source, hosts, ctx);
  return [...services, ...hosts, ...interfaces];
}

/**
 * Reverse join for traceroute hops: interfaces holding the addresses, hosts holding those interfaces
 * (or naming the address directly), all of those hosts' interfaces, and the services pointing at
 * those hosts. `service-host` is exact through ES (`service-host.keyword`); the ES-backed records
 * API analyses it as text, so there the query returns (nearly) every service and the client keeps
 * the right ones. client-uuid is no substitute: records older than 3.5 lack it.
 */
export async function fetchForHops(source: LsSource, ips: readonly string[], ctx: FetchContext): Promise<LsRecord[]> {
  const spellings = unique(ips.flatMap((ip) => [ip, canonicalIp(ip) ?? ip, (canonicalIp(ip) ?? ip).toUpperCase()]));
  const matched = await fetchRecords(source, { type: 'interface', key: 'interface-addresses', values: spellings }, ctx);
  const viaInterface = matched.length
    ? await fetchRecords(source, { type: 'host', key: 'host-net-interfaces', values: matched.map((i) => i.uri) }, ctx)
    : [];
  const viaName = await fetchRecords(source, { type: 'host', key: 'host-name', values: spellings }, ctx);
  const hosts = [...new Map([...viaInterface, ...viaName].map((h) => [h.uri, h])).values()];
  if (hosts.length === 0) return matched;
  const interfaces = await interfacesOf(source, hosts, ctx, new Set(matched.map((i) => i.uri)));
  const services = await fetchRecords(source, { type: 'service', key: 'service-host', values: hosts.map((h) => h.uri) }, ctx);
  return [...matched, ...hosts, ...interfaces, ...services];
}

/** Everything: what a background refresh stores so any later search can be answered offline. */
export async function fetchSnapshot(source: LsSource, ctx: FetchContext): Promise<LsRecord[]> {
  const services = await fetchRecords(source, { type: 'service' }, ctx);
  const hosts = await fetchRecords(source, { type: 'host' }, ctx);
  const interfaces = await fetchRecords(source, { type: 'interface' }, ctx);
  return [...services, ...hosts, ...interfaces];
}
