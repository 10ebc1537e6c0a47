import { describe, expect, it } from 'vitest';
import { DropCounter } from '../../electron/core/discovery/drops.ts';
import { joinHosts, type SourcedRecord } from '../../electron/core/discovery/join.ts';
import { normalizeRecords } from '../../electron/core/discovery/records.ts';
import { HostView } from '../../electron/shared/hosts.ts';
import { iso, linkedReferenceSet } from '../doubles/lookup-service/fixtures.ts';
import { generateRecords } from '../doubles/lookup-service/generate.ts';
import { hostileCases, unusableHost } from '../doubles/lookup-service/hostile.ts';

const NOW = Date.parse('2026-07-22T12:00:00Z');
const LS_A = 'http://ls-a.example.net/lookup/_search';
const LS_B = 'http://ls-b.example.net:8090/lookup/records';

function sourced(raw: readonly unknown[], source = LS_A, fetchedAt = NOW): SourcedRecord[] {
  return normalizeRecords(raw, NOW, new DropCounter()).map((record) => ({ record, source, fetchedAt }));
}

function byTarget(hosts: readonly HostView[], target: string): HostView {
  const host = hosts.find((h) => h.target === target);
  if (!host) throw new Error(`no host ${target} in ${hosts.map((h) => h.target).join(', ')}`);
  return host;
}

describe('joinHosts on the reference records', () => {
  const { hosts, dropped } = joinHosts(sourced(linkedReferenceSet(NOW)), NOW);

  it('joins service → host → interface into one view per machine', () => {
    expect(hosts).toHaveLength(2);
    expect(dropped.total).toBe(0);
  });

  it('builds the BCNET host from the 2015 owamp record and its host and interface', () => {
    const bc = byTarget(hosts, 'pfs1-lat.srry1.bc.net');
    expect(bc.id).toBe('uuid:5a2c8f3e-0c1d-4b7a-9f2e-bc0000000001');
    expect(bc.names).toEqual(['pfs1-lat.srry1.bc.net']);
    expect(bc.addresses).toEqual({ ipv4: ['198.19.10.1'], ipv6: ['2001:db8:ffff:10::1'] });
    expect(bc.services).toEqual([
      {
        uri: 'lookup/service/a85f08be-815f-4122-ade7-ad94003120fb',
        type: 'owamp',
        name: 'BCNET-SRRYTX OWAMP Server',
        version: null,
        locators: [{ url: 'tcp://pfs1-lat.srry1.BC.net:861', scheme: 'tcp', host: 'pfs1-lat.srry1.bc.net', port: 861 }],
        tests: [],
        tools: [],
      },
    ]);
    expect(bc.interfaces).toEqual([{ name: 'eth0', addresses: ['198.19.10.1', '2001:db8:ffff:10::1'], capacity: 10_000_000_000, mtu: 9000 }]);
    expect(bc.capacity).toBe(10_000_000_000);
    expect(bc.mtu).toBe(9000);
    expect(bc.location).toEqual({ site: 'BCNET-SRRYTX', city: 'Surrey', region: null, country: 'CA', postalCode: null, latitude: 49.187959, longitude: -122.847794 });
    expect(bc.communities).toEqual(['ComputeCanada', 'CANARIE', 'HEPnet-Canada']);
    expect(bc.toolkitVersion).toBe('5.2.3');
    expect(bc.freshness).toEqual({ expiresAt: NOW + 2 * 3600_000, fetchedAt: NOW, expired: false });
    expect(bc.sources).toEqual([LS_A]);
  });

  it('builds the Macau host (IP-only host-name) with its pscheduler service', () => {
    const macau = byTarget(hosts, '116.193.10.38');
    expect(macau.names).toEqual([]);
    expect(macau.services.map((s) => [s.type, s.locators.map((l) => `${l.scheme}:${l.host}:${l.port}`)])).toEqual([
      ['pscheduler', ['https:116.193.10.38:443', 'http:116.193.10.38:80']],
    ]);
    expect(macau.services[0]?.tests).toContain('throughput');
    expect(macau.services[0]?.tools).toContain('iperf3');
    expect(macau).toMatchObject({ toolkitVersion: '3.5.1.7', os: 'CentOS 6.8 (Final)', accessPolicy: 'private', bundle: 'perfsonar-toolkit', roles: ['site-border'] });
    expect(macau.location.country).toBe('MO');
  });

  it('produces views that satisfy the contract schema', () => {
    for (const host of hosts) expect(HostView.safeParse(host).success).toBe(true);
  });
});

describe('joinHosts de-duplication', () => {
  it('keeps one copy per uri across Lookup Services, the one that expires last, and lists both sources', () => {
    const older = linkedReferenceSet(NOW - 600_000); // expires 10 min earlier
    const newer = linkedReferenceSet(NOW);
    const { hosts } = joinHosts([...sourced(older, LS_A, NOW - 1000), ...sourced(newer, LS_B, NOW)], NOW);
    expect(hosts).toHaveLength(2);
    const bc = byTarget(hosts, 'pfs1-lat.srry1.bc.net');
    expect(bc.sources).toEqual([LS_A, LS_B]);
    expect(bc.freshness.expiresAt).toBe(NOW + 2 * 3600_000);
    expect(bc.services).toHaveLength(1);
  });

  it('merges a re-registration (same client-uuid, new uris) into one host', () => {
    const first = linkedReferenceSet(NOW);
    const again = linkedReferenceSet(NOW).map((r) => {
      const copy = { ...r } as Record<string, unknown>;
      copy.uri = String(copy.uri).replace(/[0-9a-f]{4}$/, 'beef');
      if (Array.isArray(copy['service-host'])) copy['service-host'] = (copy['service-host'] as string[]).map((u) => u.replace(/[0-9a-f]{4}$/, 'beef'));
      if (Array.isArray(copy['host-net-interfaces'])) copy['host-net-interfaces'] = (copy['host-net-interfaces'] as string[]).map((u) => u.replace(/[0-9a-f]{4}$/, 'beef'));
      return copy;
    });
    const { hosts } = joinHosts(sourced([...first, ...again]), NOW);
    expect(hosts).toHaveLength(2);
    expect(byTarget(hosts, 'pfs1-lat.srry1.bc.net').hostUris).toHaveLength(2);
    expect(byTarget(hosts, 'pfs1-lat.srry1.bc.net').services).toHaveLength(1); // same type and locators
  });

  it('merges hosts that share a DNS name but not unrelated hosts that share a private address', () => {
    const live = iso(NOW + 3600_000);
    const host = (id: string, names: string[]) => ({ type: ['host'], uri: `lookup/host/${id}`, expires: live, 'host-name': names });
    const svc = (id: string, hostId: string, locator: string) => ({
      type: ['service'],
      uri: `lookup/service/${id}`,
      expires: live,
      'service-type': ['owamp'],
      'service-host': [`lookup/host/${hostId}`],
      'service-locator': [locator],
    });
    const records = [
      host('h1', ['10.0.0.1', 'ps1.example.net']),
      host('h2', ['10.0.0.1', 'ps2.example.org']),
      host('h3', ['PS1.example.net.']),
      svc('s1', 'h1', 'tcp://ps1.example.net:861'),
      svc('s2', 'h2', 'tcp://ps2.example.org:861'),
      svc('s3', 'h3', 'tcp://ps1.example.net:861'),
    ];
    const { hosts } = joinHosts(sourced(records), NOW);
    expect(hosts.map((h) => h.target).sort()).toEqual(['ps1.example.net', 'ps2.example.org']);
    expect(byTarget(hosts, 'ps1.example.net').hostUris).toEqual(['lookup/host/h1', 'lookup/host/h3']);
  });

  it('attaches a service without service-host to the host with its client-uuid, else stands it alone', () => {
    const live = iso(NOW + 3600_000);
    const records = [
      { type: ['host'], uri: 'lookup/host/h1', expires: live, 'host-name': ['ps1.example.net'], 'client-uuid': ['u-1'] },
      { type: ['service'], uri: 'lookup/service/s1', expires: live, 'service-type': ['twamp'], 'client-uuid': ['u-1'], 'service-locator': ['tcp://ps1.example.net:862'] },
      { type: ['service'], uri: 'lookup/service/s2', expires: live, 'service-type': ['owamp'], 'service-host': ['lookup/host/gone'], 'service-locator': ['tcp://lonely.example.net:861'] },
      { type: ['service'], uri: 'lookup/service/s3', expires: live, 'service-type': ['owamp'], 'service-locator': ['tcp://-x:861'] },
    ];
    const { hosts, dropped } = joinHosts(sourced(records), NOW);
    expect(byTarget(hosts, 'ps1.example.net').services.map((s) => s.type)).toEqual(['twamp']);
    expect(byTarget(hosts, 'lonely.example.net')).toMatchObject({ id: 'name:lonely.example.net', hostUris: [] });
    expect(dropped.toJSON()).toEqual({ 'invalid-locator': 1, 'orphan-service': 1 });
  });
});

describe('joinHosts on hostile values', () => {
  it('drops option-like and shell-like names and locators, counting each, and keeps the valid ones', () => {
    const kept = hostileCases(NOW).filter((c) => c.reason === null);
    const { hosts, dropped } = joinHosts(sourced(kept.map((c) => c.record)), NOW);
    for (const host of hosts) {
      for (const value of [host.target, ...host.names, ...host.services.flatMap((s) => s.locators.map((l) => l.host))]) {
        expect(value).toMatch(/^[a-z0-9.:-]+$/);
        expect(value.startsWith('-')).toBe(false);
      }
    }
    expect(hosts.map((h) => h.target)).toEqual(expect.arrayContaining(['ok-x.hostile.example.net', 'ok-foo.hostile.example.net', 'ok-bare.hostile.example.net', 'ok-host.hostile.example.net', 'ok-shell.hostile.example.net']));
    expect(dropped.toJSON()).toEqual({ 'invalid-host-name': 4, 'invalid-locator': 3 });
  });

  it('drops a host with no usable name or address at all', () => {
    const { hosts, dropped } = joinHosts(sourced(unusableHost(NOW)), NOW);
    expect(hosts).toEqual([]);
    expect(dropped.toJSON()).toEqual({ 'invalid-host-name': 2, 'invalid-locator': 2, 'no-usable-address': 1 });
  });

  it('refuses out-of-range numbers instead of passing them on', () => {
    const live = iso(NOW + 3600_000);
    const records = [
      {
        type: ['host'],
        uri: 'lookup/host/h1',
        expires: live,
        'host-name': ['ps1.example.net'],
        'host-net-interfaces': ['lookup/interface/i1'],
        'location-latitude': ['91.5'],
        'location-longitude': ['10'],
        'location-country': ['us'],
      },
      { type: ['interface'], uri: 'lookup/interface/i1', expires: live, 'interface-capacity': ['10G'], 'interface-mtu': ['99999'], 'interface-addresses': ['198.51.100.7', 'not an address!'] },
      { type: ['service'], uri: 'lookup/service/s1', expires: live, 'service-type': ['owamp'], 'service-host': ['lookup/host/h1'], 'service-locator': ['tcp://ps1.example.net:861'] },
    ];
    const { hosts, dropped } = joinHosts(sourced(records), NOW);
    expect(hosts[0]).toMatchObject({ capacity: null, mtu: null, location: { latitude: null, longitude: null, country: 'US' } });
    expect(hosts[0]?.interfaces[0]?.addresses).toEqual(['198.51.100.7']);
    expect(dropped.toJSON()).toEqual({ 'invalid-address': 1 });
  });

  it('marks hosts whose registration lapsed (cached data) as expired', () => {
    const { hosts } = joinHosts(sourced(linkedReferenceSet(NOW), LS_A, NOW), NOW + 3 * 3600_000);
    expect(hosts.every((h) => h.freshness.expired)).toBe(true);
  });
});

describe('joinHosts on a generated population', () => {
  it('yields schema-valid, unique hosts from 5,000 records', () => {
    const { hosts } = joinHosts(sourced(generateRecords({ records: 5000, now: NOW, seed: 7 })), NOW);
    expect(hosts.length).toBeGreaterThan(500);
    expect(new Set(hosts.map((h) => h.id)).size).toBe(hosts.length);
    const targets = new Set(hosts.map((h) => h.target));
    expect(targets.size).toBe(hosts.length);
    for (const host of hosts.slice(0, 200)) expect(HostView.safeParse(host).error).toBeUndefined();
  });
});
