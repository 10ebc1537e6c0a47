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
