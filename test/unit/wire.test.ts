import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage } from '../../electron/shared/wire.ts';

describe('bridge wire format', () => {
  it('plain values stay JSON text', () => {
    const text = encodeMessage({ id: 1, result: { ok: true, value: [1, 2] } });
    expect(typeof text).toBe('string');
    expect(decodeMessage(text as string)).toEqual({ id: 1, result: { ok: true, value: [1, 2] } });
  });

  it('typed arrays travel as raw buffers in one binary frame, aligned and intact', () => {
    const x = Float64Array.from({ length: 1001 }, (_, i) => i * 0.5);
    const y = Float32Array.from({ length: 3 }, (_, i) => i + 0.25);
    const ids = Int32Array.from([7, -1, 3]);
    const frame = encodeMessage({ id: 9, result: { ok: true, value: { series: [{ x, y, ids, label: 'a' }] } } });
    expect(frame).toBeInstanceOf(Uint8Array);
    expect((frame as Uint8Array).byteLength).toBeLessThan(x.byteLength + 1000);
    const back = decodeMessage(frame as Uint8Array) as { result: { value: { series: Array<{ x: Float64Array; y: Float32Array; ids: Int32Array; label: string }> } } };
    const s = back.result.value.series[0]!;
    expect(s.x).toBeInstanceOf(Float64Array);
    expect(Array.from(s.x)).toEqual(Array.from(x));
    expect(Array.from(s.y)).toEqual(Array.from(y));
    expect(Array.from(s.ids)).toEqual([7, -1, 3]);
    expect(s.label).toBe('a');
  });

  it('rejects truncated frames, foreign magic and out-of-range slots', () => {
    const frame = encodeMessage({ v: new Float64Array(100) }) as Uint8Array;
    expect(() => decodeMessage(frame.subarray(0, frame.length - 8))).toThrow(/out of range/);
    const foreign = frame.slice();
    foreign[0] = 0;
    expect(() => decodeMessage(foreign)).toThrow(/not a workbench frame/);
    const header = new TextEncoder().encode(JSON.stringify({ v: { __typed: 'Float64Array', offset: 8, length: 1e9 } }));
    const forged = new Uint8Array(8 + header.length + 8);
    forged.set([0x50, 0x53, 0x57, 0x31]);
    new DataView(forged.buffer).setUint32(4, header.length, true);
    forged.set(header, 8);
    expect(() => decodeMessage(forged)).toThrow(/out of range/);
    const badType = new TextEncoder().encode(JSON.stringify({ v: { __typed: 'BigInt64Array', offset: 0, length: 1 } }));
    const frame2 = new Uint8Array(8 + badType.length + 8);
    frame2.set([0x50, 0x53, 0x57, 0x31]);
    new DataView(frame2.buffer).setUint32(4, badType.length, true);
    frame2.set(badType, 8);
    expect(() => decodeMessage(frame2)).toThrow(/bad typed-array slot/);
  });
});
