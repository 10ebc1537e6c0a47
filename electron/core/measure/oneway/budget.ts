/**
 * How long a latency or TWAMP run may take before the job runner stops it.
 *
 * A Poisson schedule's length is a sum of N exponential gaps: mean N·interval, standard deviation
 * interval·√N (60 s for 3600 packets at 1 s). The budget allows 20 % over the mean plus six
 * standard deviations, so a long run is never cut off by chance. Both directions of a latency run
 * follow their own schedules at the same time, so a second session adds nothing.
 */

export interface BudgetOptions {
  packets: number;
  /** Mean seconds between packets. */
  interval: number;
  /** Loss timeout in seconds; undefined = the tools' default (round trip + 2 s). */
  lossTimeout?: number | undefined;
}

/** Start delay: owping's (1 + sessions) × RTT + 1 s, for round trips up to about 3 s. */
export const START_DELAY_ALLOWANCE_S = 10;
/** End delay (1 s) and Stop-Sessions / Fetch-Session at the end. */
export const END_DELAY_ALLOWANCE_S = 5;
/** The default loss timeout is round trip + 2 s: allows round trips up to 8 s. */
export const DEFAULT_LOSS_TIMEOUT_ALLOWANCE_S = 10;
/** Connecting and negotiating the control connection (each step has its own, shorter timeout). */
export const CONTROL_ALLOWANCE_S = 45;
/** Beyond a system owping/twping's own budget, so its process is stopped first, with its own message. */
export const SYSTEM_TOOL_MARGIN_S = 15;

/** Seconds from the first packet's start delay to the end of the test sessions. */
export function sessionsBudgetSeconds(o: BudgetOptions): number {
  const sending = o.packets * o.interval * 1.2 + 6 * o.interval * Math.sqrt(o.packets);
  return sending + START_DELAY_ALLOWANCE_S + (o.lossTimeout ?? DEFAULT_LOSS_TIMEOUT_ALLOWANCE_S) + END_DELAY_ALLOWANCE_S;
}

/** The process budget of a system owping/twping run (ms). */
export function systemToolBudgetMs(o: BudgetOptions): number {
  return Math.ceil((sessionsBudgetSeconds(o) + CONTROL_ALLOWANCE_S) * 1000);
}

/** The job's hard limit (ms): the built-in client's budget, and above a system tool's own. */
export function runTimeoutMs(o: BudgetOptions): number {
  return systemToolBudgetMs(o) + SYSTEM_TOOL_MARGIN_S * 1000;
}
