import { describe, expect, it } from 'vitest';
import { canonicalIp, isSharedAddress } from '../../electron/core/discovery/addresses.ts';
import { matchHops } from '../../electron/core/discovery/hops.ts';
import type { HostView } from '../../electron/shared/hosts.ts';

describe('canonicalIp', () => {
  it.each([
    ['198.51.100.7', '198.51.100.7'],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['2001:db8::0001', '2001:db8::1'],
    ['fe80::1%eth0', 'fe80::1'],
    ['::ffff:192.0.2.1', '::ffff:c000:201'],
    ['ps.example.net', null],
    ['01.2.3.4', null],
    ['1.2.3', null],
    ['', null],
  ])('%s → %s', (input, expected) => {
    expect(canonicalIp(input)).toBe(expected);
  });
});

describe('isSharedAddress', () => {
  it.each([
    ['10.1.2.3', true],
    ['172.16.0.1', true],
    ['172.32.0.1', false],
    ['192.168.1.1', true],
    ['127.0.0.1', true],
    ['169.254.1.1', true],
    ['100.64.0.1', true],
    ['198.51.100.7', false],
    ['fd00::1', true],
    ['fe80::1', true],
    ['::1', true],
    ['2001:db8::1', false],
  ])('%s → %s', (ip, expected) => {
    expect(isSharedAddress(ip)).toBe(expected);
  });
});

function host(id: string, ipv4: string[], ipv6: string[] = []): HostView {
  return { id, addresses: { ipv4, ipv6 } } as unknown as HostView;
}

describe('matchHops', () => {
  const hosts = [host('a', ['198.51.100.1'], ['2001:db8::1']), host('b', ['198.51.100.2']), host('c', ['198.51.100.2'])];

  it('maps each hop, in order, to the hosts holding that address; unmatched hops get none', () => {
    expect(matchHops(['192.0.2.9', '198.51.100.1', '198.51.100.2'], hosts)).toEqual([
      { ip: '192.0.2.9', hostIds: [] },
      { ip: '198.51.100.1', hostIds: ['a'] },
      { ip: '198.51.100.2', hostIds: ['b', 'c'] },
    ]);
  });

  it('matches IPv6 hops written differently from the registration', () => {
    expect(matchHops(['2001:DB8:0::0:1'], hosts)).toEqual([{ ip: '2001:DB8:0::0:1', hostIds: ['a'] }]);
  });
});
