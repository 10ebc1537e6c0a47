import { createHash } from 'node:crypto';
import type { HopChange, PathChange, PathDiff, PathHistory, PathSegment } from '../../../shared/path.ts';

/**
 * Path identity.
 *
 * The *key* of a path is its hops in TTL order, each written as its responding addresses (sorted,
 * comma-separated, so an ECMP hop is one set) or "*" when nothing answered, with "!X"-style
 * unreachable annotations appended, joined by " > ". Trailing "*" hops are dropped (how many a
 * run prints depends only on max-hops), and a path that never reached its destination ends in
 * " > ?". Example: "198.18.1.1 > 198.18.2.2,198.18.4.2 > * > 198.18.9.1".
 *
 * The *fingerprint* is the first 16 hex digits of SHA-256("path/v1\n" + key): equal fingerprints
 * mean the same observed path. It is strict: a hop that answered in one run and stayed silent in
 * the next gives two fingerprints. Tolerance for "*" lives in the comparison instead: diffPaths
 * treats a "*" hop as unknown (it matches anything), and detectPathChanges only reports a change
 * when some hop answered from a different router, the destination moved to another TTL, or
 * reachability changed; a "*" never splits a path into two.
 */

/** The structural minimum of a trace the identity functions need (PathTrace fits; so do stored rows). */
export interface PathLike {
  reached: boolean;
  hops: ReadonlyArray<{ ttl: number; responders: ReadonlyArray<{ address: string }>; flags: readonly string[]; reached: boolean }>;
}

interface ShapeHop {
  ttl: number;
  addresses: string[];
  unreachable: string | null;
}

interface Shape {
  hops: ShapeHop[];
  reached: boolean;
}

function shapeOf(path: PathLike): Shape {
  const byTtl = [...path.hops].sort((a, b) => a.ttl - b.ttl);
  const hops: ShapeHop[] = byTtl.map((h) => ({
    ttl: h.ttl,
    addresses: [...new Set(h.responders.map((r) => r.address.toLowerCase()))].sort(),
    unreachable: h.flags.find((f) => f !== '!' && !f.startsWith('!F')) ?? null,
  }));
  while (hops.length > 0 && (hops[hops.length - 1]?.addresses.length ?? 0) === 0) hops.pop();
  return { hops, reached: path.reached };
}

function keyOfShape(shape: Shape): string {
  const parts: string[] = [];
  let expected = 1;
  for (const hop of shape.hops) {
    for (; expected < hop.ttl; expected += 1) parts.push('*'); // TTLs the tool never printed
    parts.push((hop.addresses.length > 0 ? hop.addresses.join(',') : '*') + (hop.unreachable ?? ''));
    expected = hop.ttl + 1;
  }
  if (!shape.reached) parts.push('?');
  return parts.join(' > ');
}

export function pathKey(path: PathLike): string {
  return keyOfShape(shapeOf(path));
}

export function fingerprintOfKey(key: string): string {
  return createHash('sha256').update(`path/v1\n${key}`).digest('hex').slice(0, 16);
}

export function pathFingerprint(path: PathLike): string {
  return fingerprintOfKey(pathKey(path));
}

/**
 * The route identity to record for a run (runs.path_fingerprint, which the timeline compares run
 * to run): the previous run's route fingerprint when this path is the same route by diffPaths
 * ("*" hops unknown, ECMP sets overlapping), else this path's own fingerprint. So a router that
 * is silent in one run never shows up as a route change, while path_runs.fingerprint keeps the
 * strict observed path.
 */
export function routeFingerprint(current: PathLike, previous: { path: PathLike; fingerprint: string } | null): string {
  if (previous && diffPaths(previous.path, current).same) return previous.fingerprint;
  return pathFingerprint(current);
}

function hopAt(shape: Shape, ttl: number): ShapeHop | null {
  return shape.hops.find((h) => h.ttl === ttl) ?? null;
}

function length(shape: Shape): number {
  return shape.hops[shape.hops.length - 1]?.ttl ?? 0;
}

/**
 * A route change needs a hop that changed (answered from another router, appeared or went away
 * on a reached path). Reachability alone (the destination or a hop stopped answering, a "!H"
 * appeared) names no changed hop, so it is not reported as a change of route.
 */
export function routeChanged(diff: PathDiff): boolean {
  return diff.kind === 'route';
}

/** Which hops differ between two paths, "*" being unknown rather than different. */
export function diffPaths(before: PathLike, after: PathLike): PathDiff {
  return diffShapes(shapeOf(before), shapeOf(after));
}

function diffShapes(a: Shape, b: Shape): PathDiff {
  const lenA = length(a);
  const lenB = length(b);
  const hops: HopChange[] = [];
  let firstChangedTtl: number | null = null;
  let route = false;
  let reachability = a.reached !== b.reached;
  for (let ttl = 1; ttl <= Math.max(lenA, lenB); ttl += 1) {
    const x = ttl <= lenA ? hopAt(a, ttl) ?? { ttl, addresses: [], unreachable: null } : null;
    const y = ttl <= lenB ? hopAt(b, ttl) ?? { ttl, addresses: [], unreachable: null } : null;
    let status: HopChange['status'];
    if (x === null) status = a.reached ? 'added' : 'unknown';
    else if (y === null) status = b.reached ? 'removed' : 'unknown';
    else if (x.addresses.length === 0 || y.addresses.length === 0) status = 'unknown';
    else if (x.addresses.some((addr) => y.addresses.includes(addr))) status = 'same';
    else status = 'changed';
    if (x && y && x.unreachable !== y.unreachable) reachability = true;
    if (status === 'changed' || status === 'added' || status === 'removed') {
      route = true;
      firstChangedTtl ??= ttl;
    }
    hops.push({ ttl, before: x ? x.addresses : null, after: y ? y.addresses : null, status });
  }
  return {
    same: !route && !reachability,
    kind: route ? 'route' : reachability ? 'reachability' : 'none',
    firstChangedTtl,
    hops,
    lengthBefore: lenA,
    lengthAfter: lenB,
    reachedBefore: a.reached,
    reachedAfter: b.reached,
  };
}

/** Fills the "*" hops of `base` from `other` (same path, a hop answered this time). */
function mergeShapes(base: Shape, other: Shape): Shape {
  const hops = base.hops.map((h) => {
    if (h.addresses.length > 0) return h;
    const filled = hopAt(other, h.ttl);
    return filled && filled.addresses.length > 0 ? filled : h;
  });
  for (const h of other.hops) if (h.ttl > length(base) && !base.reached) hops.push(h);
  return { hops: hops.sort((x, y) => x.ttl - y.ttl), reached: base.reached || other.reached };
}

export interface PathRun {
  runId?: number | null;
  /** When the run was measured (ms since the epoch). */
  at: number;
  path: PathLike;
}

/**
 * Given runs to one target, finds when the path changed and which hops changed. Runs are taken in
 * time order. Consecutive runs on the same path form a segment; "*" hops are filled in from the
 * other runs of the segment, so a sometimes-silent router never looks like a change.
 */
export function detectPathChanges(runs: readonly PathRun[]): PathHistory {
  const ordered = [...runs].sort((a, b) => a.at - b.at);
  const changes: PathChange[] = [];
  const segments: Array<PathSegment & { shape: Shape }> = [];
  let reference: Shape | null = null;
  let previousRunId: number | null = null;
  for (const run of ordered) {
    const shape = shapeOf(run.path);
    const runId = run.runId ?? null;
    const segment = segments[segments.length - 1];
    if (reference === null || !segment) {
      reference = shape;
      segments.push(newSegment(shape, runId, run.at));
    } else {
      const diff = diffShapes(reference, shape);
      if (!routeChanged(diff)) {
        reference = mergeShapes(reference, shape);
        segment.shape = reference;
        segment.lastRunId = runId;
        segment.lastAt = run.at;
        segment.runs += 1;
      } else {
        changes.push({
          runId,
          at: run.at,
          previousRunId,
          fromFingerprint: fingerprintOfKey(keyOfShape(reference)),
          toFingerprint: fingerprintOfKey(keyOfShape(shape)),
          diff,
        });
        reference = shape;
        segments.push(newSegment(shape, runId, run.at));
      }
    }
    previousRunId = runId;
  }
  const distinct: Shape[] = [];
  for (const s of segments) if (!distinct.some((d) => !routeChanged(diffShapes(d, s.shape)))) distinct.push(s.shape);
  return {
    changes,
    segments: segments.map(({ shape, ...s }) => ({ ...s, key: keyOfShape(shape), fingerprint: fingerprintOfKey(keyOfShape(shape)) })),
    distinctPaths: distinct.length,
  };
}

function newSegment(shape: Shape, runId: number | null, at: number): PathSegment & { shape: Shape } {
  const key = keyOfShape(shape);
  return { shape, key, fingerprint: fingerprintOfKey(key), firstRunId: runId, lastRunId: runId, firstAt: at, lastAt: at, runs: 1 };
}
