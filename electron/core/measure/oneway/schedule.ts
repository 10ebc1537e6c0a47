import { createCipheriv } from 'node:crypto';
import { WorkbenchError } from '../../../shared/errors.ts';
import { intervalToSeconds, secondsToInterval } from './ntp.ts';

/**
 * Send schedules (RFC 4656 §3.6, §4.1.1, Appendix A/B), bit-exact with perfSONAR's owamp:
 * slots are used circularly; an exponential slot draws Exp() × mean from an AES-128 counter-mode
 * generator keyed with the session's SID, a fixed slot is its parameter. All arithmetic is 32.32
 * unsigned fixed point in 64 bits.
 */

export type SlotType = 'exponential' | 'fixed';

export interface ScheduleSlot {
  type: SlotType;
  /** Mean (exponential) or exact (fixed) gap before a packet, as a 32.32 interval. */
  interval: bigint;
}

export const SLOT_TYPE_CODE: Record<SlotType, number> = { exponential: 0, fixed: 1 };

const MASK_32 = 0xffff_ffffn;
const MASK_64 = (1n << 64n) - 1n;
/** Q[k] = Σ_{i=1..k} ln2^i / i!, scaled by 2^32 (Knuth 3.4.1 Algorithm S). Q[1] = ln 2. */
const Q = [0n, 0xb17217f8n, 0xeef193f7n, 0xfd271862n, 0xff9d6dd0n, 0xfff4cfd0n, 0xfffee819n, 0xffffe7ffn, 0xfffffe2bn, 0xffffffe0n, 0xfffffffen, 0xffffffffn];
const LN2 = 0xb17217f8n;
/** AES blocks encrypted per refill: the counter blocks are independent (ECB), so batching is exact. */
const BATCH_BLOCKS = 256;

/** 32.32 × 32.32, truncated, modulo 2^64 (owamp's OWPNum64Mult). */
export function mult64(x: bigint, y: bigint): bigint {
  return ((x * y) >> 32n) & MASK_64;
}

/** The reproducible exponential deviate generator of RFC 4656 Appendix A. */
export class ExponentialGenerator {
  readonly #cipher;
  readonly #counterBlocks = Buffer.alloc(16 * BATCH_BLOCKS);
  #keystream = Buffer.alloc(0);
  /** Number of 32-bit uniforms drawn so far (= the 128-bit counter value in owamp). */
  #drawn = 0n;

  constructor(seed: Uint8Array) {
    if (seed.length !== 16) throw new RangeError('the generator seed (SID) must be 16 octets');
    this.#cipher = createCipheriv('aes-128-ecb', seed, null);
    this.#cipher.setAutoPadding(false);
  }

  #refill(): void {
    // Counter values drawn/4 .. drawn/4 + BATCH − 1, as 128-bit big-endian blocks; AES is only
    // applied to every 4th counter value in owamp, but block n of ours is AES(counter = 4n).
    let block = this.#drawn;
    for (let i = 0; i < BATCH_BLOCKS; i += 1, block += 4n) {
      const offset = i * 16;
      this.#counterBlocks.writeBigUInt64BE(block >> 64n, offset);
      this.#counterBlocks.writeBigUInt64BE(block & MASK_64, offset + 8);
    }
    this.#keystream = this.#cipher.update(this.#counterBlocks);
  }

  /** Next 32-bit uniform (owamp's OWPUnifRand64: AES on every 4th counter value, 4 words each). */
  unif32(): bigint {
    const withinBatch = Number(this.#drawn % BigInt(BATCH_BLOCKS * 4));
    if (withinBatch === 0) this.#refill();
    this.#drawn += 1n;
    return BigInt(this.#keystream.readUInt32BE(withinBatch * 4));
  }

  /** Exp() with mean 1, as a 32.32 value. */
  exp(): bigint {
    let u = this.unif32();
    let j = 0n;
    while ((u & 0x8000_0000n) !== 0n && j < 32n) {
      u <<= 1n;
      j += 1n;
    }
    u = (u << 1n) & MASK_32;
    if (u < LN2) return (mult64(j << 32n, LN2) + u) & MASK_64;
    let k = 2;
    while (k < Q.length && u >= (Q[k] as bigint)) k += 1;
    let v = this.unif32();
    for (let i = 2; i <= k; i += 1) {
      const candidate = this.unif32();
      if (candidate < v) v = candidate;
    }
    return mult64(((j << 32n) + v) & MASK_64, LN2);
  }
}

/** Yields Δ_0, Δ_1, … : the gap before each packet (the sender waits Δ_0 before packet 0). */
export class Schedule {
  readonly #slots: readonly ScheduleSlot[];
  readonly #usedSlots: number;
  readonly #generator: ExponentialGenerator;
  #index = 0;
  #offset = 0n;

  constructor(sid: Uint8Array, slots: readonly ScheduleSlot[], packets: number) {
    if (slots.length === 0) throw new RangeError('a schedule needs at least one slot');
    this.#slots = slots;
    // owamp uses min(slots, packets) slots circularly.
    this.#usedSlots = Math.max(1, Math.min(slots.length, packets));
    this.#generator = new ExponentialGenerator(sid);
  }

  nextDelta(): bigint {
    const slot = this.#slots[this.#index % this.#usedSlots] as ScheduleSlot;
    this.#index += 1;
    return slot.type === 'exponential' ? mult64(this.#generator.exp(), slot.interval) : slot.interval;
  }

  /** Offset of the next packet from the session's Start Time (running sum of the deltas). */
  nextOffset(): bigint {
    this.#offset = (this.#offset + this.nextDelta()) & MASK_64;
    return this.#offset;
  }

  get packetsGenerated(): number {
    return this.#index;
  }
}

/** Mean gap of one cycle through the slots, in seconds (what "packets per second" derives from). */
export function meanInterval(slots: readonly ScheduleSlot[]): number {
  if (slots.length === 0) return 0;
  return slots.reduce((sum, slot) => sum + intervalToSeconds(slot.interval), 0) / slots.length;
}

export function exponentialSchedule(meanSeconds: number): ScheduleSlot[] {
  return [{ type: 'exponential', interval: secondsToInterval(meanSeconds) }];
}

export function periodicSchedule(seconds: number): ScheduleSlot[] {
  return [{ type: 'fixed', interval: secondsToInterval(seconds) }];
}

/**
 * owping's `-i` syntax: comma-separated `<seconds>[e|f]`, `e` (default) exponential, `f` fixed,
 * e.g. "0.05,0.01f,0.2e".
 */
export function parseOwpingSchedule(text: string): ScheduleSlot[] {
  const parts = text.split(',');
  if (text.length > 4096 || parts.length > 1024) throw new WorkbenchError('INVALID_INPUT', 'The schedule has too many slots (at most 1024).');
  return parts.map((part) => {
    const match = /^\s*(\d+(?:\.\d*)?|\.\d+)([ef]?)\s*$/.exec(part);
    const seconds = match ? Number(match[1]) : Number.NaN;
    if (!match || !Number.isFinite(seconds) || seconds > 3600) {
      throw new WorkbenchError('INVALID_INPUT', `Refused schedule slot "${part.slice(0, 32)}": expected <seconds>[e|f], seconds up to 3600.`);
    }
    return { type: match[2] === 'f' ? 'fixed' : 'exponential', interval: secondsToInterval(seconds) } satisfies ScheduleSlot;
  });
}

/** Offset of the last packet from the Start Time: the whole schedule, run once (exact). */
export function scheduleLastOffset(sid: Uint8Array, slots: readonly ScheduleSlot[], packets: number): bigint {
  const schedule = new Schedule(sid, slots, packets);
  let offset = 0n;
  for (let i = 0; i < packets; i += 1) offset = schedule.nextOffset();
  return offset;
}
