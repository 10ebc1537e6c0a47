import { WorkbenchError } from '../../shared/errors.ts';
import { countRecords, type FetchContext } from './context.ts';
import { batches, KEYWORD_FIELDS, recordMatches, type RecordFilter } from './filter.ts';
import { requestJson } from './http.ts';
import { normalizeRecords, type LsRecord } from './records.ts';

/*
 * The Elasticsearch `_search` endpoint the global LS serves (perfsonar-apis.md A.4): POST a bool
 * query of `term`/`terms` filters plus `expires > now`, page with `search_after` on `uri` (a keyword
 * field) so result sets past ES's 10,000-hit window come back whole.
 */

export const ES_PAGE_SIZE = 10_000;
export const MAX_ES_PAGES = 200;
export const MAX_TERMS_PER_QUERY = 1000;

/** `type`, `uri`, `host-name` ... are keyword fields; text fields are matched exactly through `.keyword`. */
export function esField(key: string): string {
  return KEYWORD_FIELDS.has(key) ? key : `${key}.keyword`;
}

export function esQueryBody(filter: RecordFilter, values: readonly string[] | null, size: number, searchAfter: unknown[] | null): Record<string, unknown> {
  const clauses: unknown[] = [{ term: { type: filter.type } }];
  if (filter.key !== undefined && values !== null) clauses.push({ terms: { [esField(filter.key)]: values } });
  clauses.push({ range: { expires: { gt: 'now' } } });
  return {
    query: { bool: { filter: clauses } },
    size,
    sort: [{ uri: 'asc' }],
    ...(searchAfter ? { search_after: searchAfter } : {}),
  };
}

interface Page {
  sources: unknown[];
  lastSort: unknown[] | null;
}

/** The ES response envelope: hits.hits[]._source. Anything else is an error naming what was wrong. */
export function parseEsEnvelope(json: unknown, url: string): Page {
  const hits = (json as { hits?: { hits?: unknown } } | null)?.hits?.hits;
  if (!Array.isArray(hits)) {
    throw new WorkbenchError('UNPARSEABLE_OUTPUT', `${url}: not an Elasticsearch search response (no hits.hits array).`);
  }
  const sources: unknown[] = [];
  for (const hit of hits) sources.push(typeof hit === 'object' && hit !== null ? (hit as { _source?: unknown })._source : hit);
  const last = hits[hits.length - 1] as { sort?: unknown; _source?: { uri?: unknown } } | undefined;
  let lastSort: unknown[] | null = null;
  if (Array.isArray(last?.sort) && last.sort.length > 0) lastSort = last.sort;
  else if (typeof last?._source?.uri === 'string') lastSort = [last._source.uri];
  return { sources, lastSort };
}

export async function fetchEs(url: string, filter: RecordFilter, ctx: FetchContext): Promise<LsRecord[]> {
  const out: LsRecord[] = [];
  const valueBatches: (readonly string[] | null)[] =
    filter.key !== undefined && filter.values !== undefined ? batches([...new Set(filter.values)], 1 << 20, MAX_TERMS_PER_QUERY) : [null];
  for (const values of valueBatches) {
    const pageSize = ctx.esPageSize ?? ES_PAGE_SIZE;
    let searchAfter: unknown[] | null = null;
    let page = 0;
    for (; page < MAX_ES_PAGES; page += 1) {
      const { json } = await requestJson(url, { method: 'POST', body: esQueryBody(filter, values, pageSize, searchAfter), signal: ctx.signal, maxBytes: ctx.maxBytes, budget: ctx.budget });
      const { sources, lastSort } = parseEsEnvelope(json, url);
      countRecords(ctx, sources.length, url);
      for (const record of normalizeRecords(sources, ctx.now, ctx.drops)) if (recordMatches(record, filter)) out.push(record);
      if (sources.length < pageSize) break;
      if (lastSort === null || JSON.stringify(lastSort) === JSON.stringify(searchAfter)) {
        throw new WorkbenchError('UNPARSEABLE_OUTPUT', `${url}: paging did not advance (no usable sort values in the last hit).`);
      }
      searchAfter = lastSort;
    }
    if (page === MAX_ES_PAGES) throw new WorkbenchError('UNPARSEABLE_OUTPUT', `${url}: more than ${MAX_ES_PAGES} pages of results; giving up on this source.`);
  }
  return out;
}
