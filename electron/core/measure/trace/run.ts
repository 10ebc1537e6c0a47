import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { PathAssessment, PathHop, PathTrace, TraceMethod, TraceTool } from '../../../shared/path.ts';
import { assessPath } from './analysis.ts';
import { mtrArgs, stableSourcePort, tracepathArgs, tracerouteArgs, tracerouteExecutable } from './args.ts';
import { classifyToolError, isFatalToolText, pathFailure } from './errors.ts';
import { pathFingerprint, pathKey } from './identity.ts';
import { resolveHopNames, type ReverseLookup } from './names.ts';
import { budget, emptyOutcome, heartbeat, prepare, safeCall, toolStarted, type PathRunCommon, type PathRunOutcome } from './outcome.ts';
import { parseMtrJson } from './parse-mtr.ts';
import { parseTracepath } from './parse-tracepath.ts';
import { parseTraceroute } from './parse-traceroute.ts';
import { parseTracert } from './parse-tracert.ts';
import { runToolProcess, type ToolExit } from './spawn.ts';

/** A finished (or partial) trace with everything derived from it. */
export interface TraceResult {
  tool: TraceTool;
  method: TraceMethod;
  paris: boolean;
  trace: PathTrace;
  assessment: PathAssessment;
  fingerprint: string;
  pathKey: string;
}

export interface TraceCommon extends PathRunCommon {
  maxHops?: number;
  /** Called once per hop as soon as the tool has printed it completely. */
  onHop?(hop: PathHop): void;
  /** Reverse DNS for hop addresses after the run (off by default). */
  resolveNames?: boolean;
  reverseLookup?: ReverseLookup;
}

export interface RunTraceOptions extends TraceCommon {
  method?: TraceMethod;
  queries?: number;
  paris?: boolean;
  port?: number;
  waitSeconds?: number;
  /** Overrides the stable per-target source port used for Paris mode. */
  sourcePort?: number;
}

const MAX_RUN_MS = 20 * 60_000;

/**
 * Streams hops out of growing tool output: after each line, the lines so far are parsed again
 * (cheap: a few hundred lines at most) and hops not yet announced are handed to onHop. Tools that
 * print several lines per hop (tracepath) only announce a hop once a later hop has started.
 */
class HopStream {
  readonly #lines: string[] = [];
  readonly #emitted = new Set<number>();
  readonly #parse: (text: string) => PathTrace;
  readonly #multiLine: boolean;
  readonly #onHop: ((hop: PathHop) => void) | undefined;

  constructor(parse: (text: string) => PathTrace, multiLine: boolean, onHop: ((hop: PathHop) => void) | undefined) {
    this.#parse = parse;
    this.#multiLine = multiLine;
    this.#onHop = onHop;
  }

  line(line: string): void {
    if (!this.#onHop || this.#lines.length > 2000) return;
    this.#lines.push(line);
    this.#emit();
  }

  finish(trace: PathTrace): void {
    if (!this.#onHop) return;
    for (const hop of trace.hops) this.#announce(hop);
  }

  #emit(): void {
    const trace = this.#parse(this.#lines.join('\n'));
    const highest = trace.hops.reduce((max, h) => Math.max(max, h.ttl), 0);
    for (const hop of trace.hops) if (!this.#multiLine || hop.ttl < highest) this.#announce(hop);
  }

  #announce(hop: PathHop): void {
    if (this.#emitted.has(hop.ttl)) return;
    this.#emitted.add(hop.ttl);
    safeCall(this.#onHop, hop);
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Builds the outcome of a trace from the process exit: partial traces are kept for failed and
 * cancelled runs; a run is "succeeded" when the tool ran normally and printed at least one hop,
 * reached or not (an unreachable destination is a result, not a failure).
 */
async function traceOutcome(
  toolName: TraceTool,
  exit: ToolExit,
  trace: PathTrace,
  base: { started: number; toolVersion: string | null; command: string[]; family: 4 | 6; address: string; method: TraceMethod; paris: boolean; notes: string[] },
  common: TraceCommon,
  signal: AbortSignal,
): Promise<PathRunOutcome<TraceResult>> {
  let finalTrace = trace;
  if (common.resolveNames && trace.hops.length > 0 && !exit.cancelled) {
    finalTrace = { ...trace, hops: await resolveHopNames(trace.hops, { lookup: common.reverseLookup, signal }) };
  }
  const result: TraceResult | null =
    finalTrace.hops.length > 0
      ? {
          tool: toolName,
          method: base.method,
          paris: base.paris,
          trace: finalTrace,
          assessment: assessPath(finalTrace, { method: base.method }),
          fingerprint: pathFingerprint(finalTrace),
          pathKey: pathKey(finalTrace),
        }
      : null;
  const outcome = emptyOutcome<TraceResult>(toolName, base.started, 'succeeded', null, {
    toolVersion: base.toolVersion,
    command: base.command,
    stdout: exit.stdout,
    stderr: exit.stderr,
    family: base.family,
    targetAddress: base.address,
    notes: base.notes,
    result,
  });
  const errorText = exit.stderr.trim() || exit.stdout.trim();
  if (exit.spawnError) return { ...outcome, status: 'failed', error: classifyToolError(toolName, exit.spawnError) };
  if (exit.cancelled) return { ...outcome, status: 'cancelled', error: pathFailure('cancelled', 'The run was cancelled.') };
  if (exit.timedOut) return { ...outcome, status: 'failed', error: pathFailure('timeout', `${toolName} did not finish within its time budget.`) };
  if (exit.outputTooLarge) return { ...outcome, status: 'failed', error: pathFailure('unparseable', `${toolName} printed more output than a trace can have.`) };
  if (result === null) {
    if (exit.exitCode !== 0 || isFatalToolText(exit.stderr)) return { ...outcome, status: 'failed', error: classifyToolError(toolName, errorText) };
    return { ...outcome, status: 'failed', error: pathFailure('unparseable', `${toolName} printed no hop that could be read.${trace.problems[0] ? ` ${trace.problems[0]}` : ''}`) };
  }
  if (exit.exitCode !== 0 || isFatalToolText(exit.stderr)) {
    return { ...outcome, status: 'failed', error: classifyToolError(toolName, errorText) };
  }
  return outcome;
}

/** traceroute (Linux), traceroute/traceroute6 (BSD, macOS) or tracert (Windows). */
export async function runTrace(options: RunTraceOptions): Promise<PathRunOutcome<TraceResult>> {
  const started = Date.now();
  const prepared = await prepare<TraceResult>(options, 'traceroute', started);
  if (!prepared.ok) return prepared.outcome;
  const { address, family, tool, signal } = prepared;
  const platform = process.platform;
  const maxHops = options.maxHops ?? 30;
  const queries = options.queries ?? 3;
  const waitSeconds = options.waitSeconds ?? 2;
  let sourcePort = options.sourcePort ?? stableSourcePort(address);
  let executable = tool.path;
  const wanted = tracerouteExecutable(platform, family);
  if (wanted === 'traceroute6') {
    const six = join(dirname(tool.path), 'traceroute6');
    if (await exists(six)) executable = six;
  }
  const parse = platform === 'win32' ? (text: string) => parseTracert(text, { targetAddress: address }) : (text: string) => parseTraceroute(text, { targetAddress: address });

  for (let attempt = 0; ; attempt += 1) {
    const built = tracerouteArgs({ platform, method: options.method ?? 'udp', family, address, maxHops, queries, paris: options.paris ?? true, port: options.port, sourcePort, waitSeconds });
    const command = [executable, ...built.args];
    const perHop = built.paris ? queries * waitSeconds : waitSeconds * 2;
    const timeoutMs = budget(options, Math.min(MAX_RUN_MS, (maxHops * perHop + 15) * 1000));
    safeCall(options.onStarted, { tool: 'traceroute', toolVersion: tool.version ?? 'unknown', command });
    const stream = new HopStream(parse, false, options.onHop);
    let lastTtl = 0;
    const stop = heartbeat(options, started, () => Math.min(1, lastTtl / maxHops));
    const exit = await runToolProcess({
      command: executable,
      args: built.args,
      signal,
      env: tool.env,
      onSpawn: (pid) => toolStarted(options, pid),
      timeoutMs,
      onLine: (line) => {
        const ttl = /^\s*(\d{1,3})\s/.exec(line);
        if (ttl) lastTtl = Math.max(lastTtl, Number(ttl[1]));
        stream.line(line);
      },
    });
    stop();
    const trace = parse(exit.stdout);
    // A fixed source port can be taken by another socket: try the next one, once.
    if (attempt === 0 && built.paris && trace.hops.length === 0 && /bind: Address already in use/i.test(exit.stderr) && !signal.aborted) {
      sourcePort = sourcePort >= 59999 ? 40000 : sourcePort + 1;
      continue;
    }
    stream.finish(trace);
    return traceOutcome('traceroute', exit, trace, { started, toolVersion: tool.version, command, family, address, method: built.method, paris: built.paris, notes: built.notes }, options, signal);
  }
}

/** tracepath (Linux): UDP, no privileges, per-hop path MTU. */
export async function runTracepath(options: TraceCommon): Promise<PathRunOutcome<TraceResult>> {
  const started = Date.now();
  const prepared = await prepare<TraceResult>(options, 'tracepath', started);
  if (!prepared.ok) return prepared.outcome;
  const { address, family, tool, signal } = prepared;
  const maxHops = options.maxHops ?? 30;
  const tracepathArgv = tracepathArgs({ family, address, maxHops });
  // Line-buffered through stdbuf where it exists, so hops (and a silent tail) are seen live.
  const stdbuf = process.platform === 'linux' ? await options.tools.require('stdbuf').catch(() => null) : null;
  const command = stdbuf ? [stdbuf.path, '-oL', tool.path, ...tracepathArgv] : [tool.path, ...tracepathArgv];
  const [executable, ...args] = command as [string, ...string[]];
  const parse = (text: string) => parseTracepath(text, { targetAddress: address, target: options.host });
  safeCall(options.onStarted, { tool: 'tracepath', toolVersion: tool.version ?? 'unknown', command });
  const stream = new HopStream(parse, true, options.onHop);
  let lastTtl = 0;
  const stop = heartbeat(options, started, () => Math.min(1, lastTtl / maxHops));
  // tracepath tries each TTL up to three times with a one-second wait.
  const exit = await runToolProcess({
    command: executable,
    args,
    signal,
    env: { ...stdbuf?.env, ...tool.env },
    onSpawn: (pid) => toolStarted(options, pid),
    timeoutMs: budget(options, Math.min(MAX_RUN_MS, (maxHops * 3.5 + 15) * 1000)),
    onLine: (line) => {
      const ttl = /^\s*(\d{1,3})\??:/.exec(line);
      if (ttl) lastTtl = Math.max(lastTtl, Number(ttl[1]));
      stream.line(line);
    },
  });
  stop();
  const trace = parse(exit.stdout);
  stream.finish(trace);
  return traceOutcome('tracepath', exit, trace, { started, toolVersion: tool.version, command, family, address, method: 'udp', paris: false, notes: [] }, options, signal);
}

export interface RunMtrOptions extends TraceCommon {
  method?: TraceMethod;
  cycles?: number;
  intervalSeconds?: number;
  paris?: boolean;
  port?: number;
  sourcePort?: number;
  /** Seconds to wait for late answers after the last cycle (default 2). */
  waitSeconds?: number;
}

/** mtr --json: loss and RTT per hop over many cycles. Its JSON comes at the end, so no per-hop streaming. */
export async function runMtr(options: RunMtrOptions): Promise<PathRunOutcome<TraceResult>> {
  const started = Date.now();
  const prepared = await prepare<TraceResult>(options, 'mtr', started);
  if (!prepared.ok) return prepared.outcome;
  const { address, family, tool, signal } = prepared;
  const cycles = options.cycles ?? 10;
  const built = mtrArgs({
    method: options.method ?? 'icmp',
    family,
    address,
    maxHops: options.maxHops ?? 30,
    cycles,
    intervalSeconds: options.intervalSeconds ?? 1,
    paris: options.paris ?? false,
    port: options.port,
    sourcePort: options.sourcePort ?? stableSourcePort(address),
    root: typeof process.getuid === 'function' && process.getuid() === 0,
    graceSeconds: options.waitSeconds ?? 2,
  });
  const command = [tool.path, ...built.args];
  const helper = join(dirname(tool.path), 'mtr-packet');
  const env = (await exists(helper)) ? { ...tool.env, MTR_PACKET: helper } : tool.env;
  safeCall(options.onStarted, { tool: 'mtr', toolVersion: tool.version ?? 'unknown', command });
  const expected = cycles * built.intervalSeconds;
  const stop = heartbeat(options, started, () => Math.min(1, (Date.now() - started) / 1000 / Math.max(expected, 1)));
  const exit = await runToolProcess({
    command: tool.path,
    args: built.args,
    signal,
    env,
    onSpawn: (pid) => toolStarted(options, pid),
    timeoutMs: budget(options, Math.min(MAX_RUN_MS, (expected + (options.waitSeconds ?? 2) + 30) * 1000)),
  });
  stop();
  const trace = parseMtrJson(exit.stdout, { targetAddress: address });
  if (options.onHop) for (const hop of trace.hops) safeCall(options.onHop, hop);
  return traceOutcome('mtr', exit, trace, { started, toolVersion: tool.version, command, family, address, method: built.method, paris: built.paris, notes: built.notes }, options, signal);
}

/** One entry point for the trace run kind. */
export function runTraceWith(tool: TraceTool, options: RunTraceOptions & RunMtrOptions): Promise<PathRunOutcome<TraceResult>> {
  if (tool === 'tracepath') return runTracepath(options);
  if (tool === 'mtr') return runMtr(options);
  return runTrace(options);
}
