import { describe, expect, it } from 'vitest';
import { applySearchAfter, envelope, runSearch, sizeAndFrom, totalOf, EsError } from '../doubles/lookup-service/es.ts';
import { analyze, type Doc } from '../doubles/lookup-service/index-model.ts';
import { generateRecords } from '../doubles/lookup-service/generate.ts';
import { iso, linkedReferenceSet } from '../doubles/lookup-service/fixtures.ts';
import { getRecord, queryRecords, v1ToEsQuery } from '../doubles/lookup-service/v1.ts';

/*
 * The Lookup Service double must be faithful, or tests against it prove nothing: these pin its
 * semantics to the sLS 3.x source (MainResource, QueryServices, ServiceElasticSearch) and to ES.
 */

const NOW = Date.parse('2026-07-22T12:00:00Z');

function docs(records: Record<string, unknown>[]): Doc[] {
  return records.map((source) => ({ index: 'lookup', id: String(source.uri), source }));
}

const live = iso(NOW + 3600_000);
const DOCS = docs([
  { type: ['service'], uri: 'lookup/service/1', expires: live, 'service-type': ['owamp'], 'group-communities': ['perfSONAR WIDGET', 'WLCG'], 'host-name': ['PS1.example.net'] },
  { type: ['service'], uri: 'lookup/service/2', expires: live, 'service-type': ['pscheduler'], 'group-communities': ['WLCG'] },
  { type: ['service'], uri: 'lookup/service/3', expires: iso(NOW - 1000), 'service-type': ['twamp'], 'group-communities': ['ESnet'] },
  { type: ['host'], uri: 'lookup/host/1', expires: live, 'host-name': ['ps1.example.net', '198.51.100.1'], 'location-city': ['New York'] },
  { type: ['host'], uri: 'lookup/host/2', expires: live, 'host-name': ['ps2.example.net'], 'location-city': ['New Orleans'] },
  { type: ['interface'], uri: 'lookup/interface/1', expires: live, 'interface-addresses': ['198.51.100.1'] },
]);

const uris = (params: string) => {
  const answer = queryRecords(DOCS, new URLSearchParams(params), NOW);
  expect(answer.status).toBe(200);
  return (answer.body as { uri: string }[]).map((r) => r.uri);
};

describe('double: v1 records query (ES-backed sLS)', () => {
  it('returns everything, expired records included, without parameters', () => {
    expect(uris('')).toHaveLength(6);
  });

  it('ANDs keys with the default operator and ORs them with operator=any', () => {
    expect(uris('type=service&group-communities=WLCG')).toEqual(['lookup/service/1', 'lookup/service/2']);
    expect(uris('type=host&service-type=owamp')).toEqual([]);
    expect(uris('type=host&service-type=owamp&operator=any')).toEqual(['lookup/service/1', 'lookup/host/1', 'lookup/host/2']);
    expect(uris('type=host&service-type=owamp&operator=ANY')).toHaveLength(3);
  });

  it('needs every value of a comma list under operator=all, any of them under operator=any', () => {
    expect(uris('service-type=owamp,pscheduler')).toEqual([]);
    expect(uris('service-type=owamp,pscheduler&operator=any')).toEqual(['lookup/service/1', 'lookup/service/2']);
    expect(uris('uri=lookup/host/1,lookup/interface/1&operator=any')).toEqual(['lookup/host/1', 'lookup/interface/1']);
  });

  it('matches text fields by any analysed token and keyword fields exactly', () => {
    expect(uris('location-city=New%20York')).toEqual(['lookup/host/1', 'lookup/host/2']); // "new" matches New Orleans too
    expect(uris('group-communities=widget')).toEqual(['lookup/service/1']);
    expect(uris('host-name=ps1.example.net')).toEqual(['lookup/host/1']); // keyword: case-sensitive
    expect(uris('uri=lookup/host')).toEqual([]);
  });

  it('turns * into a lower-cased regexp (prefix, suffix, infix)', () => {
    expect(uris('group-communities=*WIDGET')).toEqual(['lookup/service/1']);
    expect(uris('host-name=ps*')).toEqual(['lookup/host/1', 'lookup/host/2']);
    expect(uris('host-name=PS1*')).toEqual(['lookup/host/1']); // lower-cased pattern misses "PS1.example.net"
  });

  it('keeps the server bug: list values with * under operator=all go to regexp unprocessed (503 for a leading *)', () => {
    expect(queryRecords(DOCS, new URLSearchParams('group-communities=*WIDGET,*widget'), NOW).status).toBe(503);
    expect(uris('group-communities=*WIDGET,*widget&operator=any')).toEqual(['lookup/service/1']);
  });

  it('ignores per-key -operator, skip and maxresults, and uses only the first of repeated parameters', () => {
    expect(uris('group-communities=WLCG,ESnet&group-communities-operator=any')).toEqual([]);
    expect(uris('type=host&maxresults=1&skip=1')).toEqual(['lookup/host/1', 'lookup/host/2']);
    expect(uris('type=host&type=service')).toEqual(['lookup/host/1', 'lookup/host/2']);
    expect(queryRecords(DOCS, new URLSearchParams('type=host&maxresults=ten'), NOW).status).toBe(500);
  });

  it('builds the same ES query the server would', () => {
    expect(v1ToEsQuery(new URLSearchParams('type=service&service-type=ow*'))).toEqual({
      query: { bool: { must: [{ match: { type: 'service' } }, { regexp: { 'service-type': 'ow.*' } }] } },
    });
  });

  it('serves one record by uri without LS bookkeeping, or 404', () => {
    const decorated = docs([{ type: ['host'], uri: 'lookup/host/9', expires: live, _expiresAsTimestamp: 1, _lastUpdated: 'x', 'host-name': ['a'] }]);
    expect(getRecord(decorated, 'host', '9', null)).toMatchObject({ status: 200, body: { uri: 'lookup/host/9', 'host-name': ['a'] } });
    expect(getRecord(decorated, 'host', '9', null).body).not.toHaveProperty('_expiresAsTimestamp');
    expect(getRecord(decorated, 'host', '9', 'host-name').body).toEqual({ 'host-name': ['a'] });
    expect(getRecord(decorated, 'service', 'nope', null)).toMatchObject({ status: 404, body: 'ServiceRecord Not Found in DB' });
  });
});

describe('double: Elasticsearch _search', () => {
  const search = (body: Record<string, unknown>) => runSearch(DOCS, body, NOW).matches.map((m) => m.doc.id);

  it('term: exact on keyword fields, token on text fields, exact (≤ 256 chars) on .keyword', () => {
    expect(search({ query: { term: { type: 'service' } } })).toHaveLength(3);
    expect(search({ query: { term: { 'host-name': 'PS1.example.net' } } })).toEqual(['lookup/service/1']);
    expect(search({ query: { term: { 'group-communities': 'widget' } } })).toEqual(['lookup/service/1']);
    expect(search({ query: { term: { 'group-communities': 'WIDGET' } } })).toEqual([]);
    expect(search({ query: { term: { 'group-communities.keyword': 'perfSONAR WIDGET' } } })).toEqual(['lookup/service/1']);
    expect(search({ query: { term: { 'uri.keyword': 'lookup/host/1' } } })).toEqual([]); // keyword fields have no subfield
    const long = docs([{ uri: 'lookup/service/L', type: ['service'], 'service-name': ['x'.repeat(300)] }]);
    expect(runSearch(long, { query: { term: { 'service-name.keyword': 'x'.repeat(300) } } }, NOW).matches).toEqual([]);
  });

  it('bool filter with terms and expires > now, as the query guide writes it', () => {
    const body = {
      query: { bool: { must: [{ term: { type: 'service' } }, { terms: { 'service-type.keyword': ['owamp', 'twamp'] } }], filter: [{ range: { expires: { gt: 'now' } } }] } },
    };
    expect(search(body)).toEqual(['lookup/service/1']);
  });

  it('should with minimum_should_match, must_not, exists, match_all, ids', () => {
    expect(search({ query: { bool: { should: [{ term: { uri: 'lookup/host/1' } }, { term: { uri: 'lookup/host/2' } }] } } })).toEqual(['lookup/host/1', 'lookup/host/2']);
    expect(search({ query: { bool: { must: [{ term: { type: 'host' } }], must_not: [{ term: { uri: 'lookup/host/1' } }] } } })).toEqual(['lookup/host/2']);
    expect(search({ query: { exists: { field: 'location-city' } } })).toEqual(['lookup/host/1', 'lookup/host/2']);
    expect(search({ query: { match_all: {} } })).toHaveLength(6);
    expect(search({ query: { ids: { values: ['lookup/interface/1'] } } })).toEqual(['lookup/interface/1']);
  });

  it('answers malformed queries with ES errors', () => {
    expect(() => search({ query: { nope: {} } })).toThrow(/unknown query \[nope\]/);
    expect(() => search({ quer: {} })).toThrow(EsError);
    expect(() => search({ query: { term: { a: 1, b: 2 } } })).toThrow(/multiple fields/);
    expect(() => search({ query: { match_all: {} }, sort: [{ 'service-type': 'asc' }] })).toThrow(/Text fields are not optimised/);
    expect(() => search({ query: { match_all: {} }, sort: ['_id'] })).toThrow(/Fielddata access on the _id field is disallowed/);
  });

  it('defaults size to 10, refuses from + size beyond the 10,000 window', () => {
    expect(sizeAndFrom({})).toEqual({ size: 10, from: 0 });
    expect(sizeAndFrom({ size: 10_000 })).toEqual({ size: 10_000, from: 0 });
    expect(() => sizeAndFrom({ size: 10_000, from: 1 })).toThrow(/Result window is too large/);
  });

  it('caps total at 10,000 (relation gte) unless track_total_hits is true', () => {
    expect(totalOf(25_000, undefined)).toEqual({ value: 10_000, relation: 'gte' });
    expect(totalOf(25_000, true)).toEqual({ value: 25_000, relation: 'eq' });
    expect(totalOf(7, undefined)).toEqual({ value: 7, relation: 'eq' });
  });

  it('pages with search_after over a sort on uri, each hit carrying its sort values', () => {
    const { matches, sortKeys } = runSearch(DOCS, { sort: [{ uri: 'asc' }] }, NOW);
    const after = applySearchAfter(matches, sortKeys, ['lookup/service/1']);
    expect(after.map((m) => m.doc.id)).toEqual(['lookup/service/2', 'lookup/service/3']);
    const body = envelope(after.slice(0, 1), totalOf(after.length, undefined)) as { hits: { hits: { sort: unknown; _id: string; _index: string }[] } };
    expect(body.hits.hits[0]).toMatchObject({ _id: 'lookup/service/2', _index: 'lookup', sort: ['lookup/service/2'] });
    expect(() => applySearchAfter(matches, [], ['x'])).toThrow(/Sort must contain/);
  });

  it('analyses like the standard analyzer for the cases the LS meets', () => {
    expect(analyze('pfs1-lat.srry1.BC.net')).toEqual(['pfs1', 'lat.srry1.bc.net']);
    expect(analyze('lookup/host/f90a2ec5-5c4c')).toEqual(['lookup', 'host', 'f90a2ec5', '5c4c']);
    expect(analyze('perfSONAR WIDGET')).toEqual(['perfsonar', 'widget']);
  });
});

describe('double: generated population', () => {
  it('produces exactly the requested number of records, deterministically per seed', () => {
    const a = generateRecords({ records: 3000, seed: 1, now: NOW });
    const b = generateRecords({ records: 3000, seed: 1, now: NOW });
    const c = generateRecords({ records: 3000, seed: 2, now: NOW });
    expect(a).toHaveLength(3000);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(c));
  });

  it('has the real mix: expired records, IP-only host-names, http+https and bracketed IPv6 locators, old bwctl hosts', () => {
    const records = generateRecords({ records: 5000, now: NOW }) as Record<string, unknown>[];
    const has = (predicate: (r: Record<string, unknown>) => boolean) => records.some(predicate);
    expect(has((r) => Date.parse(String(r.expires)) < NOW)).toBe(true);
    expect(has((r) => Array.isArray(r['host-name']) && r['host-name'].length === 1 && /^\d/.test(String(r['host-name'][0])))).toBe(true);
    expect(has((r) => JSON.stringify(r['service-locator'] ?? []).includes('http://') && JSON.stringify(r['service-locator']).includes('https://'))).toBe(true);
    expect(has((r) => JSON.stringify(r['service-locator'] ?? []).includes('tcp://[2001:db8:'))).toBe(true);
    expect(has((r) => JSON.stringify(r['service-type']) === '["bwctl"]')).toBe(true);
    expect(new Set(records.map((r) => r.uri)).size).toBe(records.length);
  });

  it('keeps the reference records verbatim in shape (arrays of strings, scalar uri/expires/state)', () => {
    for (const record of linkedReferenceSet(NOW)) {
      for (const [key, value] of Object.entries(record)) {
        if (key === 'uri' || key === 'expires' || key === 'state' || key === 'ls-host') expect(typeof value).toBe('string');
        else expect(Array.isArray(value) && value.every((v) => typeof v === 'string')).toBe(true);
      }
    }
  });
});
