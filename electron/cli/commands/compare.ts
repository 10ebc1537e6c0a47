import type { Workbench } from '../../core/workbench.ts';
import { formatMetricValue, METRIC_NAMES, type CompareInput, type CompareResult } from '../../shared/compare.ts';
import { compareToCsv, toPlainJson } from '../../shared/csv.ts';
import { parse } from '../args.ts';
import { EXIT, safeText, UsageError, type CliIO } from '../io.ts';
import { parseWhen } from './runs.ts';

export const COMPARE_HELP = `Usage: psw compare runs ID...                         per-interval series of each run
       psw compare timeline HOST... [--since W] [--until W] [--family 4|6]
       psw compare families HOST [--since W] [--until W]      IPv4 vs IPv6
       psw compare before-after HOST --at WHEN                 runs before vs after a change
       psw compare tags TAG TAG...                              groups of runs by tag
Common: [--metric ${METRIC_NAMES.join('|')}] [--json | --csv]
`;

const format = formatMetricValue;

function printText(result: CompareResult, io: CliIO): void {
  for (const s of result.series) {
    const ys = Array.from(s.y);
    const mean = ys.length ? ys.reduce((a, b) => a + b, 0) / ys.length : null;
    io.out(`${safeText(s.label).padEnd(34)} ${String(s.total).padStart(7)} points  mean ${format(result.metric, mean)}  min ${format(result.metric, ys.length ? Math.min(...ys) : null)}  max ${format(result.metric, ys.length ? Math.max(...ys) : null)}\n`);
  }
  for (const m of result.markers) io.out(`  ${new Date(m.x).toISOString()}  ${m.label} (${m.seriesId}, run ${m.runId})\n`);
  for (const g of result.groups) io.out(`${safeText(g.label).padEnd(20)} n=${String(g.n).padStart(5)}  median ${format(result.metric, g.median)}  p25 ${format(result.metric, g.p25)}  p75 ${format(result.metric, g.p75)}\n`);
  if (result.difference) io.out(`${result.difference.explanation}\n`);
}

export async function compareCommand(workbench: Workbench, argv: string[], io: CliIO): Promise<number> {
  const [view, ...rest] = argv;
  const { values, positionals } = parse(rest, { metric: { type: 'string' }, since: { type: 'string' }, until: { type: 'string' }, family: { type: 'string' }, at: { type: 'string' }, csv: { type: 'boolean', default: false } });
  const metric = values.metric ?? 'throughput';
  const range: Record<string, number> = {};
  if (values.since) range.from = parseWhen(values.since, 'since');
  if (values.until) range.to = parseWhen(values.until, 'until');
  let input: Record<string, unknown>;
  switch (view) {
    case 'runs':
      input = { view: 'runs', metric, runIds: positionals.map((p) => (/^\d+$/.test(p) ? Number(p) : NaN)) };
      break;
    case 'timeline':
      input = { view: 'timeline', metric, hosts: positionals, ...range, ...(values.family ? { family: values.family } : {}) };
      break;
    case 'families':
      if (positionals.length !== 1) throw new UsageError('psw compare families needs one host.');
      input = { view: 'groups', metric, groups: (['4', '6'] as const).map((family) => ({ label: `IPv${family}`, host: positionals[0], family, ...range })) };
      break;
    case 'before-after': {
      if (positionals.length !== 1 || !values.at) throw new UsageError('psw compare before-after needs one host and --at WHEN.');
      const at = parseWhen(values.at, 'at');
      input = { view: 'groups', metric, groups: [{ label: 'before', host: positionals[0], to: at }, { label: 'after', host: positionals[0], from: at }] };
      break;
    }
    case 'tags':
      input = { view: 'groups', metric, groups: positionals.map((tag) => ({ label: tag, tag })) };
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
