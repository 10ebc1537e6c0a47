import type { Workbench } from '../../core/workbench.ts';
import { toPlainJson } from '../../shared/csv.ts';
import type { RunDetail, RunSummary } from '../../shared/runs.ts';
import { formatTarget } from '../../shared/target.ts';
import { formatBitrate, formatRttMicros } from '../../shared/units.ts';
import { intOption, parse } from '../args.ts';
import { onewayRunLines } from './oneway-run.ts';
import { EXIT, safeText, UsageError, type CliIO } from '../io.ts';

export const RUNS_HELP = `Usage: psw runs list [--limit N] [--kind K] [--status S] [--host H] [--family 4|6]
                     [--since WHEN] [--until WHEN] [--tag T] [--fingerprint F] [--before ID] [--json]
       psw runs show ID [--raw] [--json]
       psw runs tag ID... [--add TAG]... [--remove TAG]...
       psw runs delete ID...

WHEN is an ISO date/time (2026-11-20, 2026-11-20T08:00Z) or an age such as 90m, 24h, 7d.
`;

/** "2026-11-20T08:00Z" or an age ("24h", "7d") → ms since the epoch. */
export function parseWhen(text: string, name: string, now = Date.now()): number {
  const age = /^(\d+)(m|h|d|w)$/.exec(text);
  if (age) return now - Number(age[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[age[2] as 'm' | 'h' | 'd' | 'w'];
  if (!/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) throw new UsageError(`--${name} must be an ISO date or an age such as 24h or 7d.`);
  const at = Date.parse(text);
  if (!Number.isFinite(at)) throw new UsageError(`--${name}: ${JSON.stringify(text)} is not a date.`);
  return at;
}

const runIdList = (positionals: string[], usage: string): number[] => {
  if (positionals.length === 0) throw new UsageError(usage);
  return positionals.map((p) => intOption(p, 'id', 1, Number.MAX_SAFE_INTEGER) ?? 0);
};

function headline(run: RunSummary): string {
  const t = run.throughput;
  const rate = t ? formatBitrate(t.reverse ? t.receivedBitsPerSecond : t.sentBitsPerSecond) : '';
  const when = new Date(run.createdAt).toISOString().replace('T', ' ').slice(0, 19);
  const oneway = run.oneway?.sessions.map((x) => `${x.direction} ${x.lossPercent.toFixed(1)} % lost, ${x.medianMs?.toFixed(2) ?? '?'} ms`).join('; ');
  const result = oneway
    ? oneway
    : run.trace
    ? `${run.trace.hopCount} hops${run.trace.reached ? '' : ', not reached'}`
    : run.rtt
      ? `${run.rtt.avgMs ?? '?'} ms avg, ${run.rtt.lossPercent ?? '?'} % lost`
      : run.mtu
        ? `path MTU ${run.mtu.pathMtu ?? '?'}${run.mtu.blackHoleSuspected ? ' (black hole?)' : ''}`
        : rate;
  const extra = run.error ? safeText(run.error.message).slice(0, 80) : result;
  const tags = run.tags.length ? `  [${run.tags.map(safeText).join(', ')}]` : '';
  return `${String(run.id).padStart(6)}  ${when}  ${run.kind.padEnd(10)} ${safeText(formatTarget(run.target)).padEnd(28)} ${run.status.padEnd(11)} ${extra}${tags}`;
}

export function printRun(run: RunDetail, json: boolean, io: CliIO, raw = false): void {
  if (json) {
    io.out(`${toPlainJson(run, 2)}\n`);
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
  if (run.oneway) io.out(onewayRunLines(run.oneway));
  if (run.trace) {
    const tr = run.trace;
    io.out(`  ${tr.tool} ${tr.method}${tr.paris ? ' (Paris)' : ''}, ${tr.hopCount} hops, ${tr.reached ? 'reached' : 'did NOT reach'} ${safeText(tr.targetAddress ?? '')}`);
    if (tr.lossStartsAtTtl !== null) io.out(`, loss starts at hop ${tr.lossStartsAtTtl}`);
    if (tr.rateLimitedTtls.length) io.out(`, ICMP rate limiting (not loss) at hop ${tr.rateLimitedTtls.join(', ')}`);
    if (tr.pathMtu !== null) io.out(`, path MTU ${tr.pathMtu}`);
    io.out(`\n  route ${tr.routeFingerprint ?? tr.fingerprint}\n`);
  }
  if (run.rtt) {
    const r = run.rtt;
    io.out(`  ${r.received}/${r.sent} replies (${r.lossPercent?.toFixed(1) ?? '?'} % lost), rtt min/avg/max ${r.minMs ?? '?'}/${r.avgMs ?? '?'}/${r.maxMs ?? '?'} ms, p95 ${r.p95Ms ?? '?'} ms\n`);
  }
  if (run.mtu) {
    const m = run.mtu;
    io.out(`  path MTU ${m.pathMtu ?? '?'} (local ${m.localMtu ?? '?'}; tracepath ${m.tracepathMtu ?? '—'}, DF ping ${m.pingMtu ?? '—'}${m.pingMtuIsLowerBound ? '+' : ''})${m.blackHoleSuspected ? ' — PMTU BLACK HOLE suspected' : ''}\n`);
    for (const d of m.drops) io.out(`  drop to ${d.toMtu} at hop ${d.ttl}${d.reportedBy ? ` (${safeText(d.reportedBy)})` : ''}\n`);
  }
  if (run.command) io.out(`  command: ${run.command.map(safeText).join(' ')}\n`);
  if (raw && run.raw) io.out(`${safeText(run.raw.stdout)}\n${safeText(run.raw.stderr)}\n`);
}

export async function runsCommand(workbench: Workbench, argv: string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'list') {
    const { values, positionals } = parse(rest, {
      limit: { type: 'string' },
      kind: { type: 'string' },
      status: { type: 'string' },
      host: { type: 'string' },
      before: { type: 'string' },
      family: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      tag: { type: 'string' },
      fingerprint: { type: 'string' },
    });
    if (positionals.length) throw new UsageError(`Unexpected argument ${JSON.stringify(positionals[0])}.`);
    const filter: Record<string, unknown> = {};
    if (values.limit !== undefined) filter.limit = intOption(values.limit, 'limit', 1, 1000);
    if (values.before !== undefined) filter.before = intOption(values.before, 'before', 1, Number.MAX_SAFE_INTEGER);
    if (values.kind !== undefined) filter.kind = values.kind;
    if (values.status !== undefined) filter.status = values.status;
    if (values.host !== undefined) filter.host = values.host;
    if (values.family !== undefined) filter.family = values.family;
    if (values.since !== undefined) filter.from = parseWhen(values.since, 'since');
    if (values.until !== undefined) filter.to = parseWhen(values.until, 'until');
    if (values.tag !== undefined) filter.tag = values.tag;
    if (values.fingerprint !== undefined) filter.pathFingerprint = values.fingerprint;
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
  if (sub === 'tag') {
    const { values, positionals } = parse(rest, { add: { type: 'string', multiple: true }, remove: { type: 'string', multiple: true } });
    const runIds = runIdList(positionals, 'psw runs tag needs run ids.');
    const result = await workbench.invoke('runs.tag', { runIds, add: values.add ?? [], remove: values.remove ?? [] });
    if (!result.ok) throw new UsageError(result.error.message);
    if (values.json) io.out(`${JSON.stringify(result.value)}\n`);
    else io.out(`Tagged ${result.value.runIds.length} run(s).\n`);
    return result.value.runIds.length === runIds.length ? EXIT.ok : EXIT.failed;
  }
  if (sub === 'delete') {
    const { values, positionals } = parse(rest, {});
    const runIds = runIdList(positionals, 'psw runs delete needs run ids.');
    const result = await workbench.invoke('runs.delete', { runIds });
    if (!result.ok) {
      io.err(`psw: ${safeText(result.error.message)}\n`);
      return EXIT.failed;
    }
    if (values.json) io.out(`${JSON.stringify(result.value)}\n`);
    else io.out(`Deleted ${result.value.deleted} run(s).\n`);
    return EXIT.ok;
  }
  throw new UsageError(RUNS_HELP);
}
