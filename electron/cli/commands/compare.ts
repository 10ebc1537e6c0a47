import type { Workbench } from '../../core/workbench.ts';
import { COMPARABLE_KINDS, DEFAULT_MAX_POINTS, formatMetricValue, metricLabel, metricsFor, type CompareInput, type CompareResult } from '../../shared/compare.ts';
import { compareToCsv, toPlainJson } from '../../shared/csv.ts';
import { intOption, parse } from '../args.ts';
import { EXIT, safeText, UsageError, type CliIO } from '../io.ts';
import { parseWhen } from './runs.ts';

export const COMPARE_HELP = `Usage: psw compare runs ID...                         per-interval / per-packet series of each run
       psw compare timeline HOST... [--since W] [--until W] [--family 4|6]
       psw compare families HOST [--since W] [--until W]      IPv4 vs IPv6
       psw compare before-after HOST --at WHEN                 runs before vs after a change
       psw compare tags TAG TAG...                              groups of runs by tag
Common: [--kind KIND] [--metric METRIC] [--max-points N] [--json | --csv]
  (--max-points: points per series before LTTB cuts it; default ${DEFAULT_MAX_POINTS}, as the UI asks)
Metrics by run kind (the first is the default; a metric alone picks its kind):
${COMPARABLE_KINDS.map((k) => `  ${k.padEnd(11)} ${metricsFor(k).join(', ')}`).join('\n')}
  (delay, jitter and loss "To" = we sent, the far end received; jitter = P95 − P50; loss in %)
`;

const format = formatMetricValue;

function printText(result: CompareResult, io: CliIO): void {
  io.out(`${metricLabel(result.metric, result.kind)}${result.kind ? ` of ${result.kind} runs` : ''} (${result.metric}, ${result.unit})\n`);
  for (const s of result.series) {
    // A loop, not Math.min(...ys): a per-packet series can be longer than the argument limit.
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    for (const v of s.y) {
      sum += v;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    const n = s.y.length;
    io.out(`${safeText(s.label).padEnd(34)} ${String(s.total).padStart(7)} points  mean ${format(result.metric, n ? sum / n : null)}  min ${format(result.metric, n ? min : null)}  max ${format(result.metric, n ? max : null)}\n`);
  }
  for (const m of result.markers) io.out(`  ${new Date(m.x).toISOString()}  ${m.label} (${m.seriesId}, run ${m.runId})\n`);
  for (const g of result.groups) io.out(`${safeText(g.label).padEnd(20)} n=${String(g.n).padStart(5)}  median ${format(result.metric, g.median)}  p25 ${format(result.metric, g.p25)}  p75 ${format(result.metric, g.p75)}\n`);
  if (result.difference) io.out(`${result.difference.explanation}\n`);
}

export async function compareCommand(workbench: Workbench, argv: string[], io: CliIO): Promise<number> {
  const [view, ...rest] = argv;
  const { values, positionals } = parse(rest, {
    metric: { type: 'string' },
    kind: { type: 'string' },
    'max-points': { type: 'string' },
    since: { type: 'string' },
    until: { type: 'string' },
    family: { type: 'string' },
    at: { type: 'string' },
    csv: { type: 'boolean', default: false },
  });
  // Left out when not named: the contract infers one from the other and checks the pair.
  const metric = { ...(values.metric !== undefined ? { metric: values.metric } : {}), ...(values.kind !== undefined ? { kind: values.kind } : {}) };
  const maxPoints = intOption(values['max-points'], 'max-points', 10, 2_000_000);
  const points = maxPoints !== undefined ? { maxPoints } : {};
  const range: Record<string, number> = {};
  if (values.since) range.from = parseWhen(values.since, 'since');
  if (values.until) range.to = parseWhen(values.until, 'until');
  let input: Record<string, unknown>;
  switch (view) {
    case 'runs':
      if (values.kind !== undefined) throw new UsageError('psw compare runs takes no --kind: each run has its own.');
      input = { view: 'runs', ...metric, ...points, runIds: positionals.map((p) => (/^\d+$/.test(p) ? Number(p) : NaN)) };
      break;
    case 'timeline':
      input = { view: 'timeline', ...metric, ...points, hosts: positionals, ...range, ...(values.family ? { family: values.family } : {}) };
      break;
    case 'families':
      if (positionals.length !== 1) throw new UsageError('psw compare families needs one host.');
      input = { view: 'groups', ...metric, groups: (['4', '6'] as const).map((family) => ({ label: `IPv${family}`, host: positionals[0], family, ...range })) };
      break;
    case 'before-after': {
      if (positionals.length !== 1 || !values.at) throw new UsageError('psw compare before-after needs one host and --at WHEN.');
      const at = parseWhen(values.at, 'at');
      input = { view: 'groups', ...metric, groups: [{ label: 'before', host: positionals[0], to: at }, { label: 'after', host: positionals[0], from: at }] };
      break;
    }
    case 'tags':
      input = { view: 'groups', ...metric, groups: positionals.map((tag) => ({ label: tag, tag })) };
      break;
    default:
      throw new UsageError(COMPARE_HELP);
  }
  const result = await workbench.invoke('compare.series', input as CompareInput);
  if (!result.ok) {
    io.err(`psw: ${safeText(result.error.message)}\n`);
    return result.error.code === 'INVALID_INPUT' ? EXIT.usage : EXIT.failed;
  }
  if (values.csv) io.out(compareToCsv(result.value));
  else if (values.json) io.out(`${toPlainJson(result.value, 2)}\n`);
  else printText(result.value, io);
  return EXIT.ok;
}
