import { WorkbenchError, type ErrorInfo } from '../../shared/errors.ts';
import type { PacketProgress } from '../../shared/latency.ts';
import type { MtuProbe, PathHop, PingReply } from '../../shared/path.ts';
import type { LiveInterval } from '../../shared/throughput.ts';
import type { Store } from '../store/index.ts';
import type { ToolResolver } from './tools.ts';

export interface RunProgress {
  elapsed: number;
  fraction: number | null;
  interval: LiveInterval | null;
  /** Path methods: a hop, an echo reply or an MTU probe as it arrives. */
  hop?: PathHop;
  reply?: PingReply;
  mtuProbe?: MtuProbe;
  packets?: PacketProgress;
}

export interface MethodContext<Options> {
  runId: number;
  targetId: number;
  /** For methods that read earlier runs (the path methods compare with the previous route). */
  store: Store;
  host: string;
  port: number | null;
  options: Options;
  signal: AbortSignal;
  tools: ToolResolver;
  onStarted(info: { tool: string; toolVersion: string; command: string[] }): void;
  onProgress(progress: RunProgress): void;
  /** The external tool's process started (its pid is recorded, so a killed workbench's tool can be ended later). */
  onToolProcess?(pid: number): void;
}

/** What a measurement hands back; the workbench stores it, whatever the outcome. */
export interface MethodOutcome {
  status: 'succeeded' | 'failed' | 'cancelled';
  error: ErrorInfo | null;
  stdout: string;
  stderr: string;
  summary: object | null;
  /** The address family the tool actually used, when it says. */
  family?: '4' | '6' | null;
  /** Fingerprint of the route the run took (path methods). */
  pathFingerprint?: string | null;
  /** Writes the method's own rows; called inside the run's finishing transaction. */
  writeSamples(store: Store, runId: number): void;
}

/** Why a run's signal fired: a job timeout is a failure, anything else a cancellation. */
export function abortOutcome(signal: AbortSignal, fallback = 'The run was cancelled.'): { status: 'failed' | 'cancelled'; error: ErrorInfo } {
  const reason: unknown = signal.reason;
  if (reason instanceof WorkbenchError && reason.code === 'TIMEOUT') return { status: 'failed', error: reason.toInfo() };
  return { status: 'cancelled', error: { code: 'CANCELLED', message: reason instanceof WorkbenchError ? reason.message : fallback } };
}
