import type { Marker } from '../../shared/compare.ts';
import { detectPathChanges, type PathRun } from '../measure/trace/identity.ts';
import type { Store } from '../store/index.ts';

export interface RouteRange {
  from?: number;
  to?: number;
  family?: '4' | '6';
}

/**
 * The route changes seen by a host's trace runs, per address family (an IPv4 and an IPv6 trace
 * take different routes by nature, so only consecutive traces of one family are compared), found
 * by the same detection as the path history (over the traces that can start a change, which
 * finds the same changes). Each marker sits at the time of the trace that saw the new route and
 * links to that run.
 */
export function routeMarkers(store: Store, host: string, seriesId: string, range: RouteRange): Marker[] {
  const byFamily = new Map<string, PathRun[]>();
  for (const run of store.compare.routeTraces(host)) {
    const family = run.family ?? '';
    if (range.family !== undefined && family !== range.family) continue;
    const runs = byFamily.get(family) ?? [];
    runs.push(run);
    byFamily.set(family, runs);
  }
  const markers: Marker[] = [];
  for (const [family, runs] of byFamily) {
    for (const change of detectPathChanges(runs).changes) {
      if (change.runId === null) continue;
      if (range.from !== undefined && change.at < range.from) continue;
      if (range.to !== undefined && change.at >= range.to) continue;
      markers.push({ x: change.at, seriesId, runId: change.runId, label: family ? `route changed (IPv${family})` : 'route changed' });
    }
  }
  return markers.sort((a, b) => a.x - b.x || a.runId - b.runId);
}
