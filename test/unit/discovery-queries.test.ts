import { describe, expect, it } from 'vitest';
import { esField, esQueryBody, parseEsEnvelope } from '../../electron/core/discovery/es-client.ts';
import { batches, recordMatches } from '../../electron/core/discovery/filter.ts';
import type { LsRecord } from '../../electron/core/discovery/records.ts';
import { MAX_V1_QUERY_CHARS, v1QueryUrls } from '../../electron/core/discovery/v1-client.ts';

const BASE = 'http://ls.example.net:8090/lookup/records';

describe('v1QueryUrls', () => {
  it('asks for a whole type with type=', () => {
    expect(v1QueryUrls(BASE, { type: 'service' })).toEqual([`${BASE}?type=service`]);
  });

  it('ORs a value list with a comma list and operator=any (operator=all would need every value)', () => {
    expect(v1QueryUrls(BASE, { type: 'service', key: 'service-type', values: ['owamp', 'twamp'] })).toEqual([`${BASE}?service-type=owamp,twamp&operator=any`]);
  });

  it('encodes values, leaves out values holding a comma and repeats', () => {
    expect(v1QueryUrls(BASE, { type: 'host', key: 'uri', values: ['lookup/host/a', 'lookup/host/a', 'x,y', ''] })).toEqual([`${BASE}?uri=lookup%2Fhost%2Fa&operator=any`]);
  });

  it('splits long lists into several bounded requests that together ask for every value', () => {
    const values = Array.from({ length: 300 }, (_, i) => `lookup/host/${String(i).padStart(36, '0')}`);
    const urls = v1QueryUrls(BASE, { type: 'host', key: 'uri', values });
    expect(urls.length).toBeGreaterThan(1);
    for (const url of urls) expect(url.length).toBeLessThan(BASE.length + MAX_V1_QUERY_CHARS + 50);
    const asked = urls.flatMap((u) => decodeURIComponent(new URL(u).searchParams.get('uri') ?? '').split(','));
    expect(asked).toEqual(values);
  });
});

describe('batches', () => {
  it('respects both the character and the count bound', () => {
    expect(batches(['aa', 'bb', 'cc', 'dd'], 6, 10)).toEqual([['aa', 'bb'], ['cc', 'dd']]);
    expect(batches(['a', 'b', 'c'], 100, 2)).toEqual([['a', 'b'], ['c']]);
    expect(batches([], 10, 10)).toEqual([]);
  });
});

describe('esQueryBody', () => {
  it('filters on type, terms on the .keyword subfield of text fields, and expires > now, sorted by uri for paging', () => {
    expect(esQueryBody({ type: 'service', key: 'service-type', values: ['owamp'] }, ['owamp'], 10_000, null)).toEqual({
      query: { bool: { filter: [{ term: { type: 'service' } }, { terms: { 'service-type.keyword': ['owamp'] } }, { range: { expires: { gt: 'now' } } }] } },
      size: 10_000,
      sort: [{ uri: 'asc' }],
    });
  });

  it('uses keyword fields as they are and carries search_after', () => {
    const body = esQueryBody({ type: 'host', key: 'uri', values: ['lookup/host/a'] }, ['lookup/host/a'], 100, ['lookup/host/0']);
    expect(body.search_after).toEqual(['lookup/host/0']);
    expect(JSON.stringify(body.query)).toContain('{"terms":{"uri":["lookup/host/a"]}}');
  });

  it.each([
    ['uri', 'uri'],
    ['host-name', 'host-name'],
    ['interface-addresses', 'interface-addresses'],
    ['client-uuid', 'client-uuid'],
    ['host-net-interfaces', 'host-net-interfaces'],
    ['service-type', 'service-type.keyword'],
    ['service-host', 'service-host.keyword'],
    ['group-communities', 'group-communities.keyword'],
  ])('%s → %s', (key, field) => {
    expect(esField(key)).toBe(field);
  });
});

describe('parseEsEnvelope', () => {
  it('takes _source of each hit and the last sort values', () => {
    const page = parseEsEnvelope(
      { hits: { total: { value: 2, relation: 'eq' }, hits: [{ _index: 'lookup', _id: 'a', _source: { uri: 'a' }, sort: ['a'] }, { _index: 'lookup', _id: 'b', _source: { uri: 'b' }, sort: ['b'] }] } },
      'u',
    );
    expect(page).toEqual({ sources: [{ uri: 'a' }, { uri: 'b' }], lastSort: ['b'] });
  });

  it('falls back to the last uri when hits carry no sort values', () => {
    expect(parseEsEnvelope({ hits: { hits: [{ _source: { uri: 'z' } }] } }, 'u').lastSort).toEqual(['z']);
  });

  it.each([[null], [[]], [{ hits: 5 }], [{ error: { reason: 'x' } }]])('refuses %j', (json) => {
    expect(() => parseEsEnvelope(json, 'http://ls.example.net/lookup/_search')).toThrow(/not an Elasticsearch search response/);
  });
});

describe('recordMatches', () => {
  const record: LsRecord = {
    uri: 'lookup/interface/i1',
    type: 'interface',
    expires: 0,
    fields: { 'interface-addresses': ['2001:DB8::1', '198.51.100.1'], 'service-type': ['OWAMP'] },
  };

  it('re-checks type and values (case and IPv6 spelling aside)', () => {
    expect(recordMatches(record, { type: 'interface' })).toBe(true);
    expect(recordMatches(record, { type: 'host' })).toBe(false);
    expect(recordMatches(record, { type: 'interface', key: 'interface-addresses', values: ['2001:db8:0::1'] })).toBe(true);
    expect(recordMatches(record, { type: 'interface', key: 'interface-addresses', values: ['198.51.100.2'] })).toBe(false);
    expect(recordMatches(record, { type: 'interface', key: 'service-type', values: ['owamp'] })).toBe(true);
    expect(recordMatches(record, { type: 'interface', key: 'uri', values: ['lookup/interface/i1'] })).toBe(true);
  });
});
