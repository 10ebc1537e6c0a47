/**
 * Largest-Triangle-Three-Buckets (Steinarsson 2013): keeps the points that carry the shape of a
 * series. Returns the indices to keep, in order; the first and last points always stay.
 */
export function lttbIndices(x: Float64Array, y: Float64Array, threshold: number): Uint32Array {
  const n = x.length;
  if (threshold >= n || threshold < 3) return Uint32Array.from({ length: n }, (_, i) => i);
  const out = new Uint32Array(threshold);
  const every = (n - 2) / (threshold - 2);
  let a = 0;
  out[0] = 0;
  for (let i = 0; i < threshold - 2; i += 1) {
    const nextStart = Math.floor((i + 1) * every) + 1;
    const nextEnd = Math.min(n, Math.floor((i + 2) * every) + 1);
    let avgX = 0;
    let avgY = 0;
    for (let j = nextStart; j < nextEnd; j += 1) {
      avgX += x[j] ?? 0;
      avgY += y[j] ?? 0;
    }
    const span = Math.max(1, nextEnd - nextStart);
    avgX /= span;
    avgY /= span;
    const start = Math.floor(i * every) + 1;
    const end = Math.floor((i + 1) * every) + 1;
    const ax = x[a] ?? 0;
    const ay = y[a] ?? 0;
    let best = start;
    let bestArea = -1;
    for (let j = start; j < end; j += 1) {
      const area = Math.abs((ax - avgX) * ((y[j] ?? 0) - ay) - (ax - (x[j] ?? 0)) * (avgY - ay));
      if (area > bestArea) {
        bestArea = area;
        best = j;
      }
    }
    out[i + 1] = best;
    a = best;
  }
  out[threshold - 1] = n - 1;
  return out;
}

export function pick(source: Float64Array, indices: Uint32Array): Float64Array {
  const out = new Float64Array(indices.length);
  for (let i = 0; i < indices.length; i += 1) out[i] = source[indices[i] ?? 0] ?? 0;
  return out;
}

export interface Sampled {
  x: Float64Array;
  y: Float64Array;
  runIds: Float64Array;
  /** Points before downsampling. */
  total: number;
}

/** A series cut to at most maxPoints by LTTB (x ascending); the same arrays when it already fits. */
export function downsample(x: Float64Array, y: Float64Array, runIds: Float64Array, maxPoints: number): Sampled {
  const keep = lttbIndices(x, y, maxPoints);
  if (keep.length >= x.length) return { x, y, runIds, total: x.length };
  return { x: pick(x, keep), y: pick(y, keep), runIds: pick(runIds, keep), total: x.length };
}
