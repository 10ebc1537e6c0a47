/**
 * Messages over the serve bridge: plain JSON text, unless the value holds typed arrays (chart
 * series), in which case one binary frame carries a JSON header and the raw array buffers, so a
 * million-point series costs one copy instead of a million JSON numbers.
 *
 * Frame: "PSW1" | u32 header length (LE) | header JSON (UTF-8) | padding to 8 | buffers (8-aligned).
 */
const MAGIC = [0x50, 0x53, 0x57, 0x31];
const TYPES = {
  Float64Array,
  Float32Array,
  Int32Array,
  Uint32Array,
  Int16Array,
  Uint16Array,
  Int8Array,
  Uint8Array,
} as const;
type TypeName = keyof typeof TYPES;
type Typed = InstanceType<(typeof TYPES)[TypeName]>;

interface Slot {
  __typed: TypeName;
  offset: number;
  length: number;
}

const isTyped = (value: unknown): value is Typed => ArrayBuffer.isView(value) && !(value instanceof DataView);
const align8 = (n: number) => (n + 7) & ~7;

export const MAX_FRAME_BYTES = 512 * 1024 * 1024;

export function encodeMessage(value: unknown): string | Uint8Array {
  const buffers: Typed[] = [];
  let cursor = 0;
  const header = JSON.stringify(value, (_key, v: unknown) => {
    if (!isTyped(v)) return v;
    const name = v.constructor.name as TypeName;
    if (!(name in TYPES)) throw new TypeError(`cannot send ${name}`);
    const slot: Slot = { __typed: name, offset: cursor, length: v.length };
    buffers.push(v);
    cursor = align8(cursor + v.byteLength);
    return slot;
  });
  if (buffers.length === 0) return header;
  const headerBytes = new TextEncoder().encode(header);
  const start = align8(8 + headerBytes.length);
  const frame = new Uint8Array(start + cursor);
  frame.set(MAGIC, 0);
  new DataView(frame.buffer).setUint32(4, headerBytes.length, true);
  frame.set(headerBytes, 8);
  let offset = start;
  for (const b of buffers) {
    frame.set(new Uint8Array(b.buffer, b.byteOffset, b.byteLength), offset);
    offset = align8(offset + b.byteLength);
  }
  return frame;
}

/** Decodes either form; throws on anything malformed (truncated frames, bad offsets, wrong types). */
export function decodeMessage(data: string | ArrayBuffer | Uint8Array): unknown {
  if (typeof data === 'string') return JSON.parse(data);
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  if (bytes.length < 8 || bytes.length > MAX_FRAME_BYTES || MAGIC.some((m, i) => bytes[i] !== m)) throw new Error('not a workbench frame');
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true);
  if (8 + headerLength > bytes.length) throw new Error('truncated frame header');
  const header = new TextDecoder().decode(bytes.subarray(8, 8 + headerLength));
  const start = align8(8 + headerLength);
  // Copy the payload once into an 8-aligned buffer so every view is aligned.
  const payload = bytes.slice(start);
  return JSON.parse(header, (_key, v: unknown) => {
    if (!v || typeof v !== 'object' || !('__typed' in v)) return v;
    const slot = v as Slot;
    const Type = TYPES[slot.__typed];
    if (!Type || !Number.isInteger(slot.offset) || !Number.isInteger(slot.length) || slot.offset < 0 || slot.length < 0) throw new Error('bad typed-array slot');
    const byteLength = slot.length * Type.BYTES_PER_ELEMENT;
    if (slot.offset % Type.BYTES_PER_ELEMENT !== 0 || slot.offset + byteLength > payload.length) throw new Error('typed-array slot out of range');
    return new Type(payload.buffer, payload.byteOffset + slot.offset, slot.length);
  });
}
