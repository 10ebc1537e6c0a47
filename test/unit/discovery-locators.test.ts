import { describe, expect, it } from 'vitest';
import { parseLocator } from '../../electron/core/discovery/locators.ts';

describe('parseLocator', () => {
  const ok = (text: string, type: string) => {
    const outcome = parseLocator(text, type);
    if (!outcome.ok) throw new Error(`refused ${text}`);
    return outcome.locator;
  };

  it.each([
    ['tcp://pfs1-lat.srry1.BC.net:861', 'owamp', { scheme: 'tcp', host: 'pfs1-lat.srry1.bc.net', port: 861 }],
    ['tcp://[2001:db8::1]:861', 'owamp', { scheme: 'tcp', host: '2001:db8::1', port: 861 }],
    ['tcp://ps.example.net', 'owamp', { scheme: 'tcp', host: 'ps.example.net', port: 861 }],
    ['tcp://ps.example.net', 'twamp', { scheme: 'tcp', host: 'ps.example.net', port: 862 }],
    ['tcp://ps.example.net:4823', 'bwctl', { scheme: 'tcp', host: 'ps.example.net', port: 4823 }],
    ['https://10.0.0.1', 'pscheduler', { scheme: 'https', host: '10.0.0.1', port: 443 }],
    ['https://203.0.113.1/pscheduler', 'pscheduler', { scheme: 'https', host: '203.0.113.1', port: 443 }],
    ['http://ps.example.net/esmond/perfsonar/archive', 'ma', { scheme: 'http', host: 'ps.example.net', port: 80 }],
    ['http://ps.example.net:8085/esmond', 'ma', { scheme: 'http', host: 'ps.example.net', port: 8085 }],
    ['tcp://GridFTP.example.net:2811', 'GridFTP', { scheme: 'tcp', host: 'gridftp.example.net', port: 2811 }],
    ['pfs1-lat.srry1.BC.net', 'traceroute', { scheme: '', host: 'pfs1-lat.srry1.bc.net', port: null }],
    ['ps.example.net:7123', 'ndt', { scheme: '', host: 'ps.example.net', port: 7123 }],
  ])('%s (%s)', (text, type, expected) => {
    expect(ok(text, type)).toEqual({ url: text, ...expected });
  });

  it.each([
    'tcp://-x:861',
    'tcp://--foo=bar:861',
    '-x',
    '--foo=bar',
    'tcp://a b:861',
    'tcp://user:pw@ps.example.net:861',
    'tcp://ps.example.net:0',
    'tcp://ps.example.net:65536',
    'tcp://2001:db8::1:861',
    'tcp://[ps.example.net]:861',
    'tcp://ps%2eexample.net:861',
    'tcp://ps.example.net;reboot:861',
    'tcp://$(reboot):861',
    'https://',
    'tcp://1.2.3.999:861',
    `tcp://${'a'.repeat(300)}.example.net:861`,
  ])('refuses %s', (text) => {
    expect(parseLocator(text, 'owamp')).toEqual({ ok: false, reason: 'invalid-locator' });
  });
});
