/**
 * The invoke channels, as plain names. The preload imports only this file (no zod), so the
 * sandboxed bundle stays small; contract.ts checks that its schemas cover exactly these names.
 */
export const CHANNELS = ['app.info', 'runs.start', 'runs.cancel', 'runs.list', 'runs.get', 'runs.delete', 'runs.tag', 'tools.list', 'host.selfCheck', 'compare.series',
  'hosts.search', 'hosts.forHops', 'hosts.refresh', 'hosts.cacheStatus', 'hosts.favourites', 'hosts.setFavourite',
  'settings.get', 'settings.update',
  'paths.history',
  'diagnose.start', 'diagnose.cancel', 'diagnose.get', 'diagnose.list', 'diagnose.rederive'] as const;
export type Channel = (typeof CHANNELS)[number];

/** The one main → renderer channel; its payload is a WorkbenchEvent. */
export const EVENT_CHANNEL = 'workbench.event';

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && (CHANNELS as readonly string[]).includes(name);
}
