import type { DropCounter } from './drops.ts';

/*
 * Lookup Service records are untrusted. A raw v1 record (key → array of strings; `uri`, `expires`,
 * `state` plain strings) becomes an LsRecord only if its identity is sound, it has not expired and
 * every value we use is a short string without control characters. Keys we never use are not kept,
 * so nothing unexamined reaches the cache or the UI.
 */

export const USED_RECORD_TYPES = ['service', 'host', 'interface'] as const;
export type UsedRecordType = (typeof USED_RECORD_TYPES)[number];

export const USED_KEYS: ReadonlySet<string> = new Set([
  'client-uuid',
  'group-communities',
  'group-domains',
  'location-sitename',
  'location-city',
  'location-state',
  'location-country',
  'location-code',
  'location-latitude',
  'location-longitude',
  'service-type',
  'service-name',
  'service-version',
  'service-locator',
  'service-host',
  'pscheduler-tests',
  'pscheduler-tools',
  'bwctl-tools',
  'host-name',
  'host-net-interfaces',
  'host-os-name',
  'host-os-version',
  'pshost-role',
  'pshost-access-policy',
  'pshost-bundle',
  'pshost-bundle-version',
  'pshost-toolkitversion',
  'interface-name',
  'interface-addresses',
  'interface-capacity',
  'interface-mtu',
]);

export const MAX_VALUE_LENGTH = 1024;
export const MAX_VALUES_PER_KEY = 256;

/** `lookup/<type>/<id>`; no commas (v1 queries use comma lists), no spaces, bounded. */
const URI = /^lookup\/[a-z][a-z0-9_-]{0,31}\/[A-Za-z0-9._~:@-]{1,160}$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/;
/** C0, C1, bidi overrides/isolates and other invisible format characters that can spoof text. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;

export interface LsRecord {
  uri: string;
  type: UsedRecordType;
  /** ms since the epoch. */
  expires: number;
  /** Only USED_KEYS, each a non-empty list of clean strings. */
  fields: Record<string, string[]>;
}

export type DropReason =
  | 'not-an-object'
  | 'missing-uri'
  | 'bad-uri'
  | 'missing-type'
  | 'other-type'
  | 'missing-expires'
  | 'bad-expires'
  | 'expired'
  | 'wrong-type'
  | 'control-characters'
  | 'oversized-value'
  | 'too-many-values';

export type NormalizeOutcome = { ok: true; record: LsRecord } | { ok: false; reason: DropReason };

const USED_TYPES: ReadonlySet<string> = new Set(USED_RECORD_TYPES);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string value's problem, or null when it may be kept. */
function stringProblem(text: string): DropReason | null {
  if (text.length > MAX_VALUE_LENGTH) return 'oversized-value';
  if (CONTROL.test(text)) return 'control-characters';
  return null;
}

/** The list of strings under a key: a v1 array, or (tolerated) a bare string. Empty strings are skipped. */
function stringList(value: unknown): string[] | DropReason {
  const items = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(items)) return 'wrong-type';
  if (items.length > MAX_VALUES_PER_KEY) return 'too-many-values';
  let clean = true;
  for (let i = 0; i < items.length; i += 1) {
    const item: unknown = items[i];
    if (typeof item !== 'string') return 'wrong-type';
    const problem = stringProblem(item);
    if (problem) return problem;
    if (clean && (item === '' || item.trim() !== item || items.indexOf(item) !== i)) clean = false;
  }
  // Fast path (the common case): the parsed array itself is already a clean list; no copy.
  if (clean) return items as string[];
  const out: string[] = [];
  for (const item of items as string[]) {
    const trimmed = item.trim();
    if (trimmed !== '' && !out.includes(trimmed)) out.push(trimmed);
  }
  return out;
}

function expiryOf(raw: Record<string, unknown>): number | DropReason {
  const expires = raw.expires;
  if (typeof expires === 'string') {
    if (expires.length > 64 || !ISO_TIME.test(expires)) return 'bad-expires';
    const ms = Date.parse(expires);
    return Number.isFinite(ms) ? ms : 'bad-expires';
  }
  if (expires !== undefined && expires !== null) return 'bad-expires';
  // The ES-backed sLS adds _expiresAsTimestamp (ms) to what it stores and returns.
  const stamp = raw._expiresAsTimestamp;
  if (typeof stamp === 'number' && Number.isFinite(stamp)) return stamp;
  return 'missing-expires';
}

export function normalizeRecord(raw: unknown, now: number): NormalizeOutcome {
  if (!isPlainObject(raw)) return { ok: false, reason: 'not-an-object' };
  const uri = raw.uri;
  if (uri === undefined || uri === null || uri === '') return { ok: false, reason: 'missing-uri' };
  if (typeof uri !== 'string') return { ok: false, reason: 'wrong-type' };
  if (!URI.test(uri)) return { ok: false, reason: stringProblem(uri) ?? 'bad-uri' };

  const types = stringList(raw.type ?? []);
  if (typeof types === 'string') return { ok: false, reason: types };
  const type = types[0];
  if (type === undefined) return { ok: false, reason: 'missing-type' };
  if (!USED_TYPES.has(type)) return { ok: false, reason: 'other-type' };

  const expires = expiryOf(raw);
  if (typeof expires === 'string') return { ok: false, reason: expires };
  if (expires <= now) return { ok: false, reason: 'expired' };

  const fields: Record<string, string[]> = {};
  for (const key in raw) {
    if (!USED_KEYS.has(key)) continue;
    const value = raw[key];
    if (value === null || value === undefined) continue;
    const list = stringList(value);
    if (typeof list === 'string') return { ok: false, reason: list };
    if (list.length > 0) fields[key] = list;
  }
  return { ok: true, record: { uri, type: type as UsedRecordType, expires, fields } };
}

/** Normalizes a batch; every refusal is counted in `drops` by reason. */
export function normalizeRecords(raw: readonly unknown[], now: number, drops: DropCounter): LsRecord[] {
  const records: LsRecord[] = [];
  for (const item of raw) {
    const outcome = normalizeRecord(item, now);
    if (outcome.ok) records.push(outcome.record);
    else drops.add(outcome.reason);
  }
  return records;
}

export function first(record: LsRecord, key: string): string | null {
  return record.fields[key]?.[0] ?? null;
}

export function all(record: LsRecord, key: string): readonly string[] {
  return record.fields[key] ?? [];
}
