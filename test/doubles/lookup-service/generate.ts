import { iso } from './fixtures.ts';

/*
 * A realistic Lookup Service population, deterministic for a seed: perfSONAR 5.x toolkits (host,
 * 1-2 interfaces, pscheduler/owamp/twamp/ma services with http+https locators, IPv6 locators
 * bracketed), a few old 3.5/4.x hosts (bwctl, bare-name traceroute, no client-uuid), IP-only
 * host-names, inconsistent community spelling, re-registrations (same client-uuid, new uris) and
 * expired records. Addresses come from 198.18.0.0/15 and 2001:db8::/32, names from example.* zones.
 */

export interface GenerateOptions {
  /** Total number of records to produce (default 20,000, about the global LS today). */
  records?: number;
  seed?: number;
  now?: number;
  /** Share of hosts whose records have all expired. */
  expiredShare?: number;
  /** Share of hosts registered twice (same client-uuid, new uris), as after a reinstall. */
  reRegisteredShare?: number;
  /** Share of old (3.5/4.x) hosts. */
  oldShare?: number;
}

type Json = Record<string, unknown>;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SITES = [
  ['ESnet', 'Berkeley', 'CA', 'US', 37.8716, -122.2727],
  ['Internet2', 'Ann Arbor', 'MI', 'US', 42.2808, -83.743],
  ['FNAL', 'Batavia', 'IL', 'US', 41.8503, -88.3126],
  ['BNL', 'Upton', 'NY', 'US', 40.8687, -72.8868],
  ['CERN', 'Geneva', 'GE', 'CH', 46.2044, 6.1432],
  ['DESY', 'Hamburg', 'HH', 'DE', 53.5753, 9.8805],
  ['GEANT', 'Amsterdam', 'NH', 'NL', 52.3676, 4.9041],
  ['RNP', 'Rio de Janeiro', 'RJ', 'BR', -22.9068, -43.1729],
  ['AARNet', 'Sydney', 'NSW', 'AU', -33.8688, 151.2093],
  ['KREONET', 'Daejeon', '', 'KR', 36.3504, 127.3845],
  ['SANReN', 'Cape Town', 'WC', 'ZA', -33.9249, 18.4241],
  ['BCNET', 'Vancouver', 'BC', 'CA', 49.2827, -123.1207],
  ['RENATER', 'Paris', '', 'FR', 48.8566, 2.3522],
  ['JANET', 'London', '', 'GB', 51.5072, -0.1276],
  ['SINET', 'Tokyo', '', 'JP', 35.6762, 139.6503],
  ['CSTNET', 'Beijing', '', 'CN', 39.9042, 116.4074],
  ['MREN', 'Chicago', 'IL', 'US', 41.8781, -87.6298],
  ['UNL', 'Lincoln', 'NE', 'US', 40.8136, -96.7026],
  ['UCSD', 'San Diego', 'CA', 'US', 32.7157, -117.1611],
  ['INFN', 'Bologna', 'BO', 'IT', 44.4949, 11.3426],
] as const;

const COMMUNITIES = ['WLCG', 'wlcg', 'LHCONE', 'LHC-OPN', 'ESnet', 'Internet2', 'GEANT', 'OSG', 'perfSONAR-PS', 'CANARIE', 'HEPnet-Canada', 'AmLight', 'Belle II', 'CMS', 'ATLAS', 'USATLAS'];
const TOOLKITS = ['5.2.3', '5.2.2', '5.1.4', '5.0.8', '4.4.6'];
const ROLES = ['nren', 'regional', 'site-border', 'site-internal', 'science-dmz', 'exchange-point', 'test-host'];

export function generateRecords(options: GenerateOptions = {}): Json[] {
  const target = options.records ?? 20_000;
  const now = options.now ?? Date.now();
  const random = mulberry32(options.seed ?? 42);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
  const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-${pick(['8', '9', 'a', 'b'])}${hex(3)}-${hex(12)}`;
  const out: Json[] = [];

  for (let i = 0; out.length < target; i += 1) {
    const [org, city, state, country, lat, lon] = pick(SITES);
    const expired = random() < (options.expiredShare ?? 0.04);
    const old = random() < (options.oldShare ?? 0.06);
    const expires = iso(expired ? now - Math.floor((1 + random() * 47) * 3600_000) : now + Math.floor((0.5 + random() * 1.5) * 3600_000));
    const clientUuid = old && random() < 0.5 ? null : uuid();
    const domain = `${org.toLowerCase()}-${i}.example.${pick(['net', 'org', 'com'])}`;
    const name = `ps-${pick(['lat', 'bw', 'perf', 'ps'])}${i % 7}.${domain}`;
    const v4 = `198.${18 + ((i >> 16) & 1)}.${(i >> 8) & 255}.${i & 255}`;
    const v6 = `2001:db8:${(i >> 16).toString(16)}:${(i & 0xffff).toString(16)}::1`;
    const hasV6 = random() < 0.5;
    const ipOnly = random() < 0.1;
    const site = `${org}-${city.replace(/\s+/g, '')}`;
    const communities = Array.from(new Set(Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(COMMUNITIES))));
    const location = {
      'location-sitename': [site],
      'location-city': [city],
      ...(state ? { 'location-state': [state] } : {}),
      'location-country': [country],
      'location-latitude': [(lat + (random() - 0.5) * 0.2).toFixed(6)],
      'location-longitude': [(lon + (random() - 0.5) * 0.2).toFixed(6)],
    };
    const common = (type: string, kind: string) => ({
      type: [type],
      uri: `lookup/${kind}/${uuid()}`,
      expires,
      state: pick(['registered', 'renewed']),
      ttl: [],
      ...(clientUuid ? { 'client-uuid': [clientUuid] } : {}),
    });
    const registrations = random() < (options.reRegisteredShare ?? 0.03) ? 2 : 1;
    for (let r = 0; r < registrations; r += 1) {
      const interfaces: Json[] = [];
      const ifCount = random() < 0.3 ? 2 : 1;
      for (let k = 0; k < ifCount; k += 1) {
        interfaces.push({
          ...common('interface', 'interface'),
          'interface-name': [k === 0 ? 'eth0' : `ens${k + 1}f0`],
          'interface-addresses': k === 0 ? (hasV6 ? [v4, v6] : [v4]) : [`198.${18 + ((i >> 16) & 1)}.${(i >> 8) & 255}.${(i + 128) & 255}`],
          'interface-subnet': ['255.255.255.0'],
          'interface-capacity': [pick(['1000000000', '10000000000', '40000000000', '100000000000'])],
          'interface-mtu': [pick(['1500', '9000'])],
          'interface-mac': [Array.from({ length: 6 }, () => hex(2)).join(':')],
          'psinterface-urns': [`urn:ogf:network:${domain}:eth${k}`],
          'group-domains': [domain],
          ...(old ? {} : { 'pscheduler-tests': ['rtt', 'trace', 'latency', 'latencybg', 'throughput', 'clock'] }),
        });
      }
      const version = old ? pick(['3.5.1.7', '4.0.2', '4.1.6']) : pick(TOOLKITS);
      const host: Json = {
        ...common('host', 'host'),
        'host-name': ipOnly ? [v4] : [v4, name],
        'host-net-interfaces': interfaces.map((x) => x.uri),
        'host-hardware-memory': [`${pick([4, 8, 16, 32, 64]) * 1024} MB`],
        'host-hardware-processorspeed': ['2600.000 MHz'],
        'host-hardware-processorcount': ['1'],
        'host-hardware-processorcore': [String(pick([2, 4, 8, 16]))],
        'host-hardware-cpuid': ['Intel(R) Xeon(R) Silver 4210R CPU @ 2.40GHz'],
        'host-os-name': [pick(['CentOS', 'Rocky Linux', 'AlmaLinux', 'Ubuntu', 'Debian GNU/Linux'])],
        'host-os-version': [pick(['7.9.2009', '8.10', '9.4', '22.04', '12'])],
        'host-os-kernel': ['Linux 5.14.0-427.13.1.el9_4.x86_64'],
        'host-os-architecture': ['x86_64'],
        'host-net-tcp-congestionalgorithm': [pick(['cubic', 'htcp', 'bbr'])],
        'host-net-tcp-maxbuffer-send': ['536870912 bytes'],
        'host-net-tcp-maxbuffer-recv': ['536870912 bytes'],
        'host-vm': [random() < 0.3 ? '1' : '0'],
        'pshost-role': [pick(ROLES)],
        'pshost-access-policy': [pick(['public', 'research-education', 'limited', 'private'])],
        'pshost-bundle': [pick(['perfsonar-toolkit', 'perfsonar-testpoint', 'perfsonar-tools'])],
        'pshost-bundle-version': [version],
        'pshost-toolkitversion': [version],
        'host-administrators': [`lookup/person/${uuid()}`],
        'group-communities': communities,
        'group-domains': [domain],
        ...location,
      };
      const locHost = ipOnly ? v4 : name;
      const service = (type: string, serviceName: string, locators: string[], extra: Json = {}): Json => ({
        ...common('service', 'service'),
        'service-type': [type],
        'service-name': [serviceName],
        'service-locator': locators,
        'service-host': [host.uri],
        'service-administrators': host['host-administrators'],
        'group-communities': communities,
        'group-domains': [domain],
        ...location,
        ...extra,
      });
      const services: Json[] = old
        ? [
            service('bwctl', 'BWCTL Server', [`tcp://${locHost}:4823`], {
              'psservice-eventtypes': ['http://ggf.org/ns/nmwg/tools/bwctl/1.0'],
              'bwctl-tools': ['iperf', 'nuttcp', 'iperf3', 'ping', 'traceroute', 'tracepath', 'owamp'],
            }),
            service('owamp', 'OWAMP Server', [`tcp://${locHost}:861`], { 'psservice-eventtypes': ['http://ggf.org/ns/nmwg/tools/owamp/1.0'] }),
            service('traceroute', 'Traceroute Responder', [locHost], { 'psservice-eventtypes': ['http://ggf.org/ns/nmwg/tools/traceroute/1.0'] }),
          ]
        : [
            service('pscheduler', `${site} pScheduler`, [`https://${locHost}/pscheduler`, ...(random() < 0.5 ? [`http://${locHost}/pscheduler`] : [])], {
              'service-version': ['pscheduler-1.0'],
              'pscheduler-tests': ['rtt', 'trace', 'latency', 'latencybg', 'throughput', 'clock', 'idle'],
              'pscheduler-tools': ['ping', 'traceroute', 'tracepath', 'owping', 'powstream', 'iperf3', 'nuttcp', 'psclock'],
            }),
            service('owamp', 'OWAMP Server', [`tcp://${locHost}:861`, ...(hasV6 ? [`tcp://[${v6}]:861`] : [])], {
              'psservice-eventtypes': ['http://ggf.org/ns/nmwg/tools/owamp/1.0'],
            }),
            ...(random() < 0.7 ? [service('twamp', 'TWAMP Server', [`tcp://${locHost}:862`], { 'psservice-eventtypes': [] })] : []),
            ...(random() < 0.6
              ? [service('ma', 'Measurement Archive', [`https://${locHost}/esmond/perfsonar/archive`, `http://${locHost}/esmond/perfsonar/archive`], { 'service-version': ['esmond-2.0'], 'ma-type': ['esmond'] })]
              : []),
          ];
      out.push(...services, host, ...interfaces);
    }
  }
  return out.slice(0, target);
}
