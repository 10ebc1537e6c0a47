/** What OWAMP and TWAMP share, as the workbench sees it: options helpers, results, progress, errors. */
export { OnewayError, type ControlStep, type OnewayFailure } from './errors.ts';
export type { OnewayPhase, OnewayProgress, PacketBatch, ProgressSession } from './progress.ts';
export type { ClockReport, Endpoint, OneWaySessionResult, ServerInfo, SlotDescription } from './session-result.ts';
export { DSCP_NOTE, TTL_NOTE, UNAUTHENTICATED_NOTE } from './session-result.ts';
export type { OneWayRecords } from './records.ts';
export type { OneWaySummary, DelaySummary, HopSummary, IpdvSummary, OwpingFigures } from './stats.ts';
export type { LossBound } from './loss-bound.ts';
export type { ScheduleErrorReport, PacingMode } from './pacer.ts';
export type { ClockOptions } from './clock.ts';
export type { ControlTimeouts } from './control/handshake.ts';
export type { PortRange } from './udp.ts';
export { OWAMPD_TEST_PORTS, TWAMPD_TEST_PORTS } from './udp.ts';
export type { ResponderEvent, ResponderLimits } from './responder.ts';
export { DEFAULT_RESPONDER_LIMITS } from './responder.ts';
export { exponentialSchedule, parseOwpingSchedule, periodicSchedule, type ScheduleSlot } from './schedule.ts';
export { parseOwpingMachine, parseOwpingRaw, parseOwpingText, parseTwpingRaw, owpingRawToLog, twpingRawToLog } from './owping-output.ts';
export { summarizeOneWay } from './stats.ts';
export { ONEWAY_PACKET_COLUMNS, ONEWAY_SESSION_COLUMNS, TWAMP_PACKET_COLUMNS, onewayPacketRows, onewaySessionRow, twampPacketRows, twampSessionRow } from './rows.ts';
