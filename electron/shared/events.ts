import { z } from 'zod';
import { DIAGNOSIS_STATUSES, VERDICT_CLASSES } from './diagnosis.ts';
import { ErrorInfoSchema, RunId, RUN_KINDS, RUN_STATUSES } from './runs.ts';
import { PacketProgress } from './latency.ts';
import { MtuProbe, PathHop, PingReply } from './path.ts';
import { ThroughputInterval } from './throughput.ts';

/** Events flow core → adapters → UI/terminal. One union, one schema. */
export const WorkbenchEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('run.queued'), runId: RunId, kind: z.enum(RUN_KINDS) }),
  z.object({ type: z.literal('run.started'), runId: RunId, kind: z.enum(RUN_KINDS), tool: z.string(), toolVersion: z.string() }),
  z.object({
    type: z.literal('run.progress'),
    runId: RunId,
    elapsed: z.number(),
    /** Fraction done, 0..1, when the run has a known length. */
    fraction: z.number().min(0).max(1).nullable(),
    /** Live interval; `provisional` ones come from sampling the socket and are replaced by the tool's own at the end. */
    interval: ThroughputInterval.extend({ provisional: z.boolean() }).nullable(),
    /** A word for the user when something notable happens (e.g. "server busy, retrying in 4 s"). */
    note: z.string().nullable().optional(),
    hop: PathHop.optional(),
    reply: PingReply.optional(),
    mtuProbe: MtuProbe.optional(),
    /** OWAMP/TWAMP: the packets that came in since the last event. */
    packets: PacketProgress.optional(),
  }),
  z.object({ type: z.literal('run.finished'), runId: RunId, status: z.enum(RUN_STATUSES), error: ErrorInfoSchema.nullable() }),
  z.object({ type: z.literal('diagnosis.progress'), diagnosisId: RunId, step: z.number().int(), of: z.number().int(), message: z.string(), runId: RunId.nullable() }),
  /** The background refresh of the discovery cache finished: cached answers are now this fresh. */
  z.object({ type: z.literal('hosts.refreshed'), finishedAt: z.number(), records: z.number().int().nonnegative(), failed: z.number().int().nonnegative() }),
  z.object({ type: z.literal('diagnosis.finished'), diagnosisId: RunId, status: z.enum(DIAGNOSIS_STATUSES), verdictClass: z.enum(VERDICT_CLASSES).nullable() }),
]);
export type WorkbenchEvent = z.output<typeof WorkbenchEvent>;
export type WorkbenchEventType = WorkbenchEvent['type'];
