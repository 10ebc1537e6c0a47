import type { HostQuery, HostView } from '../../shared/hosts.ts';
import { distanceKm } from './geo.ts';

export type HostFilter = Pick<HostQuery, 'serviceTypes' | 'community' | 'country' | 'site' | 'text' | 'near' | 'maxDistanceKm'>;

function haystack(host: HostView): string {
  const l = host.location;
  return [
    ...host.names,
    ...host.addresses.ipv4,
    ...host.addresses.ipv6,
    l.site ?? '',
    l.city ?? '',
    l.region ?? '',
    l.country ?? '',
    ...host.communities,
    ...host.domains,
    ...host.services.map((s) => s.name ?? ''),
  ]
    .join('\n')
    .toLowerCase();
}

/** A predicate for one query; precomputes what it can. */
export function hostMatcher(filter: HostFilter): (host: HostView) => boolean {
  const types = new Set(filter.serviceTypes.map((t) => t.toLowerCase()));
  const community = filter.community?.toLowerCase();
  const country = filter.country?.toLowerCase();
  const site = filter.site?.toLowerCase();
  const words = filter.text?.toLowerCase().split(/\s+/).filter(Boolean) ?? [];
  return (host) => {
    if (host.services.length === 0) return false;
    if (types.size > 0 && !host.services.some((s) => types.has(s.type))) return false;
    if (community !== undefined && !host.communities.some((c) => c.toLowerCase() === community)) return false;
    if (country !== undefined && host.location.country?.toLowerCase() !== country) return false;
    if (site !== undefined && !(host.location.site?.toLowerCase().includes(site) ?? false)) return false;
    if (filter.maxDistanceKm !== undefined && filter.near !== undefined && (host.distanceKm === null || host.distanceKm > filter.maxDistanceKm)) return false;
    if (words.length > 0) {
      const text = haystack(host);
      if (!words.every((w) => text.includes(w))) return false;
    }
    return true;
  };
}

/** Fills distanceKm from `near` (null when the host has no coordinates). */
export function withDistance(hosts: readonly HostView[], near: HostQuery['near']): HostView[] {
  if (!near) return hosts.map((h) => (h.distanceKm === null ? h : { ...h, distanceKm: null }));
  return hosts.map((h) => {
    const { latitude, longitude } = h.location;
    return { ...h, distanceKm: latitude === null || longitude === null ? null : distanceKm(near, { latitude, longitude }) };
  });
}

const byName = (a: HostView, b: HostView) => (a.target < b.target ? -1 : a.target > b.target ? 1 : 0);
/** Nulls last, then by name so the order is stable across runs. */
const ascending = (get: (h: HostView) => number | null) => (a: HostView, b: HostView) => {
  const x = get(a);
  const y = get(b);
  if (x === null || y === null) return x === y ? byName(a, b) : x === null ? 1 : -1;
  return x - y || byName(a, b);
};

export function sortHosts(hosts: HostView[], sort: HostQuery['sort'], near: HostQuery['near']): HostView[] {
  const effective = sort === 'auto' ? (hosts.some((h) => h.reachability !== null) ? 'reachability' : near ? 'distance' : 'name') : sort;
  switch (effective) {
    case 'distance':
      return hosts.sort(ascending((h) => h.distanceKm));
    case 'reachability':
      return hosts.sort(ascending((h) => h.reachability?.connectMs ?? null));
    case 'freshness':
      return hosts.sort((a, b) => b.freshness.expiresAt - a.freshness.expiresAt || byName(a, b));
    default:
      return hosts.sort(byName);
  }
}

/** The hosts a query matches, with their distance, in no particular order. */
export function matchHosts(hosts: readonly HostView[], query: HostQuery): HostView[] {
  return withDistance(hosts, query.near).filter(hostMatcher(query));
}

/** Filter, measure distance, sort, cut to `limit`: the whole ranking of one query. */
export function rankHosts(hosts: readonly HostView[], query: HostQuery): { hosts: HostView[]; total: number } {
  const ranked = sortHosts(matchHosts(hosts, query), query.sort, query.near);
  return { hosts: ranked.slice(0, query.limit), total: ranked.length };
}

/** At most this many hosts are probed for one reachability ranking (the probe's time budget bounds it too). */
export const PROBE_CAP = 1000;

/**
 * The hosts to probe before ranking by reachability: every match up to the cap (at least `limit`),
 * nearest first when the query has a location, else by name. Never a cut to `limit` first.
 */
export function probeCandidates(matches: readonly HostView[], query: HostQuery, cap = PROBE_CAP): HostView[] {
  return sortHosts([...matches], query.near ? 'distance' : 'name', query.near).slice(0, Math.max(cap, query.limit));
}
