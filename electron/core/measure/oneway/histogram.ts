/**
 * owping's delay histogram (owamp stats.c): bucket = ceil(delay / width) (floor for negative
 * delays); a percentile is `bucket × width` of the first bucket where the running count reaches
 * p × sent, lost packets counting in `sent` as if infinitely late. So medians are quantised to
 * the bucket width (0.1 ms by default) and any percentile above the received fraction is NaN.
 */

export const OWPING_BUCKET_WIDTH = 0.0001;

export class DelayHistogram {
  readonly width: number;
  readonly #counts = new Map<number, number>();

  constructor(width = OWPING_BUCKET_WIDTH) {
    if (!(width > 0)) throw new RangeError('bucket width must be positive');
    this.width = width;
  }

  add(delaySeconds: number): void {
    const scaled = delaySeconds / this.width;
    const bucket = scaled < 0 ? Math.floor(scaled) : Math.ceil(scaled);
    this.#counts.set(bucket, (this.#counts.get(bucket) ?? 0) + 1);
  }

  /** Sorted [bucket index, count] pairs, as owping -M prints them. */
  buckets(): Array<[number, number]> {
    return [...this.#counts.entries()].sort((a, b) => a[0] - b[0]);
  }

  /** owping's BucketBufferSortPercentile: null where owping prints "nan". */
  percentile(alpha: number, sent: number): number | null {
    let sum = 0;
    for (const [bucket, count] of this.buckets()) {
      if (count + sum >= alpha * sent) return bucket * this.width;
      sum += count;
    }
    return null;
  }
}

/** Exact percentile (nearest rank) of an ascending array; null when empty. */
export function nearestRank(sorted: Float64Array | number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? null;
}
