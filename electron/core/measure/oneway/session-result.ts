import type { DiscardReason } from '../owamp/receiver.ts';
import type { ScheduleErrorReport } from './pacer.ts';
import type { OneWayRecords } from './records.ts';
import type { SlotType } from './schedule.ts';
import type { OneWaySummary } from './stats.ts';

/** Result shapes shared by the OWAMP client and the TWAMP clients: plain data, ready to store. */

export interface Endpoint {
  address: string;
  port: number;
}

export interface SlotDescription {
  type: SlotType;
  seconds: number;
}

export interface ClockReport {
  /** What we declared: the S bit of our timestamps. */
  synchronized: boolean;
  /** Our declared error estimate (s). */
  errorSeconds: number;
  /** Smallest step between two reads of our clock (ns). */
  resolutionNs: number;
  /** How precisely the wall clock was anchored (ns). */
  anchorUncertaintyNs: number;
}

export interface OneWaySessionResult {
  /** to = we sent, the server received; from = the server sent, we received. */
  direction: 'to' | 'from';
  sid: string;
  sender: Endpoint;
  receiver: Endpoint;
  /** The session's Start Time: NTP 32.32 as a decimal string, and as Unix ms. */
  startTimeNtp: string;
  startUnixMs: number;
  packets: number;
  schedule: SlotDescription[];
  paddingLength: number;
  lossTimeoutSeconds: number;
  dscp: number | null;
  /** From the sender's Stop-Sessions: first seqno not sent; skipped ranges (never sent). */
  nextSeqno: number;
  skips: Array<[number, number]>;
  /** server = fetched with Fetch-Session (TTL real); client = our own receiver (TTL unreadable). */
  recordSource: 'server' | 'client';
  /** Datagrams our receiver threw away, by reason (client-side receivers only). */
  discarded: Record<DiscardReason, number> | null;
  records: OneWayRecords;
  summary: OneWaySummary;
  /** Our sender's schedule error (to sessions only). */
  senderTiming: ScheduleErrorReport | null;
}

export interface ServerInfo {
  host: string;
  address: string;
  port: number;
  /** Modes the server offered, as a bit mask and in words. */
  modes: number;
  modesText: string;
  /** Server-Start's start time (Unix ms), the server's "uptime" origin. */
  serverStartUnixMs: number;
}

/** How the measurement was made, for the notes a UI shows next to results. */
export const UNAUTHENTICATED_NOTE =
  'Unauthenticated (open) mode only: authenticated and encrypted OWAMP/TWAMP modes are not implemented; a server that requires them reports "no common mode".';
export const TTL_NOTE =
  'Node.js cannot read the TTL/hop limit of received UDP packets: for packets we receive, hops are "not reported" (a perfSONAR server reports its own).';
export const DSCP_NOTE = 'Node.js cannot set the DSCP/TOS byte of UDP packets: our test packets always leave unmarked (best effort).';
