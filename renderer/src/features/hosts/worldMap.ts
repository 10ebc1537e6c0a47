import world from '../../../../resources/world/world.json' with { type: 'json' };
import { WORLD_MAP } from '../../charts/options/hostMap.ts';
import { echarts } from '../../charts/echarts.ts';

/*
 * The hand-drawn world outline (resources/world/world.json, GeoJSON in lon/lat), bundled at build
 * time so nothing is fetched at run time (the CSP allows no such request).
 */
let registered = false;

export function registerWorldMap(): void {
  if (registered) return;
  echarts.registerMap(WORLD_MAP, world as never);
  registered = true;
}
