import { z } from 'zod';
import { LatLon, LsSourceUrl, MAX_LS_SOURCES } from './hosts.ts';
import { MAX_HOST_LENGTH, isValidHost } from './target.ts';
import { TOOL_NAMES } from './tools.ts';

/** What the user sets once: where they are (for "near me"), and which Lookup Services to ask. */
const Location = LatLon.extend({ label: z.string().max(100).optional() }).nullable();
const LsSources = z.array(LsSourceUrl).max(MAX_LS_SOURCES);

/**
 * A user-chosen executable for one tool: an absolute path (POSIX, or Windows with a drive letter
 * or UNC prefix) without control characters. That it is an existing executable file is checked
 * by the core when the setting is saved.
 */
export const ToolPath = z
  .string()
  .min(2)
  .max(4096)
  .refine((p) => !/[\u0000-\u001f\u007f-\u009f]/.test(p), { message: 'must not contain control characters' })
  .refine((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\'), { message: 'must be an absolute path' });
/** Tool → configured path; a tool left out is looked for bundled, then on PATH. */
export const ToolPaths = z.partialRecord(z.enum(TOOL_NAMES), ToolPath);
export type ToolPaths = z.output<typeof ToolPaths>;

export const Settings = z.strictObject({
  location: Location.default(null),
  lsSources: LsSources.default([]),
  toolPaths: ToolPaths.optional(),
});
export type Settings = z.output<typeof Settings>;
/** Only the keys given are changed (no defaults here, or a partial update would reset the rest). */
export const SettingsPatch = z.strictObject({ location: Location.optional(), lsSources: LsSources.optional(), toolPaths: ToolPaths.optional() });

export const FavouriteInput = z.strictObject({
  host: z.string().max(MAX_HOST_LENGTH + 1).refine(isValidHost, { message: 'not a valid host name or IP address' }),
  favourite: z.boolean(),
});
