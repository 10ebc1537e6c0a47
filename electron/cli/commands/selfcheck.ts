import type { Workbench } from '../../core/workbench.ts';
import type { Severity } from '../../shared/selfcheck.ts';
import { formatBitrate, formatBytes, parseBitrate } from '../../shared/units.ts';
import { intOption, parse } from '../args.ts';
import { EXIT, UsageError, type CliIO } from '../io.ts';

export const SELFCHECK_HELP = `Usage: psw selfcheck [--rtt MS] [--rate RATE] [--json]

Audits this host's TCP tuning, interfaces and CPU settings against the path you care about:
  --rtt MS      round-trip time of the path (default 100)
  --rate RATE   the rate you need, e.g. 1G or 500M (default 1G)
Exit status 0 when nothing is a problem, 1 when something is.
`;

const MARK: Record<Severity, string> = { ok: 'ok   ', info: 'info ', warn: 'warn ', problem: 'PROBLEM' };

export async function selfcheckCommand(workbench: Workbench, argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(argv, { rtt: { type: 'string' }, rate: { type: 'string' } });
  if (positionals.length) throw new UsageError(`Unexpected argument ${JSON.stringify(positionals[0])}.`);
  const input: Record<string, number> = {};
  const rtt = intOption(values.rtt, 'rtt', 1, 10_000);
  if (rtt !== undefined) input.rttMs = rtt;
  if (values.rate !== undefined) {
    try {
      input.targetBitsPerSecond = parseBitrate(values.rate);
    } catch (error) {
      throw new UsageError(`--rate: ${(error as Error).message}`);
    }
  }
  const report = await workbench.call('host.selfCheck', input);
  const problems = report.findings.some((f) => f.severity === 'problem');
  if (values.json) {
    io.out(`${JSON.stringify(report, null, 2)}\n`);
    return problems ? EXIT.failed : EXIT.ok;
  }
  io.out(`${report.hostname} (${report.platform} ${report.kernel}, ${report.cpus} CPUs)\n`);
  io.out(`Path: ${formatBitrate(report.targetBitsPerSecond)} at ${report.rttMs} ms needs a ${formatBytes(report.bdpBytes)} window; this host can open ${formatBytes(report.maxReceiveWindow)} to receive, ${formatBytes(report.maxSendWindow)} to send.\n\n`);
  for (const f of report.findings) {
    io.out(`${MARK[f.severity]} ${f.title}\n        ${f.value}${f.expected ? ` (want ${f.expected})` : ''}\n        ${f.why}\n`);
    if (f.fix) io.out(`        fix: ${f.fix}\n`);
  }
  return problems ? EXIT.failed : EXIT.ok;
}
