import type { Marker } from '../../shared/compare.ts';
import { detectPathChanges, type PathRun } from '../measure/trace/identity.ts';
import type { Store } from '../store/index.ts';

/** Traces read per page of a target's history (PathStore.history's own cap). */
const PAGE = 2000;

export interface RouteRange {
  from?: number;
  to?: number;
  family?: '4' | '6';
}

/**
 * The route changes seen by a host's trace runs, per address family (an IPv4 and an IPv6 trace
 * take different routes by nature, so only consecutive traces of one family are compared), found
 * by the same detection as the path history. Each marker sits at the time of the trace that saw
 * the new route and links to that run. Pages back only as far as the first trace before `from`.
 */
export function routeMarkers(store: Store, host: string, seriesId: string, range: RouteRange): Marker[] {
  const byFamily = new Map<string, PathRun[]>();
  for (const targetId of store.compare.targetsOf(host)) {
    let before: number | undefined;
    for (;;) {
      const page = store.paths.history(targetId, { limit: PAGE, ...(before !== undefined ? { before } : {}) });
      for (const run of page) {
        const family = run.stored.family ?? '';
        if (range.family !== undefined && family !== range.family) continue;
        const runs = byFamily.get(family) ?? [];
        runs.push(run);
        byFamily.set(family, runs);
      }
      const oldest = page.at(-1);
      if (!oldest || page.length < PAGE || (range.from !== undefined && oldest.at < range.from)) break;
      before = oldest.runId;
    }
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
