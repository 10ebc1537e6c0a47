import { useMemo, useState } from 'react';
import type { HostView } from '../../../../electron/shared/hosts.ts';
import { hostMapOption, mapPoints } from '../../charts/options/hostMap.ts';
import { useEChart } from '../../charts/useEChart.ts';
import type { Location } from '../../store/hosts.ts';
import { isFavourite } from './format.ts';
import { registerWorldMap } from './worldMap.ts';

registerWorldMap();

/** Where the first points are drawn (CSS px in the chart), for tests that click a point. */
const MAX_PIXELS = 200;

export function HostMap({ hosts, selectedId, favourites, location, onSelect }: { hosts: readonly HostView[]; selectedId: string | null; favourites: readonly string[]; location: Location | null; onSelect: (id: string) => void }) {
  const favouriteSet = useMemo(() => new Set(favourites), [favourites]);
  const option = useMemo(() => hostMapOption({ hosts, selectedId, isFavourite: (h) => isFavourite(h, favouriteSet), location }), [hosts, selectedId, favouriteSet, location]);
  const points = useMemo(() => mapPoints(hosts), [hosts]);
  const [pixels, setPixels] = useState('');
  const [renderMs, setRenderMs] = useState<number | null>(null);
  const { ref, chart } = useEChart(option, {
    onClick: (params) => {
      const id = (params.data as { id?: unknown } | undefined)?.id;
      if (typeof id === 'string') onSelect(id);
    },
    onRendered: (ms) => {
      setRenderMs(ms);
      const instance = chart.current;
      if (!instance) return;
      const placed = points.slice(0, MAX_PIXELS).flatMap((p) => {
        const xy = instance.convertToPixel({ geoIndex: 0 }, p.value) as number[] | undefined;
        return xy && Number.isFinite(xy[0]) && Number.isFinite(xy[1]) ? [{ id: p.id, x: Math.round(xy[0] ?? 0), y: Math.round(xy[1] ?? 0) }] : [];
      });
      setPixels(JSON.stringify(placed));
    },
  });
  const unplaced = hosts.length - points.length;
  return (
    <>
      <div className="host-map" ref={ref} data-testid="host-map" data-points={points.length} data-selected={selectedId ?? ''} data-pixels={pixels} data-render-ms={renderMs ?? ''} role="img" aria-label={`Map of ${points.length} host(s)`} />
      <p className="muted small">
        {points.length} host(s) on the map{unplaced > 0 ? `, ${unplaced} without coordinates` : ''} · scroll to zoom, drag to pan · <span className="legend-dot favourite" /> favourite <span className="legend-dot me" /> you
      </p>
    </>
  );
}
