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
