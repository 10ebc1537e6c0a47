import type { Workbench } from '../../core/workbench.ts';
import type { StartRunInput } from '../../shared/runs.ts';
import { parseTarget } from '../../shared/target.ts';
import { formatBitrate, formatBytes, formatRttMicros, parseBitrate, parseByteSize } from '../../shared/units.ts';
import type { LiveInterval, ThroughputInterval } from '../../shared/throughput.ts';
import { intOption, parse } from '../args.ts';
import { EXIT, safeText, UsageError, type CliIO } from '../io.ts';
import { ONEWAY_RUN_HELP, packetsLine, sessionLines } from './oneway-run.ts';
import { hopLine, PATH_RUN_HELP, probeLine, replyLine } from './path-run.ts';
import { printRun } from './runs.ts';

export const RUN_HELP = `Usage: psw run throughput|latency|twamp|trace|rtt|mtu --to HOST[:PORT] [options] [--json] [--db PATH]

Throughput (iperf3 client; the server must run iperf3 -s, default port 5201):
  -t, --time S          test length in seconds (default 10)
  -P, --parallel N      parallel streams (default 1)
  -R, --reverse         server sends, we receive (the sender's TCP stats are kept)
  -u, --udp             UDP instead of TCP
  -4 | -6               force IPv4 or IPv6
  -b, --bitrate RATE    target rate, e.g. 100M (bits/s; UDP default 1M)
  -w, --window SIZE     socket buffer, e.g. 4M
  -C, --congestion ALG  TCP congestion control, e.g. cubic, bbr
  -O, --omit S          leave the first S seconds out of the statistics
  --connect-timeout MS
  --busy-retries N      try again N times (default 3, with growing delays) when the server is busy

${ONEWAY_RUN_HELP}
${PATH_RUN_HELP}`;

const THROUGHPUT_OPTIONS = {
  to: { type: 'string' },
  time: { type: 'string', short: 't' },
  parallel: { type: 'string', short: 'P' },
  reverse: { type: 'boolean', short: 'R', default: false },
  udp: { type: 'boolean', short: 'u', default: false },
  ipv4: { type: 'boolean', short: '4', default: false },
  ipv6: { type: 'boolean', short: '6', default: false },
  bitrate: { type: 'string', short: 'b' },
  window: { type: 'string', short: 'w' },
  congestion: { type: 'string', short: 'C' },
  omit: { type: 'string', short: 'O' },
  'connect-timeout': { type: 'string' },
  'busy-retries': { type: 'string' },
} as const;

function parsed<T>(fn: () => T, name: string): T {
  try {
    return fn();
  } catch (error) {
    throw new UsageError(`--${name}: ${(error as Error).message}`);
  }
}

/** Turns `psw run throughput ...` flags into the contract's runs.start input. */
export function throughputRequest(argv: string[]): { input: StartRunInput; json: boolean } {
  const { values, positionals } = parse(argv, THROUGHPUT_OPTIONS);
  if (positionals.length > 0) throw new UsageError(`Unexpected argument ${JSON.stringify(positionals[0])}.`);
  if (values.to === undefined) throw new UsageError('--to HOST[:PORT] is required.');
  if (values.ipv4 && values.ipv6) throw new UsageError('Choose one of -4 and -6.');
  const target = parseTarget(values.to);
  const options: Record<string, unknown> = {
    protocol: values.udp ? 'udp' : 'tcp',
    reverse: values.reverse,
    family: values.ipv4 ? '4' : values.ipv6 ? '6' : 'any',
  };
  const set = (key: string, value: unknown) => {
    if (value !== undefined) options[key] = value;
  };
  set('duration', intOption(values.time, 'time', 1, 3600));
  set('parallel', intOption(values.parallel, 'parallel', 1, 128));
  set('omit', intOption(values.omit, 'omit', 0, 60));
  set('connectTimeout', intOption(values['connect-timeout'], 'connect-timeout', 100, 60_000));
  set('busyRetries', intOption(values['busy-retries'], 'busy-retries', 0, 10));
  if (values.bitrate !== undefined) set('bitrate', parsed(() => parseBitrate(values.bitrate ?? ''), 'bitrate'));
  if (values.window !== undefined) set('window', parsed(() => parseByteSize(values.window ?? ''), 'window'));
  set('congestion', values.congestion);
  return {
    input: { kind: 'throughput', target: { host: target.host, port: target.port }, options } as StartRunInput,
    json: values.json,
  };
}

function intervalLine(i: LiveInterval): string {
  const span = `${i.start.toFixed(2).padStart(7)}-${i.end.toFixed(2).padEnd(7)} s`;
  const parts = [span, formatBitrate(i.bitsPerSecond).padStart(12), formatBytes(i.bytes).padStart(10)];
  if (i.retransmits !== null) parts.push(`retr ${String(i.retransmits).padStart(5)}`);
  if (i.cwnd !== null) parts.push(`cwnd ${formatBytes(i.cwnd).padStart(9)}`);
  if (i.rtt !== null) parts.push(`rtt ${formatRttMicros(i.rtt)}`);
  if (i.lostPackets !== null && i.packets) parts.push(`lost ${i.lostPackets}/${i.packets}`);
  if (i.provisional) parts.push('(live)');
  return `  ${parts.join('  ')}\n`;
}

function printIntervals(intervals: readonly ThroughputInterval[], io: CliIO): void {
  const sums = intervals.filter((i) => i.stream === -1);
  if (sums.length === 0) return;
  io.out('  iperf3 intervals:\n');
  for (const i of sums) io.out(intervalLine({ ...i, provisional: false }));
}

/** Starts a run through the contract, shows live intervals, waits, prints the stored result. */
export async function runCommand(workbench: Workbench, input: StartRunInput, json: boolean, io: CliIO, signals: AbortSignal): Promise<number> {
  let runId: number | null = null;
  let liveWasExact = false;
  let liveHops = false;
  const unsubscribe = workbench.subscribe((event) => {
    if (json || !event.type.startsWith('run.') || !('runId' in event) || event.runId !== runId) return;
    if (event.type === 'run.started') io.err(`run ${event.runId}: ${event.tool} ${safeText(event.toolVersion)} started\n`);
    if (event.type === 'run.progress' && event.note) io.err(`run ${event.runId}: ${safeText(event.note)}\n`);
    if (event.type === 'run.progress' && event.hop) {
      liveHops = true;
      io.out(hopLine(event.hop));
    }
    if (event.type === 'run.progress' && event.reply) io.out(replyLine(event.reply));
    if (event.type === 'run.progress' && event.mtuProbe) io.out(probeLine(event.mtuProbe));
    if (event.type === 'run.progress' && event.packets && io.isTTY) io.out(packetsLine(event.packets));
    if (event.type === 'run.progress' && event.interval) {
      liveWasExact = !event.interval.provisional;
      io.out(intervalLine(event.interval));
    }
  });
  try {
    const started = await workbench.invoke('runs.start', input);
    if (!started.ok) {
      io.err(`psw: ${safeText(started.error.message)}\n`);
      return started.error.code === 'INVALID_INPUT' ? EXIT.usage : EXIT.failed;
    }
    runId = started.value.runId;
    const id = runId;
    const onSignal = () => void workbench.invoke('runs.cancel', { runId: id });
    signals.addEventListener('abort', onSignal, { once: true });
    const final = await workbench.waitForRun(runId);
    signals.removeEventListener('abort', onSignal);
    const detail = await workbench.call('runs.get', { runId });
    if (!json && !liveWasExact && detail.data?.kind === 'throughput') printIntervals(detail.data.intervals, io);
    if (!json && detail.data?.kind === 'trace' && !liveHops) for (const hop of detail.data.hops) io.out(hopLine(hop));
    printRun(detail, json, io);
    if (final.status === 'succeeded') return EXIT.ok;
    if (final.error) io.err(`psw: run ${runId} ${final.status}: ${safeText(final.error.message)}\n`);
    return final.status === 'cancelled' ? EXIT.cancelled : EXIT.failed;
  } finally {
    unsubscribe();
  }
}
