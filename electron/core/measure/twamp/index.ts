/**
 * TWAMP (RFC 5357) with TWAMP-Control and TWAMP-Light (RFC 5357 Appendix I), unauthenticated
 * mode: clients, a TWAMP server, and a TWAMP-Light reflector.
 */
export { runTwamp, runTwampLight, type TwampCommonOptions, type TwampLightOptions, type TwampRunOptions, type TwampRunResult } from './client.ts';
export { startTwampServer, type TwampServerHandle, type TwampServerOptions } from './server.ts';
export { startTwampLightReflector, type TwampLightReflectorHandle, type TwampLightReflectorOptions } from './light.ts';
export { TWAMP_PORT, RECOMMENDED_SENDER_PADDING } from './codec.ts';
export type { TwampRecords } from './records.ts';
export type { RoundTripSummary, TwpingFigures } from './stats.ts';
export type { TwampDiscardReason } from './sender.ts';
