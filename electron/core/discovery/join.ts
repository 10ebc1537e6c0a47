import type { HostInterface, HostLocation, HostService, HostView } from '../../shared/hosts.ts';
import { ipFamily } from '../../shared/ip.ts';
import { hostProblem } from '../../shared/target.ts';
import { canonicalIp, isSharedAddress } from './addresses.ts';
import { DropCounter } from './drops.ts';
import { parseCoordinate } from './geo.ts';
import { parseLocator } from './locators.ts';
import { all, first, type LsRecord } from './records.ts';

/** A record with where and when it was fetched. */
export interface SourcedRecord {
  record: LsRecord;
  source: string;
  fetchedAt: number;
}

export interface JoinResult {
  hosts: HostView[];
  /** Values and hosts refused while joining, by reason. */
  dropped: DropCounter;
}

/** The copy of a record kept after de-duplication, and every source that carried it. */
interface Entry {
  record: LsRecord;
  source: string;
  fetchedAt: number;
  /** Other sources with the same uri (rare: only when LS instances overlap). */
  also?: string[];
}

/** One host record (or one group of orphan services) before merging across records and LS instances. */
interface Draft {
  hostRecord: LsRecord | null;
  hostUris: string[];
  clientUuids: string[];
  names: string[];
  addresses: string[];
  services: HostService[];
  serviceRecords: LsRecord[];
  interfaces: HostInterface[];
  sources: string[];
  expiresAt: number;
  fetchedAt: number;
}

/** Keeps one copy per uri across LS instances: the one that expires last. */
function dedupeByUri(records: readonly SourcedRecord[]): Map<string, Entry> {
  const byUri = new Map<string, Entry>();
  for (const sourced of records) {
    const seen = byUri.get(sourced.record.uri);
    if (!seen) {
      // SourcedRecord already has the Entry shape: no copy in the common case.
      byUri.set(sourced.record.uri, sourced);
      continue;
    }
    const sources = [seen.source, ...(seen.also ?? [])];
    if (!sources.includes(sourced.source)) sources.push(sourced.source);
    const winner = sourced.record.expires > seen.record.expires ? sourced : seen;
    byUri.set(sourced.record.uri, { record: winner.record, source: winner.source, fetchedAt: winner.fetchedAt, also: sources.filter((s) => s !== winner.source) });
  }
  return byUri;
}

function pushUnique<T>(list: T[], value: T): void {
  if (!list.includes(value)) list.push(value);
}

/** Cheap pre-check: IP literals hold only hex digits, '.', ':' and a zone after '%'. */
function mayBeIp(text: string): boolean {
  return /^[0-9A-Fa-f.:]+(?:%.*)?$/.test(text);
}

type Classified = { kind: 'ip4' | 'ip6' | 'name'; value: string } | { kind: 'invalid' };

/**
 * Names and addresses repeat across a host's records (host-name, interface, locators): each string
 * is classified once per join. A name must pass exactly the check a typed-in target does.
 */
class NameClassifier {
  readonly #seen = new Map<string, Classified>();

  classify(text: string): Classified {
    let c = this.#seen.get(text);
    if (c === undefined) {
      const ip = mayBeIp(text) ? canonicalIp(text) : null;
      if (ip !== null) c = { kind: ipFamily(ip) === 4 ? 'ip4' : 'ip6', value: ip };
      else if (hostProblem(text) !== null) c = { kind: 'invalid' };
      else c = { kind: 'name', value: text.toLowerCase().replace(/\.$/, '') };
      this.#seen.set(text, c);
    }
    return c;
  }

  /** Sorts a registered name or address into the draft; anything else is counted under `reason` and dropped. */
  add(draft: Draft, text: string, drops: DropCounter, reason: string): void {
    const c = this.classify(text);
    if (c.kind === 'invalid') drops.add(reason);
    else if (c.kind === 'name') pushUnique(draft.names, c.value);
    else pushUnique(draft.addresses, c.value);
  }

  isIPv4(address: string): boolean {
    return this.classify(address).kind === 'ip4';
  }

  /** hostProblem(host) === null, memoized. */
  readonly isValid = (host: string): boolean => this.classify(host).kind !== 'invalid';
}

function parseIntInRange(text: string | null, pattern: RegExp, min: number, max: number): number | null {
  if (text === null || !pattern.test(text)) return null;
  const value = Number(text);
  return value >= min && value <= max ? value : null;
}

function interfaceView(record: LsRecord, draft: Draft, names: NameClassifier, drops: DropCounter): HostInterface {
  const addresses: string[] = [];
  for (const address of all(record, 'interface-addresses')) {
    const c = names.classify(address);
    if (c.kind === 'ip4' || c.kind === 'ip6') pushUnique(addresses, c.value);
    names.add(draft, address, drops, 'invalid-address');
  }
  return {
    name: first(record, 'interface-name'),
    addresses,
    capacity: parseIntInRange(first(record, 'interface-capacity'), /^\d{1,16}$/, 1, 1e16),
    mtu: parseIntInRange(first(record, 'interface-mtu'), /^\d{2,5}$/, 68, 65535),
  };
}

function toolsOf(record: LsRecord): string[] {
  const bwctl = all(record, 'bwctl-tools');
  const pscheduler = all(record, 'pscheduler-tools') as string[];
  return bwctl.length === 0 ? pscheduler : [...new Set([...pscheduler, ...bwctl])];
}

function serviceView(record: LsRecord, draft: Draft, names: NameClassifier, drops: DropCounter): HostService {
  const type = (first(record, 'service-type') ?? 'unknown').toLowerCase();
  const locators = [];
  for (const text of all(record, 'service-locator')) {
    const parsed = parseLocator(text, type, names.isValid);
    if (!parsed.ok) {
      drops.add(parsed.reason);
      continue;
    }
    locators.push(parsed.locator);
    names.add(draft, parsed.locator.host, drops, 'invalid-locator');
  }
  return {
    uri: record.uri,
    type,
    name: first(record, 'service-name'),
    version: first(record, 'service-version'),
    locators,
    tests: all(record, 'pscheduler-tests') as string[],
    tools: toolsOf(record),
  };
}

function newDraft(hostRecord: LsRecord | null, entry: Entry | null): Draft {
  return {
    hostRecord,
    hostUris: hostRecord ? [hostRecord.uri] : [],
    // Shared with the record (never mutated for host drafts; orphan drafts start empty and own theirs).
    clientUuids: hostRecord ? (all(hostRecord, 'client-uuid') as string[]) : [],
    names: [],
    addresses: [],
    services: [],
    serviceRecords: [],
    interfaces: [],
    sources: entry ? (entry.also ? [entry.source, ...entry.also] : [entry.source]) : [],
    expiresAt: hostRecord?.expires ?? 0,
    fetchedAt: entry?.fetchedAt ?? Number.POSITIVE_INFINITY,
  };
}

function absorb(draft: Draft, entry: Entry): void {
  pushUnique(draft.sources, entry.source);
  if (entry.also) for (const source of entry.also) pushUnique(draft.sources, source);
  draft.expiresAt = Math.max(draft.expiresAt, entry.record.expires);
  draft.fetchedAt = Math.min(draft.fetchedAt, entry.fetchedAt);
}

function hasLocation(record: LsRecord): boolean {
  return ['location-sitename', 'location-city', 'location-country', 'location-latitude'].some((k) => record.fields[k] !== undefined);
}

function locationOf(record: LsRecord | null): HostLocation {
  const get = (key: string) => (record ? first(record, key) : null);
  const country = get('location-country');
  let latitude = parseCoordinate(get('location-latitude'), 90);
  let longitude = parseCoordinate(get('location-longitude'), 180);
  if (latitude === null || longitude === null) latitude = longitude = null;
  return {
    site: get('location-sitename'),
    city: get('location-city'),
    region: get('location-state'),
    country: country !== null && /^[A-Za-z]{2}$/.test(country) ? country.toUpperCase() : country,
    postalCode: get('location-code'),
    latitude,
    longitude,
  };
}

/** Union-find over drafts: records of one machine share a client-uuid, a DNS name or a public address. */
function groupDrafts(drafts: readonly Draft[]): Draft[][] {
  const parent = drafts.map((_, i) => i);
  const find = (i: number): number => {
    let root = i;
    while (parent[root] !== root) root = parent[root] as number;
    while (parent[i] !== root) {
      const next = parent[i] as number;
      parent[i] = root;
      i = next;
    }
    return root;
  };
  const owners = { uuid: new Map<string, number>(), name: new Map<string, number>(), address: new Map<string, number>() };
  const claim = (owner: Map<string, number>, key: string, i: number) => {
    const other = owner.get(key);
    if (other === undefined) owner.set(key, i);
    else parent[find(i)] = find(other);
  };
  drafts.forEach((draft, i) => {
    for (const uuid of draft.clientUuids) claim(owners.uuid, uuid.toLowerCase(), i);
    for (const name of draft.names) claim(owners.name, name, i);
    for (const address of draft.addresses) if (!isSharedAddress(address)) claim(owners.address, address, i);
  });
  const groups = new Map<number, Draft[]>();
  drafts.forEach((draft, i) => {
    const root = find(i);
    const group = groups.get(root);
    if (group) group.push(draft);
    else groups.set(root, [draft]);
  });
  return [...groups.values()];
}

/** The common case: one service per type, nothing to merge. */
function distinctTypes(services: readonly HostService[]): boolean {
  for (let i = 1; i < services.length; i += 1) {
    const type = (services[i] as HostService).type;
    for (let j = 0; j < i; j += 1) if ((services[j] as HostService).type === type) return false;
  }
  return true;
}

function mergeServices(services: readonly HostService[]): HostService[] {
  if (services.length < 2 || distinctTypes(services)) return [...services];
  const byKey = new Map<string, HostService>();
  for (const service of services) {
    const urls = service.locators.length === 1 ? (service.locators[0] as HostService['locators'][number]).url : service.locators.map((l) => l.url).sort().join(' ');
    const key = `${service.type} ${urls}`;
    const seen = byKey.get(key);
    if (!seen) byKey.set(key, service);
    else {
      // Copy before merging: views share their lists with the records they came from.
      const merged = { ...seen, tests: [...new Set([...seen.tests, ...service.tests])], tools: [...new Set([...seen.tools, ...service.tools])] };
      byKey.set(key, merged);
    }
  }
  return [...byKey.values()];
}

/** Every value of `key` across the record lists, first spelling kept, duplicates ignoring case dropped. */
function uniqueCaseless(key: string, lists: readonly (readonly LsRecord[])[]): string[] {
  const exact = new Set<string>();
  const caseless = new Set<string>();
  const out: string[] = [];
  for (const list of lists) {
    for (const record of list) {
      for (const value of all(record, key)) {
        if (exact.has(value)) continue;
        exact.add(value);
        const folded = value.toLowerCase();
        if (caseless.has(folded)) continue;
        caseless.add(folded);
        out.push(value);
      }
    }
  }
  return out;
}

/** A sorted list that shares nothing with its input (which may be a record's own array). */
function sortedCopy(values: readonly string[]): string[] {
  return values.length < 2 ? [...values] : [...values].sort();
}

/** Concatenates one list field of several drafts, without copying when there is only one. */
function gatherLists<T>(group: readonly Draft[], get: (d: Draft) => readonly T[]): readonly T[] {
  if (group.length === 1) return get(group[0] as Draft);
  const out = new Set<T>();
  for (const d of group) for (const v of get(d)) out.add(v);
  return [...out];
}

function toView(group: Draft[], now: number, classifier: NameClassifier, drops: DropCounter): HostView | null {
  // The freshest registration speaks first (location, versions, name order).
  if (group.length > 1) group.sort((a, b) => b.expiresAt - a.expiresAt);
  const names = gatherLists(group, (d) => d.names);
  const ipv4: string[] = [];
  const ipv6: string[] = [];
  for (const a of gatherLists(group, (d) => d.addresses)) (classifier.isIPv4(a) ? ipv4 : ipv6).push(a);
  const target = names[0] ?? ipv4[0] ?? ipv6[0];
  if (target === undefined) {
    drops.add('no-usable-address');
    return null;
  }
  const hostRecords: LsRecord[] = [];
  const serviceRecords: LsRecord[] = [];
  const interfaces: HostInterface[] = [];
  const services: HostService[] = [];
  const sources: string[] = [];
  let expiresAt = 0;
  let fetchedAt = Number.POSITIVE_INFINITY;
  for (const d of group) {
    if (d.hostRecord) hostRecords.push(d.hostRecord);
    for (const r of d.serviceRecords) serviceRecords.push(r);
    for (const i of d.interfaces) interfaces.push(i);
    for (const s of d.services) services.push(s);
    for (const s of d.sources) pushUnique(sources, s);
    if (d.expiresAt > expiresAt) expiresAt = d.expiresAt;
    if (d.fetchedAt < fetchedAt) fetchedAt = d.fetchedAt;
  }
  const hostValue = (key: string) => {
    for (const r of hostRecords) {
      const v = first(r, key);
      if (v !== null) return v;
    }
    return null;
  };
  let capacity: number | null = null;
  let mtu: number | null = null;
  for (const i of interfaces) {
    if (i.capacity !== null && (capacity === null || i.capacity > capacity)) capacity = i.capacity;
    if (i.mtu !== null && (mtu === null || i.mtu > mtu)) mtu = i.mtu;
  }
  const clientUuids = sortedCopy(gatherLists(group, (d) => d.clientUuids));
  const hostUris = sortedCopy(gatherLists(group, (d) => d.hostUris));
  const locationSource = hostRecords.find(hasLocation) ?? serviceRecords.find(hasLocation) ?? null;
  const osName = hostValue('host-os-name');
  const osVersion = hostValue('host-os-version');
  return {
    id: clientUuids[0] ? `uuid:${clientUuids[0]}` : hostUris[0] ? `uri:${hostUris[0]}` : `name:${target}`,
    target,
    names: names as string[],
    addresses: { ipv4, ipv6 },
    services: mergeServices(services),
    interfaces,
    capacity,
    mtu,
    location: locationOf(locationSource),
    communities: uniqueCaseless('group-communities', [hostRecords, serviceRecords]),
    domains: uniqueCaseless('group-domains', [hostRecords, serviceRecords]),
    roles: uniqueCaseless('pshost-role', [hostRecords]),
    accessPolicy: hostValue('pshost-access-policy'),
    bundle: hostValue('pshost-bundle'),
    toolkitVersion: hostValue('pshost-bundle-version') ?? hostValue('pshost-toolkitversion'),
    os: osName === null ? null : osVersion === null ? osName : `${osName} ${osVersion}`,
    clientUuids,
    hostUris,
    sources: sources.length > 1 ? sources.sort() : sources,
    freshness: { expiresAt, fetchedAt: Number.isFinite(fetchedAt) ? fetchedAt : now, expired: expiresAt <= now },
    distanceKm: null,
    reachability: null,
  };
}

/**
 * Joins service → host → interface records (through `service-host` and `host-net-interfaces`) into
 * host views, de-duplicated by uri and then by machine (client-uuid, DNS name, public address).
 * Services whose host record is missing attach to a host with the same client-uuid, else stand
 * alone under their locator's host. Hosts without any usable name or address are dropped.
 */
export function joinHosts(records: readonly SourcedRecord[], now: number): JoinResult {
  const drops = new DropCounter();
  const names = new NameClassifier();
  const entries = dedupeByUri(records);
  const drafts: Draft[] = [];
  const draftByHostUri = new Map<string, Draft>();
  const draftByUuid = new Map<string, Draft>();
  const interfaces = new Map<string, Entry>();
  const services: Entry[] = [];

  for (const entry of entries.values()) {
    const { record } = entry;
    if (record.type === 'interface') interfaces.set(record.uri, entry);
    else if (record.type === 'service') services.push(entry);
    else {
      const draft = newDraft(record, entry);
      drafts.push(draft);
      draftByHostUri.set(record.uri, draft);
      for (const uuid of draft.clientUuids) if (!draftByUuid.has(uuid)) draftByUuid.set(uuid, draft);
      for (const name of all(record, 'host-name')) names.add(draft, name, drops, 'invalid-host-name');
    }
  }

  for (const draft of drafts) {
    for (const uri of all(draft.hostRecord as LsRecord, 'host-net-interfaces')) {
      const entry = interfaces.get(uri);
      if (!entry) continue;
      draft.interfaces.push(interfaceView(entry.record, draft, names, drops));
      absorb(draft, entry);
    }
  }

  const orphans = new Map<string, Draft>();
  for (const entry of services) {
    const { record } = entry;
    let draft = draftByHostUri.get(first(record, 'service-host') ?? '');
    const uuid = first(record, 'client-uuid');
    if (!draft && uuid !== null) draft = draftByUuid.get(uuid);
    if (draft) {
      draft.services.push(serviceView(record, draft, names, drops));
      draft.serviceRecords.push(record);
      absorb(draft, entry);
      continue;
    }
    // No host record: the service stands for its host, keyed by its first usable locator host.
    const loose = newDraft(null, entry);
    const view = serviceView(record, loose, names, drops);
    const key = loose.names[0] ?? loose.addresses[0];
    if (key === undefined) {
      drops.add('orphan-service');
      continue;
    }
    const existing = orphans.get(key);
    const target = existing ?? loose;
    if (!existing) {
      orphans.set(key, loose);
      drafts.push(loose);
    } else {
      for (const n of loose.names) pushUnique(existing.names, n);
      for (const a of loose.addresses) pushUnique(existing.addresses, a);
    }
    if (uuid !== null) pushUnique(target.clientUuids, uuid);
    target.services.push(view);
    target.serviceRecords.push(record);
    absorb(target, entry);
  }

  const hosts: HostView[] = [];
  for (const group of groupDrafts(drafts)) {
    const view = toView(group, now, names, drops);
    if (view) hosts.push(view);
  }
  return { hosts, dropped: drops };
}
