/*
 * Real Lookup Service record shapes, verbatim from docs/perfsonar-apis.md A.5.1 (the reference's
 * sources: the live sLS in 2015/2016 and ls-registration-daemon's 5.x unit tests). Their `expires`
 * are long past, so `linkedReferenceSet()` also gives a fresh, cross-linked copy to serve as live.
 */

/** (1) owamp service record captured from the live sLS, 2015 (gocdb2sls README). */
export const OWAMP_SERVICE_2015 = {
  'service-name': ['BCNET-SRRYTX OWAMP Server'],
  'service-type': ['owamp'],
  'location-sitename': ['BCNET-SRRYTX'],
  state: 'renewed',
  ttl: [],
  'psservice-eventtypes': ['http://ggf.org/ns/nmwg/tools/owamp/1.0'],
  type: ['service'],
  uri: 'lookup/service/a85f08be-815f-4122-ade7-ad94003120fb',
  'location-longitude': ['-122.847794'],
  'location-latitude': ['49.187959'],
  'service-host': ['lookup/host/f90a2ec5-5c4c-4883-af61-c6492518e8c8'],
  'group-communities': ['ComputeCanada', 'CANARIE', 'HEPnet-Canada'],
  expires: '2015-09-01T19:27:25.156Z',
  'location-country': ['CA'],
  'service-locator': ['tcp://pfs1-lat.srry1.BC.net:861'],
  'location-state': ['BC'],
  'service-administrators': ['lookup/person/29ccdaf4-d4e0-4384-876a-8d2f68f08937'],
  'location-city': ['Surrey'],
} as const;

/** (2) host record from the live LS via the Python sls_client (note its client-added "ls-host"). */
export const HOST_2016 = {
  'pshost-bundle': ['perfsonar-toolkit'],
  'host-net-tcp-autotunemaxbuffer-recv': ['33554432 bytes'],
  'host-os-kernel': ['Linux 2.6.32-642.1.1.el6.web100.x86_64'],
  'host-net-tcp-congestionalgorithm': ['reno'],
  ttl: [],
  'client-uuid': ['62115a18-48c8-4893-849f-3bd1f04d4cf9'],
  'ls-host': 'http://ps-west.es.net:8090/',
  'host-vm': ['1'],
  'host-hardware-processorspeed': ['2133.409 MHz'],
  'pshost-bundle-version': ['3.5.1.7'],
  'host-hardware-cpuid': ['Intel(R) Xeon(R) CPU E5506 @ 2.13GHz'],
  'location-sitename': ['SmarTone'],
  'host-administrators': ['lookup/person/f2fa2878-2af9-4bbe-b645-b13b25bb0295'],
  'host-net-tcp-autotunemaxbuffer-send': ['33554432 bytes'],
  state: 'renewed',
  'host-name': ['116.193.10.38'],
  'pshost-access-policy': ['private'],
  'pshost-toolkitversion': ['3.5.1.7'],
  type: ['host'],
  'host-hardware-processorcore': ['1'],
  'host-os-version': ['6.8 (Final)'],
  'location-longitude': ['113.553900'],
  'host-net-interfaces': ['lookup/interface/1f6873a8-06ba-450b-aaeb-bc6cb5b4056b'],
  'host-manufacturer': ['VMware, Inc.'],
  expires: '2016-10-27T23:27:14.471Z',
  'location-city': ['Macau S.A.R.'],
  'location-country': ['MO'],
  'pshost-role': ['site-border'],
  'host-hardware-processorcount': ['1'],
  'host-net-tcp-maxbuffer-send': ['67108864 bytes'],
  'host-productname': ['VMware Virtual Platform'],
  'host-hardware-memory': ['1877 MB'],
  'host-os-name': ['CentOS'],
  uri: 'lookup/host/b3c87970-85f4-46f4-a029-100ada5f4ca5',
  'group-domains': [],
  'location-latitude': ['22.188737'],
  'host-net-tcp-maxbuffer-recv': ['67108864 bytes'],
} as const;

/** (3a) interface record as ls-registration-daemon t/interface.t expects it (no uri/expires: the LS adds those). */
export const INTERFACE_DAEMON = {
  'group-domains': ['es.net'],
  'interface-mtu': ['9000'],
  'interface-capacity': ['10000000000'],
  'interface-mac': ['09:12:37:2B:77:8B'],
  'interface-name': ['eth0'],
  'psinterface-urns': ['urn:ogf:network:foo.bar:eth0'],
  type: ['interface'],
  'interface-addresses': ['10.0.0.1'],
  'interface-subnet': ['255.255.255.252'],
} as const;

/** (3b) pscheduler service record as t/service_pscheduler.t expects it. */
export const PSCHEDULER_DAEMON = {
  'service-administrators': [''],
  'service-host': [''],
  'service-name': ['pScheduler'],
  type: ['service'],
  'service-locator': ['https://10.0.0.1'],
  'service-type': ['pscheduler'],
} as const;

type Json = Record<string, unknown>;
const clone = <T>(value: T): T => structuredClone(value) as T;

/** ISO time as the sLS writes it. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * The reference records made live and linked, as a 5.x host plus the 2015/2016 captures would sit
 * in one LS: every record gets an `expires` in the future (2 h lease), the pscheduler service and
 * interface get the uri/client-uuid the LS adds, and references point at each other.
 */
export function linkedReferenceSet(now: number): Json[] {
  const expires = iso(now + 2 * 3600_000);
  const owamp: Json = { ...clone(OWAMP_SERVICE_2015), expires };
  // The 2015 service's host record was not captured; a host record in the same shape as (2) stands in.
  const bcHost: Json = {
    ...clone(HOST_2016),
    uri: 'lookup/host/f90a2ec5-5c4c-4883-af61-c6492518e8c8',
    'client-uuid': ['5a2c8f3e-0c1d-4b7a-9f2e-bc0000000001'],
    'host-name': ['pfs1-lat.srry1.BC.net'],
    'host-net-interfaces': ['lookup/interface/7d1d9f3a-2b8e-4c55-9a51-bc0000000001'],
    'location-sitename': ['BCNET-SRRYTX'],
    'location-city': ['Surrey'],
    'location-country': ['CA'],
    'location-latitude': ['49.187959'],
    'location-longitude': ['-122.847794'],
    'group-communities': ['ComputeCanada', 'CANARIE'],
    'pshost-bundle': ['perfsonar-toolkit'],
    'pshost-bundle-version': ['5.2.3'],
    'pshost-toolkitversion': ['5.2.3'],
    expires,
  };
  const bcInterface: Json = {
    ...clone(INTERFACE_DAEMON),
    uri: 'lookup/interface/7d1d9f3a-2b8e-4c55-9a51-bc0000000001',
    'interface-addresses': ['198.19.10.1', '2001:db8:ffff:10::1'],
    'client-uuid': ['5a2c8f3e-0c1d-4b7a-9f2e-bc0000000001'],
    expires,
    state: 'renewed',
    ttl: [],
  };
  const macauHost: Json = { ...clone(HOST_2016), expires };
  const macauInterface: Json = {
    ...clone(INTERFACE_DAEMON),
    uri: 'lookup/interface/1f6873a8-06ba-450b-aaeb-bc6cb5b4056b',
    'interface-addresses': ['116.193.10.38'],
    'interface-capacity': ['1000000000'],
    'interface-mtu': ['1500'],
    'client-uuid': ['62115a18-48c8-4893-849f-3bd1f04d4cf9'],
    expires,
    state: 'renewed',
    ttl: [],
  };
  const macauPscheduler: Json = {
    ...clone(PSCHEDULER_DAEMON),
    uri: 'lookup/service/3c0e4a3e-9a57-4f0d-8a8b-0d0000000001',
    'service-host': ['lookup/host/b3c87970-85f4-46f4-a029-100ada5f4ca5'],
    'service-administrators': ['lookup/person/f2fa2878-2af9-4bbe-b645-b13b25bb0295'],
    'service-locator': ['https://116.193.10.38/pscheduler', 'http://116.193.10.38/pscheduler'],
    'pscheduler-tests': ['rtt', 'trace', 'latency', 'throughput', 'clock'],
    'pscheduler-tools': ['ping', 'traceroute', 'owping', 'iperf3', 'psclock'],
    'service-version': ['pscheduler-1.0'],
    'client-uuid': ['62115a18-48c8-4893-849f-3bd1f04d4cf9'],
    expires,
    state: 'registered',
    ttl: [],
  };
  return [owamp, bcHost, bcInterface, macauHost, macauInterface, macauPscheduler];
}
