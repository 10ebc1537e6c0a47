import type { Workbench } from '../../core/workbench.ts';
import type { RunDetail, RunSummary } from '../../shared/runs.ts';
import { formatTarget } from '../../shared/target.ts';
import { formatBitrate, formatRttMicros } from '../../shared/units.ts';
import { intOption, parse } from '../args.ts';
import { EXIT, safeText, UsageError, type CliIO } from '../io.ts';

export const RUNS_HELP = `Usage: psw runs list [--limit N] [--kind K] [--status S] [--host H] [--before ID] [--json]
       psw runs show ID [--raw] [--json]
`;

function headline(run: RunSummary): string {
  const t = run.throughput;
  const rate = t ? formatBitrate(t.reverse ? t.receivedBitsPerSecond : t.sentBitsPerSecond) : '';
  const when = new Date(run.createdAt).toISOString().replace('T', ' ').slice(0, 19);
  const extra = run.error ? safeText(run.error.message).slice(0, 80) : rate;
  return `${String(run.id).padStart(6)}  ${when}  ${run.kind.padEnd(10)} ${safeText(formatTarget(run.target)).padEnd(28)} ${run.status.padEnd(11)} ${extra}`;
}

export function printRun(run: RunDetail, json: boolean, io: CliIO, raw = false): void {
  if (json) {
    io.out(`${JSON.stringify(run, null, 2)}\n`);
    return;
  }
  io.out(`${headline(run)}\n`);
  const t = run.throughput;
  if (t) {
    io.out(`  ${t.protocol.toUpperCase()}${t.reverse ? ' reverse' : ''}, ${t.streams} stream(s), ${t.seconds.toFixed(1)} s, IPv${t.family ?? '?'} ${safeText(t.remoteAddress ?? '')}\n`);
    io.out(`  sent ${formatBitrate(t.sentBitsPerSecond)}, received ${formatBitrate(t.receivedBitsPerSecond)}`);
    if (t.retransmits !== null) io.out(`, ${t.retransmits} retransmits`);
    if (t.meanRtt !== null) io.out(`, rtt ${formatRttMicros(t.meanRtt)} (min ${formatRttMicros(t.minRtt)})`);
    if (t.lostPercent !== null) io.out(`, ${t.lostPercent.toFixed(2)} % lost, jitter ${t.jitterMs?.toFixed(3)} ms`);
    io.out('\n');
  }
  if (run.command) io.out(`  command: ${run.command.map(safeText).join(' ')}\n`);
  if (raw && run.raw) io.out(`${safeText(run.raw.stdout)}\n${safeText(run.raw.stderr)}\n`);
}

export async function runsCommand(workbench: Workbench, argv: string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'list') {
    const { values, positionals } = parse(rest, { limit: { type: 'string' }, kind: { type: 'string' }, status: { type: 'string' }, host: { type: 'string' }, before: { type: 'string' } });
    if (positionals.length) throw new UsageError(`Unexpected argument ${JSON.stringify(positionals[0])}.`);
    const filter: Record<string, unknown> = {};
    if (values.limit !== undefined) filter.limit = intOption(values.limit, 'limit', 1, 1000);
    if (values.before !== undefined) filter.before = intOption(values.before, 'before', 1, Number.MAX_SAFE_INTEGER);
    if (values.kind !== undefined) filter.kind = values.kind;
    if (values.status !== undefined) filter.status = values.status;
    if (values.host !== undefined) filter.host = values.host;
    const result = await workbench.invoke('runs.list', filter);
    if (!result.ok) throw new UsageError(result.error.message);
    if (values.json) io.out(`${JSON.stringify(result.value, null, 2)}\n`);
    else if (result.value.length === 0) io.out('No runs yet.\n');
    else for (const run of result.value) io.out(`${headline(run)}\n`);
    return EXIT.ok;
  }
  if (sub === 'show') {
    const { values, positionals } = parse(rest, { raw: { type: 'boolean', default: false } });
    if (positionals.length !== 1) throw new UsageError('psw runs show needs exactly one run id.');
    const runId = intOption(positionals[0], 'id', 1, Number.MAX_SAFE_INTEGER) ?? 0;
    const result = await workbench.invoke('runs.get', { runId });
    if (!result.ok) {
      io.err(`psw: ${safeText(result.error.message)}\n`);
      return result.error.code === 'NOT_FOUND' ? EXIT.failed : EXIT.usage;
    }
    printRun(result.value, values.json, io, values.raw);
    return EXIT.ok;
  }
  throw new UsageError(RUNS_HELP);
}
