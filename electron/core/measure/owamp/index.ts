/**
 * OWAMP (RFC 4656), unauthenticated mode: the client (owping's job) and a server (owampd's).
 * Authenticated and encrypted modes are not implemented; see oneway/control/codec.ts for where
 * they would go.
 */
export { runOwamp, type OwampDirection, type OwampRunOptions, type OwampRunResult } from './client.ts';
export { OWAMP_PORT, startOwampServer, type OwampServerHandle, type OwampServerOptions } from './server.ts';
export type { DiscardReason } from './receiver.ts';
