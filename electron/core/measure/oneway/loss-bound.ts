import { betaQuantile, lossInterval } from '../../stats/loss.ts';

/**
 * Honest loss: with N packets sent and k lost, what loss rates are consistent with what we saw?
 * Clopper–Pearson (exact binomial) bounds. Zero lost out of N gives a one-sided 95 % upper bound
 * of 1 − 0.05^(1/N) ≈ 3/N, the "rule of three": 0 of 100 lost means "below about 3 %", not "0 %".
 */

export interface LossBound {
  /** Confidence level of both statements, e.g. 0.95. */
  level: number;
  /** One-sided upper bound: the loss rate is below this with `level` confidence. */
  upper: number;
  /** Two-sided interval at `level`. */
  lower: number;
  intervalUpper: number;
  /** The one-liner for people: "0 of 100 lost: loss below 3.0 % (95 % confidence)". */
  text: string;
}

export function lossBound(lost: number, sent: number, level = 0.95): LossBound | null {
  const interval = lossInterval(lost, sent, level);
  if (!interval) return null;
  const upper = lost === sent ? 1 : betaQuantile(level, lost + 1, sent - lost);
  const { lower, upper: intervalUpper } = interval;
  const pct = (x: number) => `${formatPercent(x)} %`;
  const confidence = `${Math.round(level * 100)} % confidence`;
  const text =
    lost === 0
      ? `0 of ${sent} lost: loss below ${pct(upper)} (${confidence}); a zero count cannot show less than about 3/N`
      : `${lost} of ${sent} lost (${pct(lost / sent)}): between ${pct(lower)} and ${pct(intervalUpper)} (${confidence})`;
  return { level, upper, lower, intervalUpper, text };
}

function formatPercent(fraction: number): string {
  const value = fraction * 100;
  if (value >= 10) return value.toFixed(1);
  if (value >= 0.1) return value.toFixed(2);
  return value.toPrecision(2);
}
