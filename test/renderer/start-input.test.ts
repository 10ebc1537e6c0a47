import { describe, expect, it } from 'vitest';
import { initialForm, toStartInput } from '../../renderer/src/features/run/startInput.ts';

describe('run form → runs.start input', () => {
  it('parses target, units and options with the shared validators', () => {
    const input = toStartInput({ ...initialForm, target: '[2001:db8::2]:5301', udp: true, bitrate: '50M', window: '1M', congestion: 'bbr', family: '6' });
    expect(input).toEqual({
      kind: 'throughput',
      target: { host: '2001:db8::2', port: 5301 },
      options: { protocol: 'udp', duration: 10, parallel: 1, reverse: false, family: '6', omit: 0, bitrate: 50_000_000, window: 1_048_576, congestion: 'bbr' },
    });
  });
  it('refuses option-like or malformed targets and units before any request', () => {
    expect(() => toStartInput({ ...initialForm, target: '-ofoo' })).toThrow(/option/);
    expect(() => toStartInput({ ...initialForm, target: 'a b' })).toThrow();
    expect(() => toStartInput({ ...initialForm, target: 'h.example', bitrate: 'fast' })).toThrow(/bit rate/);
  });
});

describe('the form for path methods', () => {
  it('builds trace, rtt and mtu inputs', () => {
    expect(toStartInput({ ...initialForm, method: 'trace', target: '198.18.9.1', traceTool: 'mtr', traceMethod: 'icmp', maxHops: '12', queries: '2' })).toEqual({
      kind: 'trace',
      target: { host: '198.18.9.1', port: null },
      options: { tool: 'mtr', method: 'icmp', family: 'any', maxHops: 12, queries: 2 },
    });
    expect(toStartInput({ ...initialForm, method: 'rtt', target: '::1', count: '5', interval: '0.5', dontFragment: true, family: '6' })).toMatchObject({ kind: 'rtt', options: { count: 5, intervalSeconds: 0.5, dontFragment: true, family: '6' } });
    expect(toStartInput({ ...initialForm, method: 'mtu', target: 'h.example', maxMtu: '1500' })).toMatchObject({ kind: 'mtu', options: { maxMtu: 1500 } });
    expect(() => toStartInput({ ...initialForm, method: 'rtt', target: 'h.example', count: '' })).toThrow(/Count/);
  });
});

describe('the form for one-way latency (OWAMP) and round trip (TWAMP)', () => {
  it('builds latency and twamp inputs with the method\'s options', () => {
    expect(toStartInput({ ...initialForm, method: 'latency', target: '127.0.0.1:8861', packets: '60', packetInterval: '0.02', direction: 'to', schedule: 'periodic', clockSynchronized: true })).toEqual({
      kind: 'latency',
      target: { host: '127.0.0.1', port: 8861 },
      options: { packets: 60, interval: 0.02, schedule: 'periodic', family: 'any', clockSynchronized: true, direction: 'to' },
    });
    expect(toStartInput({ ...initialForm, method: 'twamp', target: '[::1]:862', light: true, padding: '100', family: '6' })).toEqual({
      kind: 'twamp',
      target: { host: '::1', port: 862 },
      options: { packets: 100, interval: 0.1, schedule: 'poisson', family: '6', clockSynchronized: false, padding: 100, light: true },
    });
  });

  it('asks for the host\'s owping/twping when chosen, and refuses twping with TWAMP-Light', () => {
    const system = toStartInput({ ...initialForm, method: 'latency', target: 'h.example', onewayTool: 'system' });
    expect(system.kind === 'latency' && system.options?.tool).toBe('system');
    const builtin = toStartInput({ ...initialForm, method: 'twamp', target: 'h.example' });
    expect(builtin.kind === 'twamp' && builtin.options && 'tool' in builtin.options).toBe(false);
    expect(() => toStartInput({ ...initialForm, method: 'twamp', target: 'h.example', onewayTool: 'system', light: true })).toThrow(/TWAMP-Light/);
  });

  it('checks counts, intervals and padding against the shared bounds before any request', () => {
    const latency = { ...initialForm, method: 'latency' as const, target: 'h.example' };
    expect(() => toStartInput({ ...latency, packets: '0' })).toThrow('Count must be between 1 and 100000.');
    expect(() => toStartInput({ ...latency, packets: '2.5' })).toThrow('Count must be a whole number.');
    expect(() => toStartInput({ ...latency, packetInterval: '0.0001' })).toThrow('Interval must be between 0.001 and 10.');
    expect(() => toStartInput({ ...latency, packetInterval: 'fast' })).toThrow('Interval must be a number.');
    expect(() => toStartInput({ ...latency, padding: '70000' })).toThrow('Padding must be between 0 and 65000.');
    expect(() => toStartInput({ ...latency, target: '-x' })).toThrow(/option/);
  });
});
