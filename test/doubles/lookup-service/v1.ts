import { compileQuery, EsError } from './es.ts';
import type { Doc } from './index-model.ts';

/*
 * The classic records query as the ES-backed sLS 3.x implements it (MainResource.getHandler,
 * QueryServices, ServiceElasticSearch.buildElasticSearchRequest):
 * - only the first value of a repeated parameter counts; `operator`, `skip`, `maxresults` are
 *   reserved (`skip`/`maxresults` parsed as integers, then ignored); any key containing "operator"
 *   (the per-key `<key>-operator`) is dropped, as the ES backend does not honour it;
 * - a value with commas becomes a list; operator `all` (default, case-insensitive) ANDs every value
 *   of every key, anything else ORs them;
 * - a value containing `*` becomes an ES regexp: lower-cased, `*` → `.*` — except list values in
 *   `all` mode, which the server passes to regexp unprocessed (a bug kept here: `*x` there is a regexp
 *   syntax error, answered 503);
 * - other values are ES `match` queries: exact on keyword fields, any-token full text otherwise;
 * - every match is returned (scrolled to the end), expired or not.
 */

export interface V1Answer {
  status: number;
  body: unknown;
  contentType: string;
}

function text(status: number, body: string): V1Answer {
  return { status, body, contentType: 'text/plain' };
}

function wildcardRegexp(value: string): string {
  return value.toLowerCase().replaceAll('*', '.*');
}

/** Builds the ES query the sLS would send for these URL parameters. */
export function v1ToEsQuery(params: URLSearchParams): { query: unknown } | V1Answer {
  let operator = 'all';
  const clauses: unknown[] = [];
  const seen = new Set<string>();
  for (const key of params.keys()) {
    if (seen.has(key)) continue;
    seen.add(key);
    const value = params.get(key) ?? '';
    if (key === 'operator') {
      operator = value;
      continue;
    }
    if (key === 'skip' || key === 'maxresults') {
      if (!/^-?\d+$/.test(value)) return text(500, 'Request failed.');
      continue;
    }
    if (key.includes('operator')) continue;
    const parts = value.split(',');
    clauses.push({ key, parts, list: parts.length > 1 });
  }
  const all = operator.toLowerCase() === 'all';
  const built = clauses.flatMap((clause) => {
    const { key, parts, list } = clause as { key: string; parts: string[]; list: boolean };
    return parts.map((part) => {
      if (!part.includes('*')) return { match: { [key]: part } };
      return { regexp: { [key]: list && all ? part : wildcardRegexp(part) } };
    });
  });
  return { query: { bool: all ? { must: built } : { should: built } } };
}

/** LS-added bookkeeping that GET /lookup/{type}/{uuid} strips (removeLsAddedFields); queries return it. */
export function withoutLsFields(source: Record<string, unknown>): Record<string, unknown> {
  const { _expiresAsTimestamp: _a, _lastUpdated: _b, ...rest } = source;
  return rest;
}

export function queryRecords(docs: readonly Doc[], params: URLSearchParams, now: number): V1Answer {
  const built = v1ToEsQuery(params);
  if ('status' in built) return built;
  try {
    const predicate = compileQuery(built.query, now);
    return { status: 200, body: docs.filter(predicate).map((d) => d.source), contentType: 'application/json' };
  } catch (error) {
    if (error instanceof EsError) return text(503, 'Server is unable to process the request at this time. Please try later');
    throw error;
  }
}

export function getRecord(docs: readonly Doc[], type: string, id: string, key: string | null): V1Answer {
  const uri = `lookup/${type}/${id}`;
  const doc = docs.find((d) => d.id === uri);
  const label = `${type.charAt(0).toUpperCase()}${type.slice(1)}Record`;
  if (!doc) return text(404, `${label} Not Found in DB`);
  const record = withoutLsFields(doc.source);
  if (key === null) return { status: 200, body: record, contentType: 'application/json' };
  if (!(key in record)) return text(404, `Key not found in ${label}`);
  return { status: 200, body: { [key]: record[key] }, contentType: 'application/json' };
}
