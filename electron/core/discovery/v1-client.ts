import { WorkbenchError } from '../../shared/errors.ts';
import { countRecords, type FetchContext } from './context.ts';
import { batches, recordMatches, type RecordFilter } from './filter.ts';
import { requestJson } from './http.ts';
import { normalizeRecords, type LsRecord } from './records.ts';

/*
 * The classic sLS records API: GET http://LS:8090/lookup/records?key=v1,v2&operator=any.
 * Comma lists with operator=any OR their values; operator=all (the default) would need a record to
 * match every value. maxresults/skip are not implemented by the server, so every match comes back.
 */

export const MAX_V1_QUERY_CHARS = 3000;

const encode = (value: string) => encodeURIComponent(value);

/** The request URLs for one filter (several when the value list is long). Values holding a comma cannot be asked for and are left out. */
export function v1QueryUrls(base: string, filter: RecordFilter): string[] {
  if (filter.key === undefined || filter.values === undefined) return [`${base}?type=${encode(filter.type)}`];
  const values = [...new Set(filter.values)].filter((v) => v !== '' && !v.includes(','));
  return batches(values.map(encode), MAX_V1_QUERY_CHARS, 500).map((batch) => `${base}?${encode(filter.key as string)}=${batch.join(',')}&operator=any`);
}

export async function fetchV1(base: string, filter: RecordFilter, ctx: FetchContext): Promise<LsRecord[]> {
  const out: LsRecord[] = [];
  for (const url of v1QueryUrls(base, filter)) {
    const { json } = await requestJson(url, { signal: ctx.signal, maxBytes: ctx.maxBytes, budget: ctx.budget });
    if (!Array.isArray(json)) {
      throw new WorkbenchError('UNPARSEABLE_OUTPUT', `${base}: expected a JSON array of records, got ${json === null ? 'null' : typeof json}.`);
    }
    countRecords(ctx, json.length, base);
    for (const record of normalizeRecords(json, ctx.now, ctx.drops)) if (recordMatches(record, filter)) out.push(record);
  }
  return out;
}
