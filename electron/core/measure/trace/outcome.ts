import { WorkbenchError } from '../../../shared/errors.ts';
import { assertValidHost } from '../../../shared/target.ts';
import { resolveHost } from '../resolve.ts';
import { pathFailure, type PathFailure } from './errors.ts';
import type { PathTool, PathToolName, PathToolSource } from './tools.ts';

/** What every path runner hands back, whatever happened: the lead stores it as it is. */
export interface PathRunOutcome<R> {
  status: 'succeeded' | 'failed' | 'cancelled';
  error: PathFailure | null;
  tool: string;
  toolVersion: string | null;
  /** argv as run (tool path first); empty when nothing was started. */
  command: string[];
  /** Raw output, verbatim (for a DF search: each probe's output, concatenated with headers). */
  stdout: string;
  stderr: string;
  /** The address family and address actually used. */
  family: 4 | 6 | null;
  targetAddress: string | null;
  /** Adjustments made to the request (e.g. mtr interval raised for non-root), for the user. */
  notes: string[];
  /** What was measured; also present (partial) for failed and cancelled runs when anything was. */
  result: R | null;
  durationMs: number;
}

export interface PathRunCommon {
  /** A host name or IP literal; validated here again (assertValidHost) before anything runs. */
  host: string;
  family?: 'any' | '4' | '6';
  signal?: AbortSignal;
  tools: PathToolSource;
  onStarted?(info: { tool: string; toolVersion: string; command: string[] }): void;
  onProgress?(progress: { elapsed: number; fraction: number | null }): void;
  /** The tool's process started (the workbench records its pid; see MethodContext.onToolProcess). */
  onToolProcess?(pid: number): void;
  /**
   * A hard time budget for the whole run, in ms. Each runner also derives one from its options
   * (hops x probes x wait, count x interval …); the smaller applies.
   */
  timeoutMs?: number;
  /** Name resolution; defaults to the workbench's resolveHost (bounded, family-aware). */
  resolve?: (host: string, family: 'any' | '4' | '6') => Promise<{ address: string; family: 4 | 6 }>;
}

export function emptyOutcome<R>(tool: string, started: number, status: PathRunOutcome<R>['status'], error: PathFailure | null, extra: Partial<PathRunOutcome<R>> = {}): PathRunOutcome<R> {
  return {
    status,
    error,
    tool,
    toolVersion: null,
    command: [],
    stdout: '',
    stderr: '',
    family: null,
    targetAddress: null,
    notes: [],
    result: null,
    durationMs: Date.now() - started,
    ...extra,
  };
}

/**
 * The steps before any process starts: validate, resolve, find the tool. Returns either what the
 * run needs or the outcome that ends it.
 */
export async function prepare<R>(
  common: PathRunCommon,
  toolName: PathToolName,
  started: number,
): Promise<{ ok: true; address: string; family: 4 | 6; tool: PathTool; signal: AbortSignal } | { ok: false; outcome: PathRunOutcome<R> }> {
  const signal = common.signal ?? new AbortController().signal;
  try {
    assertValidHost(common.host);
  } catch (error) {
    return { ok: false, outcome: emptyOutcome(toolName, started, 'failed', pathFailure('invalid-input', error instanceof Error ? error.message : String(error))) };
  }
  let resolved: { address: string; family: 4 | 6 };
  try {
    resolved = await (common.resolve ?? resolveHost)(common.host, common.family ?? 'any');
  } catch (error) {
    const code = error instanceof WorkbenchError ? error.code : 'HOST_UNKNOWN';
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, outcome: emptyOutcome(toolName, started, 'failed', pathFailure(code === 'INVALID_INPUT' ? 'invalid-input' : 'host-unknown', message)) };
  }
  if (signal.aborted) return { ok: false, outcome: emptyOutcome(toolName, started, 'cancelled', pathFailure('cancelled', 'Cancelled before the tool started.'), { family: resolved.family, targetAddress: resolved.address }) };
  let tool: PathTool;
  try {
    tool = await common.tools.require(toolName);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, outcome: emptyOutcome(toolName, started, 'failed', pathFailure('tool-missing', message), { family: resolved.family, targetAddress: resolved.address }) };
  }
  return { ok: true, address: resolved.address, family: resolved.family, tool, signal };
}

/** The derived budget, capped by the caller's. */
export function budget(common: PathRunCommon, derivedMs: number): number {
  const given = common.timeoutMs;
  return Math.ceil(given !== undefined && given > 0 ? Math.min(given, derivedMs) : derivedMs);
}

/** Calls onProgress every second until stopped. */
export function heartbeat(common: PathRunCommon, started: number, fraction: () => number | null): () => void {
  if (!common.onProgress) return () => {};
  const onProgress = common.onProgress;
  const timer = setInterval(() => {
    try {
      onProgress({ elapsed: (Date.now() - started) / 1000, fraction: fraction() });
    } catch {
      // a listener's failure must not disturb the measurement
    }
  }, 1000);
  timer.unref?.();
  return () => clearInterval(timer);
}

/** Tells the caller the tool's pid, never letting its failure disturb the run. */
export function toolStarted(common: PathRunCommon, pid: number | undefined): void {
  if (pid !== undefined) safeCall(common.onToolProcess, pid);
}

export function safeCall<A extends unknown[]>(fn: ((...args: A) => void) | undefined, ...args: A): void {
  if (!fn) return;
  try {
    fn(...args);
  } catch {
    // listeners never break a run
  }
}
