import { WorkbenchError } from '../../../shared/errors.ts';
import type { ScheduleSlot } from './schedule.ts';
import { intervalToSeconds } from './ntp.ts';

/** Bounds for client options: anything outside is refused before a packet leaves. */
export const CLIENT_LIMITS = {
  maxPackets: 1_000_000,
  maxPadding: 65_000,
  maxSlots: 1024,
  maxTimeoutSeconds: 600,
  maxStartDelaySeconds: 600,
  maxEndDelaySeconds: 60,
  /** Mean interval below this (10 µs, 100 000 packets/s) is refused: the pacer cannot keep up. */
  minMeanInterval: 0.00001,
} as const;

export function invalid(message: string): WorkbenchError {
  return new WorkbenchError('INVALID_INPUT', message);
}

export function checkInteger(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) throw invalid(`${name} must be an integer from ${min} to ${max} (got ${value}).`);
  return value;
}

export function checkSeconds(name: string, value: number, min: number, max: number): number {
  if (!Number.isFinite(value) || value < min || value > max) throw invalid(`${name} must be between ${min} and ${max} seconds (got ${value}).`);
  return value;
}

export function checkSchedule(slots: readonly ScheduleSlot[]): readonly ScheduleSlot[] {
  if (slots.length === 0 || slots.length > CLIENT_LIMITS.maxSlots) throw invalid(`A schedule has 1 to ${CLIENT_LIMITS.maxSlots} slots.`);
  const mean = slots.reduce((sum, slot) => sum + intervalToSeconds(slot.interval), 0) / slots.length;
  if (mean < CLIENT_LIMITS.minMeanInterval) throw invalid(`The mean interval ${mean} s is below ${CLIENT_LIMITS.minMeanInterval} s.`);
  return slots;
}

export function checkDscp(dscp: number | null | undefined): number | null {
  if (dscp === null || dscp === undefined) return null;
  return checkInteger('DSCP', dscp, 0, 63);
}
