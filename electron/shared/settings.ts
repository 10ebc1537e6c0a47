import { z } from 'zod';
import { LatLon, LsSourceUrl, MAX_LS_SOURCES } from './hosts.ts';
import { MAX_HOST_LENGTH, isValidHost } from './target.ts';

/** What the user sets once: where they are (for "near me"), and which Lookup Services to ask. */
export const Settings = z.strictObject({
  location: LatLon.extend({ label: z.string().max(100).optional() }).nullable().default(null),
  lsSources: z.array(LsSourceUrl).max(MAX_LS_SOURCES).default([]),
});
export type Settings = z.output<typeof Settings>;
export const SettingsPatch = Settings.partial();

export const FavouriteInput = z.strictObject({
  host: z.string().max(MAX_HOST_LENGTH + 1).refine(isValidHost, { message: 'not a valid host name or IP address' }),
  favourite: z.boolean(),
});
