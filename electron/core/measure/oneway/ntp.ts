/**
 * OWAMP/TWAMP timestamps and intervals (RFC 4656 §4.1.2): 64-bit unsigned 32.32 fixed point.
 * Timestamps count seconds since 1900-01-01 UTC (NTP era 0); intervals (Timeout, slot
 * parameters) use the same encoding. Kept as `bigint` so nothing is rounded on the way through.
 */

export type NtpTime = bigint;

/** Seconds from 1900-01-01 to 1970-01-01. */
export const NTP_UNIX_OFFSET_SECONDS = 2_208_988_800n;
const TWO_32 = 1n << 32n;
const MASK_64 = (1n << 64n) - 1n;
const NS_PER_S = 1_000_000_000n;

/** Unix time in nanoseconds → NTP 32.32 (fraction truncated, like owampd). */
export function unixNsToNtp(unixNs: bigint): NtpTime {
  const seconds = unixNs / NS_PER_S;
  const ns = unixNs % NS_PER_S;
  return (((seconds + NTP_UNIX_OFFSET_SECONDS) << 32n) + (ns << 32n) / NS_PER_S) & MASK_64;
}

/** NTP 32.32 → Unix nanoseconds (rounded to the nearest ns). */
export function ntpToUnixNs(time: NtpTime): bigint {
  const seconds = (time >> 32n) - NTP_UNIX_OFFSET_SECONDS;
  const fraction = time & (TWO_32 - 1n);
  return seconds * NS_PER_S + (fraction * NS_PER_S + TWO_32 / 2n) / TWO_32;
}

export function ntpToUnixMs(time: NtpTime): number {
  return Number(ntpToUnixNs(time)) / 1e6;
}

/** A duration in seconds → 32.32 interval, truncated (0.1 s → 0x0000000019999999, as owping sends). */
export function secondsToInterval(seconds: number): bigint {
  if (!Number.isFinite(seconds) || seconds < 0 || seconds >= 2 ** 32) {
    throw new RangeError(`interval out of range: ${seconds}`);
  }
  const whole = Math.floor(seconds);
  const fraction = Math.floor((seconds - whole) * 2 ** 32);
  return (BigInt(whole) << 32n) + BigInt(Math.min(fraction, 2 ** 32 - 1));
}

export function intervalToSeconds(interval: bigint): number {
  return Number(interval >> 32n) + Number(interval & (TWO_32 - 1n)) / 2 ** 32;
}

export function intervalToNs(interval: bigint): bigint {
  return (interval * NS_PER_S) >> 32n;
}

export function nsToInterval(ns: bigint): bigint {
  return (ns << 32n) / NS_PER_S;
}

/** `later − earlier` in seconds, signed, computed exactly before the one conversion to a double. */
export function ntpDiffSeconds(later: NtpTime, earlier: NtpTime): number {
  const diff = later - earlier;
  const negative = diff < 0n;
  const magnitude = negative ? -diff : diff;
  const seconds = Number(magnitude >> 32n) + Number(magnitude & (TWO_32 - 1n)) / 2 ** 32;
  return negative ? -seconds : seconds;
}

/** `later − earlier` in nanoseconds, signed. */
export function ntpDiffNs(later: NtpTime, earlier: NtpTime): bigint {
  const diff = later - earlier;
  return diff < 0n ? -((-diff * NS_PER_S) >> 32n) : (diff * NS_PER_S) >> 32n;
}

/** |a − b| as a 32.32 value (owampd's OWPNum64Diff). */
export function ntpAbsDiff(a: NtpTime, b: NtpTime): bigint {
  return a > b ? a - b : b - a;
}

export function ntpToIso(time: NtpTime): string {
  return new Date(ntpToUnixMs(time)).toISOString();
}

/** Now from Date.now(): millisecond precision, no anchoring cost. For SIDs and limits, not for test packets. */
export function roughNow(): NtpTime {
  return unixNsToNtp(BigInt(Date.now()) * 1_000_000n);
}
