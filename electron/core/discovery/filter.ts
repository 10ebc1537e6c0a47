import { canonicalIp } from './addresses.ts';
import type { LsRecord, UsedRecordType } from './records.ts';

/** What one LS request asks for: all records of a type, or those whose `key` holds one of `values`. */
export interface RecordFilter {
  type: UsedRecordType;
  key?: string;
  values?: readonly string[];
}

/** Keys the sLS 3.x mapping indexes as `keyword` (exact, case-sensitive); the rest are text with a `.keyword` subfield. */
export const KEYWORD_FIELDS: ReadonlySet<string> = new Set([
  'client-uuid',
  'type',
  'state',
  'uri',
  'host-net-interfaces',
  'host-name',
  'interface-addresses',
  'person-emails',
]);

function comparable(value: string): string {
  return canonicalIp(value) ?? value.toLowerCase();
}

/**
 * The client re-checks every record a server returns: v1 `match` queries are full-text (they can
 * return more than asked), and a misbehaving server can return anything.
 */
export function recordMatches(record: LsRecord, filter: RecordFilter): boolean {
  if (record.type !== filter.type) return false;
  if (filter.key === undefined || filter.values === undefined) return true;
  const wanted = new Set(filter.values.map(comparable));
  const have = filter.key === 'uri' ? [record.uri] : (record.fields[filter.key] ?? []);
  return have.some((v) => wanted.has(comparable(v)));
}

/** Splits values into batches whose joined length stays under `maxChars` (and at most `maxCount` each). */
export function batches(values: readonly string[], maxChars: number, maxCount: number): string[][] {
  const out: string[][] = [];
  let current: string[] = [];
  let length = 0;
  for (const value of values) {
    if (current.length > 0 && (length + value.length + 1 > maxChars || current.length >= maxCount)) {
      out.push(current);
      current = [];
      length = 0;
    }
    current.push(value);
    length += value.length + 1;
  }
  if (current.length > 0) out.push(current);
  return out;
}
