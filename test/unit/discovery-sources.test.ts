import { describe, expect, it } from 'vitest';
import { DropCounter } from '../../electron/core/discovery/drops.ts';
import { DEFAULT_SOURCE_SETTINGS, parseActiveHosts, settingsFromUrls } from '../../electron/core/discovery/sources.ts';
import { lsSourceFromUrl } from '../../electron/shared/hosts.ts';

describe('lsSourceFromUrl', () => {
  it.each([
    ['http://35.223.142.206/lookup/_search', { kind: 'search', url: 'http://35.223.142.206/lookup/_search' }],
    ['http://35.223.142.206/lookup/_search/', { kind: 'search', url: 'http://35.223.142.206/lookup/_search' }],
    ['http://35.223.142.206:8090/lookup/records', { kind: 'records', url: 'http://35.223.142.206:8090/lookup/records' }],
    ['http://localhost:8090/lookup/records/', { kind: 'records', url: 'http://localhost:8090/lookup/records' }],
    ['https://sls_hostname/sls/lookup/records/', { kind: 'records', url: 'https://sls_hostname/sls/lookup/records' }],
    ['http://ps-west.es.net:8090', { kind: 'records', url: 'http://ps-west.es.net:8090/lookup/records' }],
    ['http://ps1.es.net:8096/lookup/activehosts.json', { kind: 'bootstrap', url: 'http://ps1.es.net:8096/lookup/activehosts.json' }],
    ['http://[2001:db8::1]:8090/lookup/records', { kind: 'records', url: 'http://[2001:db8::1]:8090/lookup/records' }],
  ])('%s', (input, expected) => {
    expect(lsSourceFromUrl(input)).toEqual(expected);
  });

  it.each([
    ['ftp://ls.example.net/lookup/records', /http and https/],
    ['file:///etc/passwd', /http and https/],
    ['http://user:pw@ls.example.net/lookup/records', /credentials/],
    ['http://ls.example.net:8090/lookup/records?type=service', /query/],
    ['http://ls.example.net/something/else', /expected a path/],
    ['not a url', /not a URL/],
    [`http://${'a'.repeat(2100)}.net/`, /longer than 2048/],
  ])('refuses %s', (input, reason) => {
    expect(lsSourceFromUrl(input)).toMatch(reason);
  });
});

describe('parseActiveHosts', () => {
  it('reads the sLS sample file (one unreachable host) as no usable source', () => {
    const drops = new DropCounter();
    const sample = { hosts: [{ locator: 'http://localhost:8090/lookup/records', status: 'unreachable', lastupdated: '2014-01-14T10:49:18.141-08:00' }] };
    expect(parseActiveHosts(sample, drops)).toEqual([]);
    expect(drops.toJSON()).toEqual({ 'not-alive': 1 });
  });

  it('keeps alive hosts, highest priority first, de-duplicated, and counts the rest', () => {
    const drops = new DropCounter();
    const list = {
      hosts: [
        { locator: 'http://a.example.net:8090/lookup/records', status: 'alive' },
        { locator: 'http://b.example.net:8090/lookup/records', status: 'alive', priority: 100 },
        { locator: 'http://c.example.net:8090/lookup/records', status: 'alive', priority: '50' },
        { locator: 'http://b.example.net:8090/lookup/records', status: 'alive' },
        { locator: 'http://-x/lookup/records', status: 'alive' },
        { locator: 'javascript:alert(1)', status: 'alive' },
        { locator: 'http://d.example.net/lookup/activehosts.json', status: 'alive' },
        { status: 'alive' },
        'garbage',
        { locator: 'http://e.example.net:8090/lookup/records', status: 'unknown' },
      ],
    };
    expect(parseActiveHosts(list, drops).map((s) => s.url)).toEqual([
      'http://b.example.net:8090/lookup/records',
      'http://c.example.net:8090/lookup/records',
      'http://a.example.net:8090/lookup/records',
    ]);
    expect(drops.toJSON()).toEqual({ 'invalid-locator': 3, 'missing-locator': 2, 'not-alive': 1 });
  });

  it.each([null, [], 'x', { hosts: 'nope' }, { nothosts: [] }])('refuses %j as a bootstrap list', (json) => {
    const drops = new DropCounter();
    expect(parseActiveHosts(json, drops)).toEqual([]);
    expect(drops.toJSON()).toEqual({ 'not-an-activehosts-list': 1 });
  });
});

describe('source settings', () => {
  it('default to the bootstrap lists, the global ES endpoint, and its records API as fallback', () => {
    expect(DEFAULT_SOURCE_SETTINGS.bootstrap).toContain('http://ps1.es.net:8096/lookup/activehosts.json');
    expect(DEFAULT_SOURCE_SETTINGS.direct).toEqual(['http://35.223.142.206/lookup/_search']);
    expect(DEFAULT_SOURCE_SETTINGS.fallback).toEqual(['http://35.223.142.206:8090/lookup/records']);
  });

  it('split user URLs into bootstrap lists and direct sources, with no fallback', () => {
    expect(settingsFromUrls(['http://a.example.net/lookup/activehosts.json', 'http://b.example.net:8090', 'http://c.example.net/lookup/_search'])).toEqual({
      bootstrap: ['http://a.example.net/lookup/activehosts.json'],
      direct: ['http://b.example.net:8090/lookup/records', 'http://c.example.net/lookup/_search'],
      fallback: [],
    });
  });
});

describe('settingsFromUrls on bad input', () => {
  it('refuses a URL that is not a Lookup Service, naming it safely', () => {
    expect(() => settingsFromUrls(['http://--foo=bar/lookup/records'])).toThrow(/Not a Lookup Service URL "http:\/\/--foo=bar\/lookup\/records"/);
    expect(() => settingsFromUrls(['file:///etc/passwd'])).toThrow(/INVALID_INPUT|http and https/);
  });
});
