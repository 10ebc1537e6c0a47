import { incompleteBeta } from './beta.ts';

/**
 * Clopper–Pearson (exact binomial) bounds on a loss rate from `lost` of `sent`. With nothing lost
 * the 95 % upper bound is about 3/N, the "rule of three": 0 of 100 lost means "below 3 %".
 */
export function lossInterval(lost: number, sent: number, level = 0.95): { lower: number; upper: number } | null {
  if (!Number.isInteger(sent) || sent <= 0 || !Number.isInteger(lost) || lost < 0 || lost > sent) return null;
  const alpha = 1 - level;
  return {
    lower: lost === 0 ? 0 : betaQuantile(alpha / 2, lost, sent - lost + 1),
    upper: lost === sent ? 1 : betaQuantile(1 - alpha / 2, lost + 1, sent - lost),
  };
}

/** x with I_x(a, b) = p, by bisection (the regularised incomplete beta is monotone in x). */
export function betaQuantile(p: number, a: number, b: number): number {
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 100 && hi - lo > 1e-12; i += 1) {
    const mid = (lo + hi) / 2;
    if (incompleteBeta(a, b, mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
