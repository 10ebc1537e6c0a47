/**
 * Timestamp error estimate (RFC 4656 §4.1.2), 16 bits on the wire:
 *   S (1 bit, clock synchronised to UTC) | Z (1 bit, MBZ in RFC 4656) | Scale (6) | Multiplier (8)
 * error = Multiplier × 2^(Scale − 32) seconds. A zero multiplier marks the estimate invalid.
 */

export interface ErrorEstimate {
  synchronized: boolean;
  scale: number;
  multiplier: number;
}

const SYNC_BIT = 0x8000;

export function decodeErrorEstimate(word: number): ErrorEstimate {
  return { synchronized: (word & SYNC_BIT) !== 0, scale: (word >> 8) & 0x3f, multiplier: word & 0xff };
}

export function encodeErrorEstimate(estimate: ErrorEstimate): number {
  if (!Number.isInteger(estimate.scale) || estimate.scale < 0 || estimate.scale > 63) throw new RangeError('scale must be 0..63');
  if (!Number.isInteger(estimate.multiplier) || estimate.multiplier < 1 || estimate.multiplier > 255) {
    throw new RangeError('multiplier must be 1..255');
  }
  return (estimate.synchronized ? SYNC_BIT : 0) | (estimate.scale << 8) | estimate.multiplier;
}

/** True when the estimate is usable: RFC 4656 says a zero multiplier makes the packet corrupt. */
export function isValidErrorEstimate(word: number): boolean {
  return (word & 0xff) !== 0;
}

export function isSynchronized(word: number): boolean {
  return (word & SYNC_BIT) !== 0;
}

/** The error in seconds; NaN for an invalid (zero-multiplier) estimate. */
export function errorEstimateSeconds(word: number): number {
  const { scale, multiplier } = decodeErrorEstimate(word);
  if (multiplier === 0) return Number.NaN;
  return multiplier * 2 ** (scale - 32);
}

/**
 * The smallest estimate that is not below `seconds`: smallest Scale whose Multiplier fits in
 * 8 bits, Multiplier rounded up (never 0).
 */
export function errorEstimateFromSeconds(seconds: number, synchronized: boolean): number {
  if (!(seconds >= 0) || !Number.isFinite(seconds)) throw new RangeError(`error estimate out of range: ${seconds}`);
  for (let scale = 0; scale <= 63; scale += 1) {
    const multiplier = Math.ceil(seconds * 2 ** (32 - scale));
    if (multiplier <= 255) return encodeErrorEstimate({ synchronized, scale, multiplier: Math.max(1, multiplier) });
  }
  return encodeErrorEstimate({ synchronized, scale: 63, multiplier: 255 });
}

/**
 * The estimate closest to `seconds` (for values printed by tools, e.g. owping's "2.32831e-10",
 * which is 2^-32 rounded up in print and must not become a multiplier of 2).
 */
export function errorEstimateNearest(seconds: number, synchronized: boolean): number {
  if (!(seconds >= 0) || !Number.isFinite(seconds)) throw new RangeError(`error estimate out of range: ${seconds}`);
  for (let scale = 0; scale <= 63; scale += 1) {
    const multiplier = Math.round(seconds * 2 ** (32 - scale));
    if (multiplier <= 255) return encodeErrorEstimate({ synchronized, scale, multiplier: Math.max(1, multiplier) });
  }
  return encodeErrorEstimate({ synchronized, scale: 63, multiplier: 255 });
}
