import { lsSourceFromUrl, MAX_LS_SOURCES } from '../../../../electron/shared/hosts.ts';
import type { Settings } from '../../../../electron/shared/settings.ts';

/** The settings panel's fields, as typed. */
export interface SettingsForm {
  latitude: string;
  longitude: string;
  label: string;
  sources: string;
}

export function settingsToForm(settings: Settings | null): SettingsForm {
  const l = settings?.location ?? null;
  return { latitude: l ? String(l.latitude) : '', longitude: l ? String(l.longitude) : '', label: l?.label ?? '', sources: (settings?.lsSources ?? []).join('\n') };
}

/** The form → a settings patch, or a readable problem. Both coordinates empty clears the location. */
export function formToSettings(form: SettingsForm): Partial<Settings> | string {
  const lat = form.latitude.trim();
  const lon = form.longitude.trim();
  let location: Settings['location'] = null;
  if (lat || lon) {
    const latitude = Number(lat);
    const longitude = Number(lon);
    if (!lat || !Number.isFinite(latitude) || latitude < -90 || latitude > 90) return 'Latitude must be a number from -90 to 90.';
    if (!lon || !Number.isFinite(longitude) || longitude < -180 || longitude > 180) return 'Longitude must be a number from -180 to 180.';
    const label = form.label.trim().slice(0, 100);
    location = { latitude, longitude, ...(label ? { label } : {}) };
  }
  const lsSources = [...new Set(form.sources.split(/\s+/).filter(Boolean))];
  if (lsSources.length > MAX_LS_SOURCES) return `At most ${MAX_LS_SOURCES} Lookup Service URLs.`;
  for (const url of lsSources) {
    const source = lsSourceFromUrl(url);
    if (typeof source === 'string') return `${url.length > 80 ? `${url.slice(0, 79)}…` : url}: ${source}.`;
  }
  return { location, lsSources };
}
