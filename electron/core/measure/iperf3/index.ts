import { execa } from 'execa';
import { toErrorInfo, WorkbenchError, type ErrorInfo } from '../../../shared/errors.ts';
import type { ThroughputInterval, ThroughputOptions } from '../../../shared/throughput.ts';
import { abortOutcome, type MethodContext, type MethodOutcome } from '../method.ts';
import { resolveHost } from '../resolve.ts';
import { toolEnv } from '../tool-env.ts';
import { IPERF3_DEFAULT_PORT, iperf3Args } from './args.ts';
import { classifyIperf3Error } from './errors.ts';
import { JsonStreamAssembler, startSocketSampler } from './live.ts';
import { interpretIperf3, Iperf3ParseError, liveSumInterval, parseIperf3Json, type Iperf3Json } from './report.ts';

const MAX_OUTPUT_BYTES = 256 * 1024 * 1024;
const KILL_GRACE_MS = 2000;

/** Runs one iperf3 client test. Never throws: every outcome, failures included, comes back to be stored. */
export async function runThroughput(ctx: MethodContext<ThroughputOptions>): Promise<MethodOutcome> {
  let intervals: ThroughputInterval[] = [];
  const outcome = (status: MethodOutcome['status'], error: ErrorInfo | null, stdout = '', stderr = '', summary: object | null = null): MethodOutcome => ({
    status,
    error,
    stdout,
    stderr,
    summary,
    family: (summary as { family?: '4' | '6' | null } | null)?.family ?? null,
    writeSamples: (store, runId) => store.throughput.insert(runId, intervals),
  });

  try {
    const tool = await ctx.tools.require('iperf3');
    const options = ctx.options;
    await resolveHost(ctx.host, options.family);
    if (ctx.signal.aborted) {
      const aborted = abortOutcome(ctx.signal, 'Cancelled before iperf3 started.');
      return outcome(aborted.status, aborted.error);
    }
    const jsonStream = tool.capabilities.includes('json-stream');
    const args = iperf3Args({ host: ctx.host, port: ctx.port ?? IPERF3_DEFAULT_PORT, options, jsonStream });
    const expectedSeconds = options.duration + options.omit;
    const child = execa(tool.path, args, {
      cancelSignal: ctx.signal,
      forceKillAfterDelay: KILL_GRACE_MS,
      timeout: expectedSeconds * 1000 + options.connectTimeout + 20_000,
      cleanup: true,
      windowsHide: true,
      extendEnv: false,
      env: toolEnv(tool.env),
      stdin: 'ignore',
      reject: false,
      maxBuffer: MAX_OUTPUT_BYTES,
      stripFinalNewline: false,
    });
    ctx.onStarted({ tool: 'iperf3', toolVersion: tool.version ?? 'unknown', command: [tool.path, ...args] });
    if (child.pid !== undefined) ctx.onToolProcess?.(child.pid);

    const startedAt = Date.now();
    const elapsed = () => (Date.now() - startedAt) / 1000;
    const fraction = () => Math.min(1, elapsed() / expectedSeconds);
    const heartbeat = setInterval(() => ctx.onProgress({ elapsed: elapsed(), fraction: fraction(), interval: null }), 1000);
    let stopSampler = () => {};
    let assembler: JsonStreamAssembler | null = null;

    if (jsonStream) {
      assembler = new JsonStreamAssembler();
      let pending = '';
      let seq = 0;
      child.stdout?.on('data', (chunk: Buffer) => {
        pending += chunk.toString('utf8');
        let newline = pending.indexOf('\n');
        while (newline !== -1) {
          const data = assembler?.push(pending.slice(0, newline));
          pending = pending.slice(newline + 1);
          newline = pending.indexOf('\n');
          const interval = data ? liveSumInterval(data, seq) : null;
          if (interval) {
            seq += 1;
            ctx.onProgress({ elapsed: elapsed(), fraction: fraction(), interval: { ...interval, provisional: false } });
          }
        }
      });
    } else if (child.pid !== undefined && process.platform === 'linux') {
      const ss = await ctx.tools.optional('ss');
      stopSampler = startSocketSampler({
        pid: child.pid,
        protocol: options.protocol,
        reverse: options.reverse,
        ssPath: ss?.path ?? null,
        onInterval: (interval) => ctx.onProgress({ elapsed: elapsed(), fraction: fraction(), interval }),
      });
    }

    const result = await child;
    clearInterval(heartbeat);
    stopSampler();
    const stdout = String(result.stdout ?? '');
    const stderr = String(result.stderr ?? '');

    let report: Iperf3Json | null = null;
    let parseProblem: string | null = null;
    try {
      report = assembler ? assembler.document() : stdout.trim() ? parseIperf3Json(stdout) : null;
    } catch (error) {
      if (!(error instanceof Iperf3ParseError)) throw error;
      parseProblem = error.message;
    }
    const interpreted = report ? interpretIperf3(report) : null;
    intervals = interpreted?.intervals ?? [];
    const summary = interpreted?.summary ?? null;

    if (result.isCanceled) {
      const aborted = abortOutcome(ctx.signal);
      return outcome(aborted.status, aborted.error, stdout, stderr, summary);
    }
    if (result.timedOut) {
      return outcome('failed', { code: 'TIMEOUT', message: `iperf3 did not finish within its time budget (${expectedSeconds} s test).` }, stdout, stderr, summary);
    }
    if (interpreted?.error) return outcome('failed', classifyIperf3Error(interpreted.error), stdout, stderr, summary);
    if (result.exitCode !== 0 || result.signal) {
      const text = stderr.trim() || parseProblem || `exit status ${result.exitCode ?? result.signal}`;
      return outcome('failed', classifyIperf3Error(text.replace(/^iperf3:\s*/, '')), stdout, stderr, summary);
    }
    if (parseProblem || !interpreted) {
      return outcome('failed', { code: 'UNPARSEABLE_OUTPUT', message: parseProblem ?? 'iperf3 printed nothing.' }, stdout, stderr, summary);
    }
    if (!summary || intervals.length === 0) {
      return outcome('failed', { code: 'UNPARSEABLE_OUTPUT', message: 'iperf3 output holds no intervals or no end summary.' }, stdout, stderr, summary);
    }
    return outcome('succeeded', null, stdout, stderr, summary);
  } catch (error) {
    if (ctx.signal.aborted) {
      const aborted = abortOutcome(ctx.signal);
      return outcome(aborted.status, aborted.error);
    }
    const info = error instanceof WorkbenchError ? error.toInfo() : toErrorInfo(error);
    return outcome('failed', info);
  }
}
