import { describe, expect, it } from 'vitest';
import { WorkbenchError } from '../../electron/shared/errors.ts';
import { isIPv4, isIPv6 } from '../../electron/shared/ip.ts';
import { formatTarget, hostProblem, parseTarget } from '../../electron/shared/target.ts';

describe('parseTarget', () => {
  it.each([
    ['perfsonar.example.net', { host: 'perfsonar.example.net', port: null }],
    ['ps.example.net:5201', { host: 'ps.example.net', port: 5201 }],
    ['198.18.0.2', { host: '198.18.0.2', port: null }],
    ['198.18.0.2:5301', { host: '198.18.0.2', port: 5301 }],
    ['2001:db8::2', { host: '2001:db8::2', port: null }],
    ['[2001:db8::2]:5201', { host: '2001:db8::2', port: 5201 }],
    ['[::1]', { host: '::1', port: null }],
    ['localhost', { host: 'localhost', port: null }],
    ['host.example.', { host: 'host.example.', port: null }],
  ])('accepts %s', (text, expected) => {
    expect(parseTarget(text)).toEqual(expected);
  });

  it.each([
    ['-ofoo', 'could be taken for an option'],
    ['--logfile=/tmp/x', 'could be taken for an option'],
    ['a b', 'not a valid host name'],
    ['', 'empty'],
    [' host', 'surrounding spaces'],
    ['x'.repeat(300), 'longer than 253'],
    ['host;rm -rf /', 'not a valid host name'],
    ['$(reboot)', 'not a valid host name'],
    ['host\nname', 'not a valid host name'],
    ['host:0', 'port must be 1-65535'],
    ['host:65536', 'port must be 1-65535'],
    ['host:-1', 'port must be 1-65535'],
    ['[2001:db8::1', 'missing "]"'],
    ['[nothex]:80', 'not an IPv6 address'],
    ['999.1.1.1', 'not a valid IPv4 address'],
    ['-1.2.3.4', 'could be taken for an option'],
    ['ex_ample..com', 'not a valid host name'],
  ])('refuses %j (%s)', (text, reason) => {
    let caught: unknown;
    try {
      parseTarget(text);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(WorkbenchError);
    expect((caught as WorkbenchError).code).toBe('INVALID_INPUT');
    expect((caught as WorkbenchError).message).toContain(reason);
  });

  it('quotes refused values without control characters and truncates long ones', () => {
    const message = (() => {
      try {
        parseTarget(`bad\u001b[31m${'y'.repeat(500)}`);
      } catch (error) {
        return (error as Error).message;
      }
      return '';
    })();
    expect(message).not.toContain('\u001b');
    expect(message.length).toBeLessThan(200);
  });

  it('round-trips through formatTarget', () => {
    for (const text of ['a.example:1', '[2001:db8::1]:5201', '198.18.0.1']) {
      expect(formatTarget(parseTarget(text))).toBe(text);
    }
  });
});

describe('IP literals', () => {
  it('IPv4', () => {
    expect(isIPv4('198.18.0.1')).toBe(true);
    expect(isIPv4('255.255.255.255')).toBe(true);
    expect(isIPv4('256.1.1.1')).toBe(false);
    expect(isIPv4('01.1.1.1')).toBe(false);
    expect(isIPv4('1.1.1')).toBe(false);
  });
  it('IPv6', () => {
    for (const ok of ['::', '::1', '2001:db8::', '2001:db8:0:0:0:0:0:1', 'fe80::1%eth0', '::ffff:198.18.0.1', '2001:db8::198.18.0.1']) {
      expect(isIPv6(ok), ok).toBe(true);
    }
    for (const bad of ['2001:db8:::1', '1:2:3:4:5:6:7:8:9', '2001:db8::1::2', 'g::1', 'fe80::1%', 'fe80::1%a b', '::ffff:999.1.1.1', '1:2:3:4:5:6:7:8::']) {
      expect(isIPv6(bad), bad).toBe(false);
    }
  });
  it('hostProblem accepts every IP literal form and names', () => {
    expect(hostProblem('2001:db8::1')).toBeNull();
    expect(hostProblem('ps-1.es.net')).toBeNull();
    expect(hostProblem('under_score.example')).toBeNull();
  });
});
