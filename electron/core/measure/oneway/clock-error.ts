import { execFile } from 'node:child_process';
import type { ClockOptions } from './clock.ts';

/**
 * The error our timestamps declare (RFC 4656 error estimate). A synchronised clock is only as good
 * as NTP keeps it, milliseconds rather than the microsecond of our anchoring, so unless the user
 * says (--clock-error), ask chrony for its bound and otherwise assume 10 ms.
 */

export const DEFAULT_SYNCHRONIZED_ERROR_S = 0.01;
const CHRONYC_TIMEOUT_MS = 1500;
const CHRONYC_MAX_OUTPUT = 16 * 1024;

export type ClockErrorSource = 'user' | 'chrony' | 'default' | 'anchor';

export interface ResolvedClock extends ClockOptions {
  source: ClockErrorSource;
}

const seconds = (text: string, label: string): number | null => {
  const m = new RegExp(`^${label}\\s*:\\s*(-?\\d+(?:\\.\\d+)?)\\s+seconds`, 'm').exec(text);
  if (!m) return null;
  const n = Number(m[1]);
  return Number.isFinite(n) ? n : null;
};

/**
 * chrony's bound on this clock's error from `chronyc tracking`: |System time offset| + Root
 * dispersion + Root delay / 2 (chrony's documented maximum error). null when chrony is not
 * synchronised or the text is not what chronyc prints.
 */
export function chronyErrorSeconds(text: string): number | null {
  if (/^Leap status\s*:\s*Not synchronised/im.test(text)) return null;
  const offset = seconds(text, 'System time');
  const dispersion = seconds(text, 'Root dispersion');
  const delay = seconds(text, 'Root delay');
  if (offset === null || dispersion === null || delay === null || dispersion < 0 || delay < 0) return null;
  const error = Math.abs(offset) + dispersion + delay / 2;
  return error > 0 && error <= 10 ? error : null;
}

/** Runs `chronyc tracking` (argv only, short timeout); null if chronyc is missing, slow or unsynchronised. */
export function readChronyError(command = 'chronyc'): Promise<number | null> {
  return new Promise((resolve) => {
    try {
      execFile(command, ['tracking'], { timeout: CHRONYC_TIMEOUT_MS, maxBuffer: CHRONYC_MAX_OUTPUT, windowsHide: true }, (error, stdout) => {
        resolve(error ? null : chronyErrorSeconds(String(stdout)));
      });
    } catch {
      resolve(null);
    }
  });
}

/** The clock options for a run or a responder from what the user said (--clock-sync, --clock-error MS). */
export async function resolveClock(input: { synchronized: boolean; errorMs?: number | undefined; chronyc?: string }): Promise<ResolvedClock> {
  if (input.errorMs !== undefined) return { synchronized: input.synchronized, errorSeconds: input.errorMs / 1000, source: 'user' };
  if (!input.synchronized) return { synchronized: false, source: 'anchor' };
  const chrony = await readChronyError(input.chronyc);
  return chrony === null ? { synchronized: true, errorSeconds: DEFAULT_SYNCHRONIZED_ERROR_S, source: 'default' } : { synchronized: true, errorSeconds: chrony, source: 'chrony' };
}

const SOURCE_TEXT: Record<ClockErrorSource, string> = {
  user: 'as given with --clock-error',
  chrony: "from chrony's bound (chronyc tracking)",
  default: 'assumed: chronyc gave no bound, so 10 ms (set --clock-error)',
  anchor: 'the clock anchoring uncertainty; the timestamps are marked unsynchronised',
};

export function clockErrorNote(clock: ResolvedClock, declaredSeconds: number): string {
  return `Our timestamps declare an error of ${Number((declaredSeconds * 1000).toPrecision(3))} ms, ${SOURCE_TEXT[clock.source]}.`;
}
