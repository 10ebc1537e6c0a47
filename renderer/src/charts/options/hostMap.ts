import type { EChartsCoreOption } from 'echarts/core';
import type { HostView } from '../../../../electron/shared/hosts.ts';

/** The name the bundled world outline is registered under (features/hosts/worldMap.ts). */
export const WORLD_MAP = 'psw-world';

export interface MapPoint {
  id: string;
  name: string;
  /** [longitude, latitude], as the geo coordinate system takes it. */
  value: [number, number];
  favourite: boolean;
}

export interface HostMapInput {
  hosts: readonly HostView[];
  selectedId: string | null;
  isFavourite: (host: HostView) => boolean;
  location: { latitude: number; longitude: number; label?: string } | null;
}

/** Hosts that have coordinates, as map points (in the list's order). */
export function mapPoints(hosts: readonly HostView[], isFavourite: (host: HostView) => boolean = () => false): MapPoint[] {
  const points: MapPoint[] = [];
  for (const h of hosts) {
    const { latitude, longitude } = h.location;
    if (latitude === null || longitude === null) continue;
    points.push({ id: h.id, name: h.target, value: [longitude, latitude], favourite: isFavourite(h) });
  }
  return points;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** ECharts puts tooltip strings into HTML: everything from the Lookup Service is escaped first. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

const truncate = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

const COLORS = { host: '#1f6feb', favourite: '#d4a72c', selected: '#cf222e', me: '#1a7f37', land: '#dde3ec', border: '#aab4c3' };

/** Pure: the world outline with one point per host, the selected host ringed, the user's location marked. */
export function hostMapOption({ hosts, selectedId, isFavourite, location }: HostMapInput): EChartsCoreOption {
  const points = mapPoints(hosts, isFavourite);
  const byId = new Map(hosts.map((h) => [h.id, h]));
  const selected = points.filter((p) => p.id === selectedId);
  return {
    animation: false,
    tooltip: {
      trigger: 'item',
      formatter: (params: { seriesId?: string; data?: MapPoint | { name: string } }) => {
        if (params.seriesId === 'me') return escapeHtml(truncate(`Your location${location?.label ? `: ${location.label}` : ''}`, 120));
        const point = params.data as MapPoint | undefined;
        const host = point ? byId.get(point.id) : undefined;
        if (!host) return '';
        const place = [host.location.site, host.location.city, host.location.country].filter(Boolean).join(', ');
        const types = [...new Set(host.services.map((s) => s.type))].join(' ');
        return [host.target, place, types].filter(Boolean).map((line) => escapeHtml(truncate(line, 80))).join('<br/>');
      },
    },
    geo: {
      map: WORLD_MAP,
      roam: true,
      scaleLimit: { min: 1, max: 40 },
      silent: true,
      label: { show: false },
      itemStyle: { areaColor: COLORS.land, borderColor: COLORS.border, borderWidth: 0.6 },
      emphasis: { disabled: true },
      left: 8,
      right: 8,
      top: 8,
      bottom: 8,
    },
    series: [
      {
        id: 'hosts',
        type: 'scatter',
        coordinateSystem: 'geo',
        geoIndex: 0,
        data: points.map((p) => ({ ...p, itemStyle: { color: p.favourite ? COLORS.favourite : COLORS.host } })),
        symbolSize: 8,
        itemStyle: { opacity: 0.85, borderColor: '#ffffff', borderWidth: 0.8 },
        emphasis: { scale: 1.6 },
        cursor: 'pointer',
        z: 3,
      },
      {
        id: 'selected',
        type: 'scatter',
        coordinateSystem: 'geo',
        geoIndex: 0,
        data: selected,
        symbolSize: 16,
        itemStyle: { color: 'transparent', borderColor: COLORS.selected, borderWidth: 3 },
        z: 4,
      },
      {
        id: 'me',
        type: 'scatter',
        coordinateSystem: 'geo',
        geoIndex: 0,
        data: location ? [{ name: 'me', value: [location.longitude, location.latitude] }] : [],
        symbol: 'diamond',
        symbolSize: 13,
        itemStyle: { color: COLORS.me, borderColor: '#ffffff', borderWidth: 1 },
        z: 5,
      },
    ],
  };
}
