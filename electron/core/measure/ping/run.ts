import { dirname, join } from 'node:path';
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import type { MtuProbe, PingReply, RttSummary } from '../../../shared/path.ts';
import { classifyToolError, pathFailure } from '../trace/errors.ts';
import { budget, emptyOutcome, heartbeat, prepare, safeCall, toolStarted, type PathRunCommon, type PathRunOutcome } from '../trace/outcome.ts';
import { runToolProcess } from '../trace/spawn.ts';
import type { PathTool } from '../trace/tools.ts';
import { icmpOverhead, pingArgs } from './args.ts';
import { parsePing, parsePingLine, summarizePing, type PingFormat, type PingParse } from './parse.ts';

export interface PingResult {
  parse: PingParse;
  summary: RttSummary;
}

export interface RunPingOptions extends PathRunCommon {
  count?: number;
  intervalSeconds?: number;
  size?: number;
  timeoutSeconds?: number;
  dontFragment?: boolean;
  /** Each reply (or timeout, error) as ping prints it. */
  onReply?(reply: PingReply): void;
}

function formatFor(platform: NodeJS.Platform): PingFormat {
  if (platform === 'win32') return 'windows';
  if (platform === 'darwin' || platform === 'freebsd' || platform === 'openbsd') return 'bsd';
  return 'iputils';
}

async function executableFor(tool: PathTool, name: 'ping' | 'ping6'): Promise<string> {
  if (name === 'ping') return tool.path;
  const six = join(dirname(tool.path), 'ping6');
  try {
    await access(six, constants.X_OK);
    return six;
  } catch {
    return tool.path;
  }
}

/** ping for RTT: replies stream as they arrive; loss, percentiles and the raw output come back. */
export async function runPing(options: RunPingOptions): Promise<PathRunOutcome<PingResult>> {
  const started = Date.now();
  const prepared = await prepare<PingResult>(options, 'ping', started);
  if (!prepared.ok) return prepared.outcome;
  const { address, family, tool, signal } = prepared;
  const platform = process.platform;
  const format = formatFor(platform);
  const count = options.count ?? 10;
  const interval = options.intervalSeconds ?? 1;
  const timeout = options.timeoutSeconds ?? 2;
  const built = pingArgs({ platform, family, address, count, intervalSeconds: interval, size: options.size ?? 56, timeoutSeconds: timeout, dontFragment: options.dontFragment ?? false });
  const executable = await executableFor(tool, built.executable);
  const command = [executable, ...built.args];
  safeCall(options.onStarted, { tool: 'ping', toolVersion: tool.version ?? 'unknown', command });
  let lineSeq = 0;
  let answered = 0;
  const expected = count * (platform === 'win32' ? 1 : interval) + timeout;
  const stop = heartbeat(options, started, () => Math.min(1, answered / count));
  const exit = await runToolProcess({
    command: executable,
    args: built.args,
    signal,
    env: tool.env,
    onSpawn: (pid) => toolStarted(options, pid),
    timeoutMs: budget(options, (expected + 15) * 1000),
    onLine: (line) => {
      if (!options.onReply) return;
      const r = parsePingLine(line, format);
      if (r === null) return;
      lineSeq += 1;
      answered += 1;
      safeCall(options.onReply, format === 'windows' ? { ...r, seq: lineSeq } : r);
    },
  });
  stop();
  const parse = parsePing(exit.stdout, { stderr: exit.stderr, format });
  const result: PingResult | null = parse.targetAddress !== null || parse.replies.length > 0 ? { parse, summary: summarizePing(parse, family === 6 ? '6' : '4') } : null;
  const outcome = emptyOutcome<PingResult>('ping', started, 'succeeded', null, {
    toolVersion: tool.version,
    command,
    stdout: exit.stdout,
    stderr: exit.stderr,
    family,
    targetAddress: address,
    notes: built.notes,
    result,
  });
  if (exit.spawnError) return { ...outcome, status: 'failed', error: classifyToolError('ping', exit.spawnError) };
  if (exit.cancelled) return { ...outcome, status: 'cancelled', error: pathFailure('cancelled', 'The run was cancelled.') };
  if (exit.timedOut) return { ...outcome, status: 'failed', error: pathFailure('timeout', 'ping did not finish within its time budget.') };
  // No reply at all is a result (100% loss), not a failure; a ping that never started is.
  if (result === null || (exit.exitCode !== 0 && exit.exitCode !== 1)) {
    return { ...outcome, status: 'failed', error: classifyToolError('ping', exit.stderr.trim() || exit.stdout.trim()) };
  }
  return outcome;
}

// ---------------------------------------------------------------------------------------------
// One Don't-Fragment probe, for the MTU search
// ---------------------------------------------------------------------------------------------

export interface DfProbeOptions {
  tool: PathTool;
  family: 4 | 6;
  address: string;
  /** IP packet size to try. */
  mtu: number;
  timeoutSeconds: number;
  signal: AbortSignal;
  /** Packets per probe: the size counts as fitting if any comes back. */
  count?: number;
}

export interface DfProbeResult {
  outcome: MtuProbe['outcome'];
  reportedMtu: number | null;
  from: string | null;
  command: string[];
  stdout: string;
  stderr: string;
  cancelled: boolean;
}

export async function dfProbe(options: DfProbeOptions): Promise<DfProbeResult> {
  const platform = process.platform;
  const format = formatFor(platform);
  const size = Math.max(0, options.mtu - icmpOverhead(options.family));
  const built = pingArgs({ platform, family: options.family, address: options.address, count: options.count ?? 2, intervalSeconds: 0.2, size, timeoutSeconds: options.timeoutSeconds, dontFragment: true });
  const executable = await executableFor(options.tool, built.executable);
  const exit = await runToolProcess({
    command: executable,
    args: built.args,
    signal: options.signal,
    env: options.tool.env,
    timeoutMs: Math.ceil(((options.count ?? 2) * 0.2 + options.timeoutSeconds + 10) * 1000),
  });
  const parse = parsePing(exit.stdout, { stderr: exit.stderr, format });
  const base = { command: [executable, ...built.args], stdout: exit.stdout, stderr: exit.stderr, cancelled: exit.cancelled };
  const replies = parse.replies;
  if (replies.some((r) => r.status === 'reply' || r.status === 'duplicate')) return { ...base, outcome: 'fits', reportedMtu: null, from: replies.find((r) => r.status === 'reply')?.from ?? null };
  const tooBig = replies.find((r) => r.status === 'error' && (r.mtu !== null || /frag|too long|too big|fragmented/i.test(r.message ?? '')));
  if (tooBig) return { ...base, outcome: 'tooBig', reportedMtu: tooBig.mtu, from: tooBig.from };
  if (/message too long|Message too long/.test(exit.stderr)) return { ...base, outcome: 'tooBig', reportedMtu: null, from: null };
  const error = replies.find((r) => r.status === 'error');
  if (error) return { ...base, outcome: 'error', reportedMtu: null, from: error.from };
  if (exit.spawnError || (parse.targetAddress === null && exit.exitCode !== 0 && exit.exitCode !== 1)) return { ...base, outcome: 'error', reportedMtu: null, from: null };
  return { ...base, outcome: 'noReply', reportedMtu: null, from: null };
}

