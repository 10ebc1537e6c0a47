import { z } from 'zod';
import { LatLon, LsSourceUrl, MAX_LS_SOURCES } from './hosts.ts';
import { MAX_HOST_LENGTH, isValidHost } from './target.ts';

/** What the user sets once: where they are (for "near me"), and which Lookup Services to ask. */
const Location = LatLon.extend({ label: z.string().max(100).optional() }).nullable();
const LsSources = z.array(LsSourceUrl).max(MAX_LS_SOURCES);

export const Settings = z.strictObject({
  location: Location.default(null),
  lsSources: LsSources.default([]),
});
export type Settings = z.output<typeof Settings>;
/** Only the keys given are changed (no defaults here, or a partial update would reset the rest). */
export const SettingsPatch = z.strictObject({ location: Location.optional(), lsSources: LsSources.optional() });

export const FavouriteInput = z.strictObject({
  host: z.string().max(MAX_HOST_LENGTH + 1).refine(isValidHost, { message: 'not a valid host name or IP address' }),
  favourite: z.boolean(),
});
