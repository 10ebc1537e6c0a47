/** The arithmetic of "host or network": bandwidth-delay product, window and Mathis limits. */

/** Mathis et al. (CCR 1997) constant for Reno-style AIMD: √(3/2). */
export const MATHIS_C = Math.sqrt(3 / 2);

export const bdpBytes = (bitsPerSecond: number, rttSeconds: number): number => (bitsPerSecond * rttSeconds) / 8;

/** The most one TCP stream can carry with this much window: window × 8 / RTT. */
export const windowLimitBps = (windowBytes: number, rttSeconds: number): number => (windowBytes * 8) / rttSeconds;

/** Mathis bound: rate ≤ (MSS/RTT) · C / √p. Infinite when p is zero. */
export function mathisBps(mssBytes: number, rttSeconds: number, lossRate: number): number {
  if (lossRate <= 0) return Number.POSITIVE_INFINITY;
  return ((mssBytes * 8) / rttSeconds) * (MATHIS_C / Math.sqrt(lossRate));
}

/** The largest loss rate that still allows `bitsPerSecond` (inverse Mathis): p = (C·MSS·8 / (RTT·R))². */
export function tolerableLoss(mssBytes: number, rttSeconds: number, bitsPerSecond: number): number {
  return ((MATHIS_C * mssBytes * 8) / (rttSeconds * bitsPerSecond)) ** 2;
}

/** Packets needed so that "none lost" proves loss below p (rule of three, 95 %). */
export const packetsToResolve = (lossRate: number): number => Math.ceil(3 / lossRate);

/** TCP MSS from a path MTU (IPv4: 40 bytes of headers, IPv6: 60), default Ethernet. */
export function mssFromMtu(mtu: number | null, family: '4' | '6' | null): number {
  const headers = family === '6' ? 60 : 40;
  return Math.max(536, (mtu ?? 1500) - headers);
}

/** Coefficient of variation: how flat a series is (0 = perfectly flat). */
export function coefficientOfVariation(values: readonly number[]): number | null {
  if (values.length < 2) return null;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  if (mean === 0) return null;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1);
  return Math.sqrt(variance) / mean;
}
