import { incompleteBeta } from '../stats/beta.ts';

/** Quantile by linear interpolation on sorted data (type 7, as numpy and R default). */
export function quantile(sorted: Float64Array, q: number): number | null {
  if (sorted.length === 0) return null;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] ?? 0;
  const b = sorted[hi] ?? 0;
  return a + (b - a) * (pos - lo);
}

export function meanAndVariance(values: Float64Array): { mean: number; variance: number } | null {
  if (values.length === 0) return null;
  let mean = 0;
  for (const v of values) mean += v;
  mean /= values.length;
  let ss = 0;
  for (const v of values) ss += (v - mean) ** 2;
  return { mean, variance: values.length > 1 ? ss / (values.length - 1) : 0 };
}

/** Two-sided p-value of Welch's t-test; null when either group has fewer than two values. */
export function welchPValue(a: Float64Array, b: Float64Array): number | null {
  const ma = meanAndVariance(a);
  const mb = meanAndVariance(b);
  if (!ma || !mb || a.length < 2 || b.length < 2) return null;
  const va = ma.variance / a.length;
  const vb = mb.variance / b.length;
  if (va + vb === 0) return ma.mean === mb.mean ? 1 : 0;
  const t = (mb.mean - ma.mean) / Math.sqrt(va + vb);
  const df = (va + vb) ** 2 / (va ** 2 / (a.length - 1) + vb ** 2 / (b.length - 1));
  return studentTwoSidedP(t, df);
}

/** P(|T| ≥ |t|) for Student's t with df degrees of freedom. */
export function studentTwoSidedP(t: number, df: number): number {
  return incompleteBeta(df / 2, 0.5, df / (df + t * t));
}
