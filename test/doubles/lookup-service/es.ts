import { analyze, fieldKind, indexedTerms, luceneRegexp, numericValue, rawValues, type Doc } from './index-model.ts';

/*
 * The Elasticsearch `_search` subset a Lookup Service client meets: bool (must / filter / should /
 * must_not / minimum_should_match), term, terms, match, regexp, range, exists, match_all, ids;
 * size/from with the 10,000-hit window, sort (keyword/numeric/date fields only), search_after,
 * track_total_hits, and scroll. Errors use ES's envelope and status codes.
 */

export const MAX_RESULT_WINDOW = 10_000;
export const DEFAULT_SIZE = 10;

export class EsError extends Error {
  readonly status: number;
  readonly type: string;

  constructor(status: number, type: string, reason: string) {
    super(reason);
    this.status = status;
    this.type = type;
  }

  toBody(): Record<string, unknown> {
    const cause = { type: this.type, reason: this.message };
    return { error: { root_cause: [cause], ...cause }, status: this.status };
  }
}

type Predicate = (doc: Doc) => boolean;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parsingError(reason: string): EsError {
  return new EsError(400, 'parsing_exception', reason);
}

/** `{field: value}` or `{field: {value, ...}}` → [field, value]. */
function singleField(body: unknown, query: string, valueKey: string): [string, unknown] {
  if (!isObject(body)) throw parsingError(`[${query}] query malformed, no start_object after query name`);
  const keys = Object.keys(body);
  if (keys.length !== 1) throw parsingError(`[${query}] query doesn't support multiple fields, found [${keys.join('] and [')}]`);
  const field = keys[0] as string;
  const spec = body[field];
  return [field, isObject(spec) ? spec[valueKey] : spec];
}

function termPredicate(field: string, value: unknown, now: number): Predicate {
  if (value === undefined || value === null || isObject(value) || Array.isArray(value)) throw parsingError(`[term] query on [${field}] needs a scalar value`);
  const kind = fieldKind(field);
  if (kind === 'number' || kind === 'date') {
    return (doc) => rawValues(doc, field).some((v) => numericValue(v, kind, now) === numericValue(value, kind, now));
  }
  const wanted = String(value);
  return (doc) => indexedTerms(doc, field).includes(wanted);
}

function compile(query: unknown, now: number): Predicate {
  if (!isObject(query)) throw parsingError('query malformed, must start with start_object');
  const names = Object.keys(query);
  if (names.length !== 1) throw parsingError(`[_na] query malformed, expected a single query, found [${names.join(', ')}]`);
  const name = names[0] as string;
  const body = query[name];
  switch (name) {
    case 'match_all':
      return () => true;
    case 'term': {
      const [field, value] = singleField(body, 'term', 'value');
      return termPredicate(field, value, now);
    }
    case 'terms': {
      if (!isObject(body)) throw parsingError('[terms] query malformed');
      const fields = Object.keys(body).filter((k) => k !== 'boost');
      if (fields.length !== 1) throw parsingError('[terms] query does not support multiple fields');
      const field = fields[0] as string;
      const values = body[field];
      if (!Array.isArray(values)) throw parsingError(`[terms] query does not support [${field}] as a non-array`);
      if (values.length > 65_536) throw new EsError(400, 'illegal_argument_exception', 'The number of terms [' + values.length + '] used in the Terms Query request has exceeded the allowed maximum of [65536].');
      const predicates = values.map((v) => termPredicate(field, v, now));
      return (doc) => predicates.some((p) => p(doc));
    }
    case 'match': {
      const [field, value] = singleField(body, 'match', 'query');
      if (typeof value !== 'string' && typeof value !== 'number') throw parsingError(`[match] query on [${field}] needs a query string`);
      const kind = fieldKind(field);
      if (kind !== 'text') return termPredicate(field, value, now);
      const wanted = analyze(String(value));
      // match = OR of the analysed query's tokens (the default operator).
      return (doc) => {
        const terms = indexedTerms(doc, field);
        return wanted.some((t) => terms.includes(t));
      };
    }
    case 'regexp': {
      const [field, value] = singleField(body, 'regexp', 'value');
      if (typeof value !== 'string') throw parsingError(`[regexp] query on [${field}] needs a string`);
      let re: RegExp;
      try {
        re = luceneRegexp(value);
      } catch (error) {
        throw new EsError(400, 'query_shard_exception', `failed to create query: ${(error as Error).message}`);
      }
      return (doc) => indexedTerms(doc, field).some((t) => re.test(t));
    }
    case 'exists': {
      if (!isObject(body) || typeof body.field !== 'string') throw parsingError('[exists] must be provided with a [field]');
      const field = body.field;
      return (doc) => indexedTerms(doc, field).length > 0;
    }
    case 'ids': {
      if (!isObject(body) || !Array.isArray(body.values)) throw parsingError('[ids] query malformed, no values');
      const ids = new Set(body.values.map(String));
      return (doc) => ids.has(doc.id);
    }
    case 'range': {
      if (!isObject(body)) throw parsingError('[range] query malformed');
      const fields = Object.keys(body);
      if (fields.length !== 1) throw parsingError('[range] query does not support multiple fields');
      const field = fields[0] as string;
      const spec = body[field];
      if (!isObject(spec)) throw parsingError('[range] query malformed, no start_object after field');
      const kind = fieldKind(field);
      const bounds: [string, number][] = [];
      for (const op of ['gt', 'gte', 'lt', 'lte']) {
        if (spec[op] === undefined) continue;
        const bound = numericValue(spec[op], kind === 'number' ? 'number' : 'date', now);
        if (bound === null) throw new EsError(400, 'parse_exception', `failed to parse date field [${String(spec[op])}]`);
        bounds.push([op, bound]);
      }
      return (doc) =>
        rawValues(doc, field).some((raw) => {
          const v = numericValue(raw, kind === 'number' ? 'number' : 'date', now);
          if (v === null || kind === 'text' || kind === 'keyword') return false;
          return bounds.every(([op, b]) => (op === 'gt' ? v > b : op === 'gte' ? v >= b : op === 'lt' ? v < b : v <= b));
        });
    }
    case 'bool': {
      if (!isObject(body)) throw parsingError('[bool] query malformed');
      const list = (key: string): Predicate[] => {
        const clauses = body[key];
        if (clauses === undefined) return [];
        return (Array.isArray(clauses) ? clauses : [clauses]).map((c) => compile(c, now));
      };
      const must = [...list('must'), ...list('filter')];
      const should = list('should');
      const mustNot = list('must_not');
      const msm = body.minimum_should_match;
      const minShould = typeof msm === 'number' ? msm : typeof msm === 'string' && /^\d+$/.test(msm) ? Number(msm) : must.length > 0 ? 0 : should.length > 0 ? 1 : 0;
      return (doc) =>
        must.every((p) => p(doc)) &&
        !mustNot.some((p) => p(doc)) &&
        (minShould === 0 || should.filter((p) => p(doc)).length >= minShould);
    }
    default:
      throw parsingError(`unknown query [${name}]`);
  }
}

export function compileQuery(query: unknown, now: number): Predicate {
  return query === undefined ? () => true : compile(query, now);
}

interface SortKey {
  field: string;
  order: 'asc' | 'desc';
}

function parseSort(sort: unknown): SortKey[] {
  if (sort === undefined) return [];
  const items = Array.isArray(sort) ? sort : [sort];
  return items.map((item) => {
    if (typeof item === 'string') return { field: item, order: item === '_score' ? 'desc' : 'asc' };
    if (!isObject(item) || Object.keys(item).length !== 1) throw parsingError('[sort] malformed');
    const field = Object.keys(item)[0] as string;
    const spec = item[field];
    const order = typeof spec === 'string' ? spec : isObject(spec) ? spec.order : 'asc';
    if (order !== 'asc' && order !== 'desc') throw parsingError(`[sort] unknown order [${String(order)}]`);
    return { field, order };
  });
}

function checkSortable(key: SortKey): void {
  const kind = fieldKind(key.field);
  if (key.field === '_doc' || key.field === '_score') return;
  if (kind === 'id') {
    throw new EsError(400, 'illegal_argument_exception', 'Fielddata access on the _id field is disallowed, you can re-enable it by updating the dynamic cluster setting: indices.id_field_data.enabled');
  }
  if (kind === 'text') {
    throw new EsError(
      400,
      'illegal_argument_exception',
      `Text fields are not optimised for operations that require per-document field data like aggregations and sorting, so these operations are disabled by default. Please use a keyword field instead. Alternatively, set fielddata=true on [${key.field}] in order to load field data by uninverting the inverted index. Note that this can use significant memory.`,
    );
  }
}

type SortValue = string | number | null;

function sortValue(doc: Doc, key: SortKey, position: number, now: number): SortValue {
  if (key.field === '_doc') return position;
  if (key.field === '_score') return 1;
  const kind = fieldKind(key.field);
  const values = indexedTerms(doc, key.field);
  if (values.length === 0) return null;
  if (kind === 'number' || kind === 'date') {
    const nums = rawValues(doc, key.field).map((v) => numericValue(v, kind, now)).filter((n): n is number => n !== null);
    if (nums.length === 0) return null;
    return key.order === 'asc' ? Math.min(...nums) : Math.max(...nums);
  }
  const sorted = [...values].sort();
  return (key.order === 'asc' ? sorted[0] : sorted[sorted.length - 1]) ?? null;
}

function compareValues(a: SortValue, b: SortValue, order: 'asc' | 'desc'): number {
  if (a === b) return 0;
  if (a === null) return 1; // missing last, in both orders
  if (b === null) return -1;
  const c = a < b ? -1 : 1;
  return order === 'asc' ? c : -c;
}

export interface SearchHitsPage {
  hits: { doc: Doc; sort: SortValue[] | null }[];
  total: number;
}

export interface SearchRequestBody {
  query?: unknown;
  size?: unknown;
  from?: unknown;
  sort?: unknown;
  search_after?: unknown;
  track_total_hits?: unknown;
}

const KNOWN_KEYS = new Set(['query', 'size', 'from', 'sort', 'search_after', 'track_total_hits', '_source', 'timeout']);

/** Runs a search over docs; returns every match in order (paging is the caller's). */
export function runSearch(docs: readonly Doc[], body: SearchRequestBody, now: number): { matches: { doc: Doc; sort: SortValue[] | null }[]; sortKeys: SortKey[] } {
  for (const key of Object.keys(body)) if (!KNOWN_KEYS.has(key)) throw parsingError(`Unknown key for a START_OBJECT in [${key}].`);
  const predicate = compileQuery(body.query, now);
  const sortKeys = parseSort(body.sort);
  sortKeys.forEach(checkSortable);
  const matches = docs.map((doc, i) => ({ doc, i })).filter(({ doc }) => predicate(doc));
  if (sortKeys.length === 0) return { matches: matches.map(({ doc }) => ({ doc, sort: null })), sortKeys };
  const keyed = matches.map(({ doc, i }) => ({ doc, sort: sortKeys.map((k) => sortValue(doc, k, i, now)) }));
  keyed.sort((a, b) => {
    for (let k = 0; k < sortKeys.length; k += 1) {
      const c = compareValues(a.sort[k] ?? null, b.sort[k] ?? null, (sortKeys[k] as SortKey).order);
      if (c !== 0) return c;
    }
    return 0;
  });
  return { matches: keyed, sortKeys };
}

export function sizeAndFrom(body: SearchRequestBody): { size: number; from: number } {
  const size = body.size === undefined ? DEFAULT_SIZE : body.size;
  const from = body.from === undefined ? 0 : body.from;
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 0) throw parsingError('[size] must be a non-negative integer');
  if (typeof from !== 'number' || !Number.isInteger(from) || from < 0) throw parsingError('[from] must be a non-negative integer');
  if (from + size > MAX_RESULT_WINDOW) {
    throw new EsError(
      400,
      'illegal_argument_exception',
      `Result window is too large, from + size must be less than or equal to: [${MAX_RESULT_WINDOW}] but was [${from + size}]. See the scroll api for a more efficient way to request large data sets. This limit can be set by changing the [index.max_result_window] index level setting.`,
    );
  }
  return { size, from };
}

/** Drops hits at or before `search_after` (which needs a sort of the same length). */
export function applySearchAfter(matches: { doc: Doc; sort: SortValue[] | null }[], sortKeys: SortKey[], after: unknown): { doc: Doc; sort: SortValue[] | null }[] {
  if (after === undefined) return matches;
  if (sortKeys.length === 0) throw new EsError(400, 'illegal_argument_exception', 'Sort must contain at least one field.');
  if (!Array.isArray(after) || after.length !== sortKeys.length) {
    throw new EsError(400, 'illegal_argument_exception', `search_after has ${Array.isArray(after) ? after.length : 0} value(s) but sort has ${sortKeys.length}.`);
  }
  return matches.filter(({ sort }) => {
    for (let k = 0; k < sortKeys.length; k += 1) {
      const c = compareValues(sort?.[k] ?? null, (after[k] ?? null) as SortValue, (sortKeys[k] as SortKey).order);
      if (c !== 0) return c > 0;
    }
    return false;
  });
}

export function totalOf(count: number, track: unknown): { value: number; relation: 'eq' | 'gte' } {
  if (track === true) return { value: count, relation: 'eq' };
  const limit = typeof track === 'number' ? track : MAX_RESULT_WINDOW;
  return count > limit ? { value: limit, relation: 'gte' } : { value: count, relation: 'eq' };
}

export function envelope(page: { doc: Doc; sort: SortValue[] | null }[], total: { value: number; relation: string }, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const sorted = page.some((h) => h.sort !== null);
  return {
    ...extra,
    took: 3,
    timed_out: false,
    _shards: { total: 1, successful: 1, skipped: 0, failed: 0 },
    hits: {
      total,
      max_score: sorted ? null : 1,
      hits: page.map(({ doc, sort }) => ({
        _index: doc.index,
        _id: doc.id,
        _score: sorted ? null : 1,
        _source: doc.source,
        ...(sort ? { sort } : {}),
      })),
    },
  };
}
