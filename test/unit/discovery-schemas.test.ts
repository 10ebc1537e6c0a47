import { describe, expect, it } from 'vitest';
import { HostSearchInput, HostsForHopsInput } from '../../electron/shared/hosts.ts';

describe('hosts.search input', () => {
  it('fills defaults', () => {
    expect(HostSearchInput.parse({})).toEqual({ serviceTypes: [], sort: 'auto', limit: 200, includeExpired: false, mode: 'live', budgetMs: 15_000, probe: false });
  });

  it('accepts the CLI flags it maps', () => {
    const input = HostSearchInput.parse({
      serviceTypes: ['owamp'],
      community: 'WLCG',
      near: { latitude: 46.2, longitude: 6.1 },
      sources: ['http://127.0.0.1:8090/lookup/records', 'http://127.0.0.1/lookup/_search'],
      mode: 'cache',
    });
    expect(input).toMatchObject({ serviceTypes: ['owamp'], community: 'WLCG', mode: 'cache' });
  });

  it.each([
    [{ serviceTypes: ['-x'] }],
    [{ serviceTypes: ['owamp; rm'] }],
    [{ near: { latitude: 91, longitude: 0 } }],
    [{ near: { latitude: 0, longitude: 0, extra: 1 } }],
    [{ limit: 0 }],
    [{ sources: ['file:///etc/passwd'] }],
    [{ sources: ['http://--foo=bar/lookup/records'] }],
    [{ sources: [] }],
    [{ budgetMs: 10 }],
    [{ text: 'x'.repeat(201) }],
    [{ unknown: true }],
  ])('refuses %j', (input) => {
    expect(HostSearchInput.safeParse(input).success).toBe(false);
  });
});

describe('hosts.forHops input', () => {
  it('takes 1 to 64 IP addresses', () => {
    expect(HostsForHopsInput.parse({ ips: ['198.51.100.1', '2001:db8::1'] })).toMatchObject({ ips: ['198.51.100.1', '2001:db8::1'], mode: 'live' });
    expect(HostsForHopsInput.safeParse({ ips: [] }).success).toBe(false);
    expect(HostsForHopsInput.safeParse({ ips: ['ps.example.net'] }).success).toBe(false);
    expect(HostsForHopsInput.safeParse({ ips: Array.from({ length: 65 }, () => '198.51.100.1') }).success).toBe(false);
  });
});
