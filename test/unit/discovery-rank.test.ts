import { describe, expect, it } from 'vitest';
import { DropCounter } from '../../electron/core/discovery/drops.ts';
import { distanceKm, parseCoordinate } from '../../electron/core/discovery/geo.ts';
import { joinHosts } from '../../electron/core/discovery/join.ts';
import { hostMatcher, matchHosts, probeCandidates, rankHosts } from '../../electron/core/discovery/rank.ts';
import { normalizeRecords } from '../../electron/core/discovery/records.ts';
import { HostQuery, type HostView } from '../../electron/shared/hosts.ts';
import { iso } from '../doubles/lookup-service/fixtures.ts';

const NOW = Date.parse('2026-07-22T12:00:00Z');

describe('distanceKm', () => {
  it('is a quarter of the mean circumference from the equator to the pole', () => {
    expect(distanceKm({ latitude: 0, longitude: 0 }, { latitude: 90, longitude: 0 })).toBeCloseTo((Math.PI / 2) * 6371.0088, 6);
  });

  it('is symmetric, zero for one point, and about 343 km from Paris to London', () => {
    const paris = { latitude: 48.8566, longitude: 2.3522 };
    const london = { latitude: 51.5072, longitude: -0.1276 };
    expect(distanceKm(paris, paris)).toBe(0);
    expect(distanceKm(paris, london)).toBeCloseTo(distanceKm(london, paris), 9);
    expect(distanceKm(paris, london)).toBeGreaterThan(340);
    expect(distanceKm(paris, london)).toBeLessThan(347);
  });

  it('takes the short way across the antimeridian', () => {
    expect(distanceKm({ latitude: 0, longitude: 179.5 }, { latitude: 0, longitude: -179.5 })).toBeCloseTo(111.2, 0);
  });
});

describe('parseCoordinate', () => {
  it.each([
    ['49.187959', 90, 49.187959],
    ['-122.847794', 180, -122.847794],
    ['+10', 90, 10],
    ['91', 90, null],
    ['1e2', 90, null],
    ['NaN', 90, null],
    ['', 90, null],
    ['12,5', 90, null],
  ] as const)('%s within ±%d → %s', (text, limit, expected) => {
    expect(parseCoordinate(text, limit)).toBe(expected);
  });
});

function hostsFrom(specs: { name: string; type: string; community?: string; country?: string; site?: string; city?: string; lat?: number; lon?: number }[]): HostView[] {
  const live = iso(NOW + 3600_000);
  const raw = specs.flatMap((s, i) => [
    {
      type: ['host'],
      uri: `lookup/host/h${i}`,
      expires: live,
      'host-name': [s.name],
      ...(s.community ? { 'group-communities': [s.community] } : {}),
      ...(s.country ? { 'location-country': [s.country] } : {}),
      ...(s.site ? { 'location-sitename': [s.site] } : {}),
      ...(s.city ? { 'location-city': [s.city] } : {}),
      ...(s.lat !== undefined ? { 'location-latitude': [String(s.lat)], 'location-longitude': [String(s.lon)] } : {}),
    },
    { type: ['service'], uri: `lookup/service/s${i}`, expires: live, 'service-type': [s.type], 'service-host': [`lookup/host/h${i}`], 'service-locator': [`tcp://${s.name}`] },
  ]);
  const records = normalizeRecords(raw, NOW, new DropCounter()).map((record) => ({ record, source: 'http://ls.example.net/lookup/_search', fetchedAt: NOW }));
  return joinHosts(records, NOW).hosts;
}

const HOSTS = hostsFrom([
  { name: 'geneva.example.net', type: 'owamp', community: 'WLCG', country: 'CH', site: 'CERN', city: 'Geneva', lat: 46.2044, lon: 6.1432 },
  { name: 'hamburg.example.net', type: 'owamp', community: 'wlcg', country: 'de', site: 'DESY', city: 'Hamburg', lat: 53.5753, lon: 9.8805 },
  { name: 'chicago.example.net', type: 'pscheduler', community: 'ESnet', country: 'US', site: 'MREN', city: 'Chicago', lat: 41.8781, lon: -87.6298 },
  { name: 'nowhere.example.net', type: 'owamp', community: 'WLCG' },
  { name: 'twamp.example.net', type: 'TWAMP', country: 'US', lat: 40, lon: -100 },
]);

const query = (input: Parameters<typeof HostQuery.parse>[0]) => HostQuery.parse(input);
const targets = (hosts: readonly HostView[]) => hosts.map((h) => h.target);

describe('rankHosts', () => {
  it('filters by service type, case-insensitively', () => {
    expect(targets(rankHosts(HOSTS, query({ serviceTypes: ['twamp'] })).hosts)).toEqual(['twamp.example.net']);
    expect(targets(rankHosts(HOSTS, query({ serviceTypes: ['owamp', 'pscheduler'] })).hosts)).toHaveLength(4);
  });

  it('filters by community ignoring case, by country and by site', () => {
    expect(targets(rankHosts(HOSTS, query({ community: 'WLCG' })).hosts)).toEqual(['geneva.example.net', 'hamburg.example.net', 'nowhere.example.net']);
    expect(targets(rankHosts(HOSTS, query({ country: 'us' })).hosts)).toEqual(['chicago.example.net', 'twamp.example.net']);
    expect(targets(rankHosts(HOSTS, query({ country: 'DE' })).hosts)).toEqual(['hamburg.example.net']);
    expect(targets(rankHosts(HOSTS, query({ site: 'desy' })).hosts)).toEqual(['hamburg.example.net']);
  });

  it('matches every word of free text against names, places and communities', () => {
    expect(targets(rankHosts(HOSTS, query({ text: 'esnet chicago' })).hosts)).toEqual(['chicago.example.net']);
    expect(targets(rankHosts(HOSTS, query({ text: 'esnet geneva' })).hosts)).toEqual([]);
  });

  it('sorts by distance from `near` (hosts without coordinates last) and cuts to the limit, reporting the total', () => {
    const zurich = { latitude: 47.3769, longitude: 8.5417 };
    const ranked = rankHosts(HOSTS, query({ near: zurich, limit: 3 }));
    expect(targets(ranked.hosts)).toEqual(['geneva.example.net', 'hamburg.example.net', 'chicago.example.net']);
    expect(ranked.total).toBe(5);
    expect(ranked.hosts[0]?.distanceKm).toBeGreaterThan(200);
    expect(ranked.hosts[0]?.distanceKm).toBeLessThan(230);
    const all = rankHosts(HOSTS, query({ near: zurich }));
    expect(all.hosts.at(-1)?.target).toBe('nowhere.example.net');
    expect(all.hosts.at(-1)?.distanceKm).toBeNull();
  });

  it('limits by maximum distance', () => {
    const zurich = { latitude: 47.3769, longitude: 8.5417 };
    expect(targets(rankHosts(HOSTS, query({ near: zurich, maxDistanceKm: 800 })).hosts)).toEqual(['geneva.example.net', 'hamburg.example.net']);
  });

  it('ignores a maximum distance without a location to measure from', () => {
    expect(rankHosts(HOSTS, query({ maxDistanceKm: 10 })).total).toBe(5);
  });

  it('sorts by name without `near`', () => {
    expect(targets(rankHosts(HOSTS, query({})).hosts)).toEqual([...targets(HOSTS)].sort());
  });

  it('never lists hosts without services', () => {
    const bare = { ...(HOSTS[0] as HostView), services: [] };
    expect(hostMatcher(query({}))(bare)).toBe(false);
  });
});

describe('probeCandidates', () => {
  const zurich = { latitude: 47.3769, longitude: 8.5417 };
  it('takes the nearest matches up to the cap, not the first `limit` of them', () => {
    const q = query({ near: zurich, limit: 1 });
    expect(targets(probeCandidates(matchHosts(HOSTS, q), q, 3))).toEqual(['geneva.example.net', 'hamburg.example.net', 'chicago.example.net']);
  });

  it('goes by name without a location, and never takes fewer than `limit`', () => {
    const q = query({ limit: 4 });
    expect(targets(probeCandidates(matchHosts(HOSTS, q), q, 2))).toEqual([...targets(HOSTS)].sort().slice(0, 4));
  });
});
