/**
 * Central acceptance interval of a binomial count: [low, high] such that
 * P(X < low) <= alpha/2 and P(X > high) <= alpha/2 for X ~ Binomial(n, p).
 * Computed exactly, in log space so large n cannot underflow.
 */
export function binomialAcceptance(n: number, p: number, alpha = 1e-6): { low: number; high: number } {
  if (!Number.isInteger(n) || n < 0) throw new RangeError('n must be a non-negative integer');
  if (!(p >= 0 && p <= 1)) throw new RangeError('p must be in [0, 1]');
  if (p === 0) return { low: 0, high: 0 };
  if (p === 1) return { low: n, high: n };
  const logPmf: number[] = [n * Math.log1p(-p)];
  const logRatio = Math.log(p) - Math.log1p(-p);
  for (let k = 0; k < n; k += 1) logPmf.push((logPmf[k] as number) + Math.log(n - k) - Math.log(k + 1) + logRatio);
  const peak = Math.max(...logPmf);
  const weights = logPmf.map((l) => Math.exp(l - peak));
  const total = weights.reduce((a, b) => a + b, 0);
  const tail = (alpha / 2) * total;
  let low = 0;
  for (let below = 0; low < n && below + (weights[low] as number) <= tail; low += 1) below += weights[low] as number;
  let high = n;
  for (let above = 0; high > 0 && above + (weights[high] as number) <= tail; high -= 1) above += weights[high] as number;
  return { low, high };
}

/** Probes needed so that a loss rate `p` is told apart from no loss with room to spare. */
export function lossProbeCount(p: number): number {
  if (!(p > 0 && p <= 1)) throw new RangeError('p must be in (0, 1]');
  return Math.min(20_000, Math.max(1000, Math.ceil(60 / p)));
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
