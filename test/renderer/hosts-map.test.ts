import { describe, expect, it } from 'vitest';
import world from '../../resources/world/world.json' with { type: 'json' };
import { escapeHtml, hostMapOption, mapPoints, WORLD_MAP } from '../../renderer/src/charts/options/hostMap.ts';
import { hostView } from './hosts-fixtures.ts';

type Ring = number[][];
const features = (world as { features: Array<{ properties: { name: string }; geometry: { type: string; coordinates: Ring[] } }> }).features;

function segmentsCross(a: number[], b: number[], c: number[], d: number[]): boolean {
  const side = (p: number[], q: number[], r: number[]) => Math.sign(((q[0] ?? 0) - (p[0] ?? 0)) * ((r[1] ?? 0) - (p[1] ?? 0)) - ((q[1] ?? 0) - (p[1] ?? 0)) * ((r[0] ?? 0) - (p[0] ?? 0)));
  return side(a, b, c) * side(a, b, d) < 0 && side(c, d, a) * side(c, d, b) < 0;
}

function inRing([x, y]: [number, number], ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi = 0, yi = 0] = ring[i] ?? [];
    const [xj = 0, yj = 0] = ring[j] ?? [];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

const onLand = (lon: number, lat: number) => features.some((f) => {
  const [outer, ...holes] = f.geometry.coordinates;
  return !!outer && inRing([lon, lat], outer) && !holes.some((h) => inRing([lon, lat], h));
});

describe('the bundled world outline', () => {
  it('is GeoJSON polygons in lon/lat, closed and simple, a few hundred vertices', () => {
    let vertices = 0;
    expect(features.length).toBeGreaterThan(20);
    for (const f of features) {
      expect(f.properties.name).toMatch(/\S/);
      expect(f.geometry.type).toBe('Polygon');
      for (const ring of f.geometry.coordinates) {
        vertices += ring.length;
        expect(ring.length, f.properties.name).toBeGreaterThanOrEqual(4);
        expect(ring[0], `${f.properties.name} is closed`).toEqual(ring.at(-1));
        for (const [lon = NaN, lat = NaN] of ring) {
          expect(Math.abs(lon)).toBeLessThanOrEqual(180);
          expect(Math.abs(lat)).toBeLessThanOrEqual(90);
        }
        const n = ring.length - 1;
        for (let i = 0; i < n; i += 1) {
          for (let j = i + 2; j < n; j += 1) {
            if (i === 0 && j === n - 1) continue;
            expect(segmentsCross(ring[i] ?? [], ring[i + 1] ?? [], ring[j] ?? [], ring[j + 1] ?? []), `${f.properties.name}: edges ${i} and ${j} cross`).toBe(false);
          }
        }
      }
    }
    expect(vertices).toBeGreaterThan(300);
    expect(vertices).toBeLessThan(3000);
  });

  it('puts the research sites on land and the seas in the sea', () => {
    const sites: Array<[string, number, number]> = [
      ['Berkeley', -122.27, 37.87], ['Ann Arbor', -83.74, 42.28], ['Upton NY', -72.89, 40.87], ['Geneva', 6.14, 46.2], ['Hamburg', 9.88, 53.58], ['Amsterdam', 4.9, 52.37],
      ['Rio de Janeiro', -43.17, -22.91], ['Sydney', 151.21, -33.87], ['Daejeon', 127.38, 36.35], ['Cape Town', 18.42, -33.92], ['Vancouver', -123.12, 49.28], ['Paris', 2.35, 48.86],
      ['London', -0.13, 51.51], ['Tokyo', 139.65, 35.68], ['Beijing', 116.4, 39.9], ['San Diego', -117.16, 32.72], ['Bologna', 11.34, 44.49], ['Macau', 113.55, 22.19],
      ['Singapore', 103.82, 1.35], ['Mumbai', 72.88, 19.07], ['Nairobi', 36.82, -1.29], ['Buenos Aires', -58.38, -34.6], ['Auckland', 174.76, -36.85], ['Honolulu', -157.86, 21.3],
    ];
    for (const [name, lon, lat] of sites) expect(onLand(lon, lat), name).toBe(true);
    const seas: Array<[string, number, number]> = [
      ['mid Atlantic', -30, 30], ['mid Pacific', -150, 0], ['Indian Ocean', 80, -20], ['Mediterranean', 18, 34], ['Black Sea', 34, 43], ['Caspian', 51, 42],
      ['North Sea', 3, 56], ['Gulf of Mexico', -90, 25], ['Hudson Bay', -86, 60], ['Tasman Sea', 160, -38], ['Sea of Japan', 135, 40], ['Red Sea', 38, 20],
    ];
    for (const [name, lon, lat] of seas) expect(onLand(lon, lat), name).toBe(false);
  });
});

type Option = {
  geo: { map: string; roam: boolean };
  tooltip: { formatter: (p: { seriesId?: string; data?: unknown }) => string };
  series: Array<{ id: string; coordinateSystem: string; data: Array<{ id?: string; value: [number, number]; itemStyle?: { color: string } }> }>;
};

describe('host map option', () => {
  const hosts = [
    hostView('geneva.example.net', { id: 'g', location: { latitude: 46.2, longitude: 6.14 } }),
    hostView('nowhere.example.net', { id: 'n', location: { latitude: null, longitude: null } }),
    hostView('macau.example.net', { id: 'm', location: { latitude: 22.19, longitude: 113.55, site: '<img src=x onerror=alert(1)>' } }),
  ];

  it('plots hosts with coordinates as [lon, lat] on the world outline', () => {
    expect(mapPoints(hosts).map((p) => [p.id, p.value])).toEqual([
      ['g', [6.14, 46.2]],
      ['m', [113.55, 22.19]],
    ]);
    const option = hostMapOption({ hosts, selectedId: 'm', isFavourite: (h) => h.id === 'g', location: { latitude: 40, longitude: -74, label: 'me' } }) as unknown as Option;
    expect(option.geo.map).toBe(WORLD_MAP);
    expect(option.geo.roam).toBe(true);
    const [all, selected, me] = option.series;
    expect(all?.coordinateSystem).toBe('geo');
    expect(all?.data.map((d) => d.id)).toEqual(['g', 'm']);
    expect(all?.data[0]?.itemStyle?.color).not.toBe(all?.data[1]?.itemStyle?.color);
    expect(selected?.data.map((d) => d.id)).toEqual(['m']);
    expect(me?.data[0]?.value).toEqual([-74, 40]);
    const none = hostMapOption({ hosts, selectedId: null, isFavourite: () => false, location: null }) as unknown as Option;
    expect(none.series[1]?.data).toEqual([]);
    expect(none.series[2]?.data).toEqual([]);
  });

  it('escapes what the Lookup Service registered before ECharts puts it into the tooltip', () => {
    const option = hostMapOption({ hosts, selectedId: null, isFavourite: () => false, location: { latitude: 1, longitude: 2, label: '<b>home</b>' } }) as unknown as Option;
    const point = option.series[0]?.data[1];
    const html = option.tooltip.formatter({ seriesId: 'hosts', data: point });
    expect(html).toContain('macau.example.net');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('<img');
    expect(option.tooltip.formatter({ seriesId: 'me', data: {} })).toBe('Your location: &lt;b&gt;home&lt;/b&gt;');
    expect(escapeHtml(`a&"'`)).toBe('a&amp;&quot;&#39;');
  });
});
