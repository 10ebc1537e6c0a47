import { describe, expect, it } from 'vitest';
import { formatBitrate, formatBytes, parseBitrate, parseByteSize } from '../../electron/shared/units.ts';

describe('units', () => {
  it('parses bit rates decimally and sizes binarily, as iperf3 does', () => {
    expect(parseBitrate('100M')).toBe(100_000_000);
    expect(parseBitrate('1.5g')).toBe(1_500_000_000);
    expect(parseBitrate('800')).toBe(800);
    expect(parseByteSize('4M')).toBe(4 * 1024 * 1024);
    expect(parseByteSize('64K')).toBe(65536);
    expect(() => parseBitrate('-5M')).toThrow(RangeError);
    expect(() => parseBitrate('10X')).toThrow(RangeError);
    expect(() => parseByteSize('')).toThrow(RangeError);
  });
  it('formats', () => {
    expect(formatBitrate(941_000_000)).toBe('941 Mbit/s');
    expect(formatBitrate(9_410_000_000)).toBe('9.41 Gbit/s');
    expect(formatBitrate(null)).toBe('—');
    expect(formatBytes(1536)).toBe('1.5 KiB');
  });
});
