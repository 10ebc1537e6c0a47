import { z } from 'zod';

export const SEVERITIES = ['ok', 'info', 'warn', 'problem'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** One audited fact about the local host, with why it matters and how to fix it. */
export const Finding = z.object({
  id: z.string(),
  area: z.enum(['tcp-buffers', 'tcp-stack', 'congestion-control', 'queueing', 'interface', 'cpu', 'platform']),
  severity: z.enum(SEVERITIES),
  title: z.string(),
  value: z.string(),
  expected: z.string().nullable(),
  why: z.string(),
  fix: z.string().nullable(),
});
export type Finding = z.output<typeof Finding>;

export const SelfCheckInput = z.strictObject({
  /** Round-trip time of the path under test, to size buffers against its bandwidth-delay product. */
  rttMs: z.number().positive().max(10_000).optional(),
  /** The rate the user needs, bits/s (default 1 Gbit/s). */
  targetBitsPerSecond: z.number().positive().max(1e12).optional(),
});
export type SelfCheckInput = z.input<typeof SelfCheckInput>;

export const SelfCheckReport = z.object({
  platform: z.string(),
  hostname: z.string(),
  kernel: z.string(),
  cpus: z.number(),
  rttMs: z.number(),
  targetBitsPerSecond: z.number(),
  bdpBytes: z.number(),
  /** The largest TCP window this host can use for receiving and sending, bytes (null when unknown). */
  maxReceiveWindow: z.number().nullable(),
  maxSendWindow: z.number().nullable(),
  findings: z.array(Finding),
});
export type SelfCheckReport = z.output<typeof SelfCheckReport>;
