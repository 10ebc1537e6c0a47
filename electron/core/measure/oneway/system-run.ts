import { WorkbenchError, toErrorInfo, type ErrorInfo } from '../../../shared/errors.ts';
import type { LatencyOptions, OnewayRunSummary, TwampOptions } from '../../../shared/latency.ts';
import { assertValidHost } from '../../../shared/target.ts';
import { abortOutcome, type MethodContext, type MethodOutcome } from '../method.ts';
import { resolveHost } from '../resolve.ts';
import type { ResolvedTool } from '../tools.ts';
import { classifyToolError } from '../trace/errors.ts';
import { runToolProcess, type ToolExit } from '../trace/spawn.ts';
import { neutralise } from '../trace/text.ts';
import { systemToolBudgetMs } from './budget.ts';
import { systemOnewayArgs } from './system-args.ts';
import { owpingSessions, owpingSessionSummaries, twpingSession, twpingSessionSummary } from './system-result.ts';
import type { SystemOnewayToolName } from './system-tools.ts';

/**
 * `--tool system`: runs the host's perfSONAR owping (latency) or twping (twamp) with raw output,
 * and turns its records into the same summary and stored rows as the built-in client. The raw
 * stdout and stderr are stored verbatim, whatever happens.
 */

export const OWAMP_DEFAULT_PORT = 861;
export const TWAMP_DEFAULT_PORT = 862;

type Kind = 'latency' | 'twamp';

const failed = (error: ErrorInfo, stdout = '', stderr = ''): MethodOutcome => ({ status: 'failed', error, stdout, stderr, summary: null, writeSamples: () => {} });

/** owping's own error lines first, then the generic ones every path tool shares. */
/** stderr without the "owping: NTP: Status UNSYNC …" lines every run on an unsynchronised host prints. */
export function stderrProblems(stderr: string): string {
  return stderr
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '' && !/^\w+(?:\[\d+\])?: NTP: /.test(line))
    .map((line) => line.replace(/^(?:owping|twping): /, ''))
    .join('\n');
}

export function classifyOwampToolError(tool: SystemOnewayToolName, stderr: string, target: string): ErrorInfo {
  const text = stderrProblems(stderr);
  const detail = neutralise(text.replace(/\s+/g, ' ').trim(), 300) || 'no error message';
  if (/No Common Modes/i.test(text)) return { code: 'TOOL_FAILED', message: `The server at ${target} does not offer unauthenticated (open) mode (${tool}: ${detail})` };
  if (/Server denied test|Session Failed/i.test(text)) return { code: 'TOOL_FAILED', message: `The server at ${target} denied the test, e.g. by its limits (${tool}: ${detail})` };
  if (/Unable to open control connection/i.test(text)) {
    return { code: 'CONNECTION_REFUSED', message: `${tool} could not open a control connection to ${target}: no ${tool === 'owping' ? 'OWAMP' : 'TWAMP'} server answers there (${tool}: ${detail})` };
  }
  const { code, message } = classifyToolError(tool, text);
  return { code, message };
}

function timing(o: LatencyOptions | TwampOptions): { expectedS: number; budgetMs: number } {
  // owping: start delay ≈ (1 + sessions) × RTT + 1 s, the packets, the loss timeout, 1 s end delay.
  const expectedS = o.packets * o.interval + (o.lossTimeout ?? 2) + 3;
  return { expectedS, budgetMs: systemToolBudgetMs(o) };
}

function progressTicker(ctx: MethodContext<unknown>, expectedS: number): () => void {
  const started = Date.now();
  const timer = setInterval(() => {
    const elapsed = (Date.now() - started) / 1000;
    try {
      ctx.onProgress({ elapsed, fraction: Math.min(0.99, elapsed / expectedS), interval: null });
    } catch {
      // a listener's failure must not disturb the measurement
    }
  }, 1000);
  timer.unref?.();
  return () => clearInterval(timer);
}

function exitProblem(tool: SystemOnewayToolName, exit: ToolExit, target: string, signal: AbortSignal): Pick<MethodOutcome, 'status' | 'error'> | null {
  if (exit.cancelled || signal.aborted) return abortOutcome(signal);
  if (exit.spawnError) return { status: 'failed', error: { code: 'TOOL_FAILED', message: `${tool} could not be started: ${neutralise(exit.spawnError, 200)}` } };
  if (exit.timedOut) return { status: 'failed', error: { code: 'TIMEOUT', message: `${tool} did not finish within its time budget.` } };
  if (exit.outputTooLarge) return { status: 'failed', error: { code: 'UNPARSEABLE_OUTPUT', message: `${tool} printed more output than is kept.` } };
  if (exit.exitCode !== 0) return { status: 'failed', error: classifyOwampToolError(tool, exit.stderr, target) };
  return null;
}

export async function runSystemOneway(kind: 'latency', ctx: MethodContext<LatencyOptions>): Promise<MethodOutcome>;
export async function runSystemOneway(kind: 'twamp', ctx: MethodContext<TwampOptions>): Promise<MethodOutcome>;
export async function runSystemOneway(kind: Kind, ctx: MethodContext<LatencyOptions | TwampOptions>): Promise<MethodOutcome> {
  const o = ctx.options;
  const toolName: SystemOnewayToolName = kind === 'latency' ? 'owping' : 'twping';
  const latency = kind === 'latency' ? (o as LatencyOptions) : null;
  if (kind === 'twamp' && (o as TwampOptions).light) return failed({ code: 'INVALID_INPUT', message: 'twping has no TWAMP-Light mode: TWAMP-Light needs the built-in client.' });

  // The tool first: a missing owping fails at once, before any name lookup.
  let tool: ResolvedTool;
  let address: string;
  let family: 4 | 6;
  try {
    tool = await ctx.tools.require(toolName);
    assertValidHost(ctx.host);
    ({ address, family } = await resolveHost(ctx.host, o.family));
  } catch (error) {
    const info = error instanceof WorkbenchError ? error.toInfo() : toErrorInfo(error);
    return failed(info, '', info.message);
  }
  if (ctx.signal.aborted) return { ...failed({ code: 'CANCELLED', message: '' }), ...abortOutcome(ctx.signal, 'Cancelled before the tool started.') };

  const port = ctx.port ?? (kind === 'latency' ? OWAMP_DEFAULT_PORT : TWAMP_DEFAULT_PORT);
  const common = { packets: o.packets, interval: o.interval, schedule: o.schedule, padding: o.padding, ...(o.lossTimeout !== undefined ? { lossTimeout: o.lossTimeout } : {}) };
  let args: string[];
  try {
    args = systemOnewayArgs({ tool: toolName, host: address, port, family: o.family, ...common, ...(latency ? { direction: latency.direction, dscp: latency.dscp ?? null } : {}) });
  } catch (error) {
    return failed(error instanceof WorkbenchError ? error.toInfo() : toErrorInfo(error));
  }
  const target = args[args.length - 1] as string;
  ctx.onStarted({ tool: toolName, toolVersion: tool.version ?? 'unknown', command: [tool.path, ...args] });

  const { expectedS, budgetMs } = timing(o);
  const stop = progressTicker(ctx, expectedS);
  let exit: ToolExit;
  try {
    exit = await runToolProcess({ command: tool.path, args, signal: ctx.signal, timeoutMs: budgetMs, env: tool.env, onSpawn: (pid) => pid !== undefined && ctx.onToolProcess?.(pid) });
  } finally {
    stop();
  }
  const raw = { stdout: exit.stdout, stderr: exit.stderr };
  const problem = exitProblem(toolName, exit, target, ctx.signal);
  if (problem) return { ...problem, ...raw, summary: null, writeSamples: () => {} };

  const notes = [
    `Measured by ${toolName} ${tool.version ?? '(version unknown)'} at ${tool.path}; psw read its raw records (-R) and computed the figures with the same code as for its built-in client.`,
    ...(o.lossTimeout === undefined ? [`Loss timeout: ${toolName}'s default (round trip + 2 s); its raw output does not report it.`] : []),
  ];
  try {
    if (latency) {
      const sessions = owpingSessions(exit.stdout, { ...common, direction: latency.direction, dscp: latency.dscp ?? null });
      const summary: OnewayRunSummary = { protocol: 'owamp', mode: 'unauthenticated', controlRttMs: null, sessions: owpingSessionSummaries(sessions), notes };
      return { status: 'succeeded', error: null, family: family === 6 ? '6' : '4', ...raw, summary, writeSamples: (store, runId) => store.oneway.insertOwamp(runId, sessions, 'owping') };
    }
    const session = twpingSession(exit.stdout, common);
    const summary: OnewayRunSummary = { protocol: 'twamp', mode: 'unauthenticated', controlRttMs: null, sessions: [twpingSessionSummary(session)], notes };
    return { status: 'succeeded', error: null, family: family === 6 ? '6' : '4', ...raw, summary, writeSamples: (store, runId) => store.oneway.insertTwamp(runId, session) };
  } catch (error) {
    const info = error instanceof WorkbenchError ? error.toInfo() : toErrorInfo(error);
    const detail = neutralise(stderrProblems(exit.stderr).replace(/\s+/g, ' ').trim(), 300);
    return { ...failed({ code: info.code, message: detail ? `${info.message} (${toolName}: ${detail})` : info.message }), ...raw };
  }
}
