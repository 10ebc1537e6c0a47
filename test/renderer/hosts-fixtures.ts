import { HostView } from '../../electron/shared/hosts.ts';

type Patch = Omit<Partial<HostView>, 'location'> & { location?: Partial<HostView['location']> };

/** A HostView as the core returns one, checked against the contract so the fixtures cannot drift from it. */
export function hostView(target: string, patch: Patch = {}, now = Date.parse('2026-10-01T12:00:00Z')): HostView {
  const { location, ...rest } = patch;
  return HostView.parse({
    id: `name:${target}`,
    target,
    names: /^[\d.]+$|:/.test(target) ? [] : [target],
    addresses: { ipv4: ['198.18.0.1'], ipv6: [] },
    services: [
      { uri: `lookup/service/${target}-owamp`, type: 'owamp', name: 'OWAMP Server', version: null, locators: [{ url: `tcp://${target}:861`, scheme: 'tcp', host: target, port: 861 }], tests: [], tools: [] },
    ],
    interfaces: [{ name: 'eth0', addresses: ['198.18.0.1'], capacity: 1e10, mtu: 9000 }],
    capacity: 1e10,
    mtu: 9000,
    location: { site: 'Site', city: 'Geneva', region: null, country: 'CH', postalCode: null, latitude: 46.2, longitude: 6.14, ...location },
    communities: ['WLCG'],
    domains: [],
    roles: [],
    accessPolicy: null,
    bundle: 'perfsonar-toolkit',
    toolkitVersion: '5.2.3',
    os: null,
    clientUuids: [],
    hostUris: [`lookup/host/${target}`],
    sources: ['http://ls.example.net/lookup/_search'],
    freshness: { expiresAt: now + 3600_000, fetchedAt: now - 60_000, expired: false },
    distanceKm: null,
    reachability: null,
    ...rest,
  });
}
