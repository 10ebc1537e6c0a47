import type { Workbench } from '../../core/workbench.ts';
import type { Diagnosis, Verdict } from '../../shared/diagnosis.ts';
import { parseTarget } from '../../shared/target.ts';
import { formatBitrate, parseBitrate } from '../../shared/units.ts';
import { intOption, parse } from '../args.ts';
import { EXIT, safeText, UsageError, type CliIO } from '../io.ts';

export const DIAGNOSE_HELP = `Usage: psw diagnose --to HOST[:PORT] [--via HOST]... [--rate RATE] [--depth quick|normal|thorough]
                     [--owamp-port N|off] [--json]
       psw diagnose list [--json]
       psw diagnose show ID [--json]
       psw diagnose rederive ID [--json]     recompute the verdict from the stored runs

Measures the path to HOST (throughput both ways, over IPv4 and IPv6 when both exist), audits this
host, and says whether the slowness is this host, the far host or the network — with evidence.
  --rate RATE   the rate you need (default 1G); the verdict explains shortfalls below it
  --via HOST    perfSONAR hosts part-way along the path, in order, to localise a network fault
  --owamp-port  where the hosts answer OWAMP for one-way loss (default 861); off: echo requests only
`;

const pct = (v: number) => `${Math.round(v * 100)} %`;

export function printVerdict(v: Verdict, io: CliIO, indent = ''): void {
  io.out(`${indent}${v.class.toUpperCase()}${v.side ? ` (${v.side})` : ''} — confidence ${pct(v.confidence)}\n`);
  io.out(`${indent}${safeText(v.headline)}\n`);
  io.out(`${indent}measured ${formatBitrate(v.measuredBitsPerSecond)} of ${formatBitrate(v.targetBitsPerSecond)} needed; expected ceiling ${formatBitrate(v.ceilings.expected)}`);
  const parts = [v.ceilings.capacity !== null ? `capacity ${formatBitrate(v.ceilings.capacity)}` : null, v.ceilings.window !== null ? `window ${formatBitrate(v.ceilings.window)}` : null, v.ceilings.mathis !== null ? `loss (Mathis) ${formatBitrate(v.ceilings.mathis)}` : null].filter(Boolean);
  io.out(parts.length ? ` (${parts.join(', ')})\n` : '\n');
  if (v.segment) io.out(`${indent}segment: ${safeText(v.segment.from)} → ${safeText(v.segment.to)}\n`);
  io.out(`${indent}evidence:\n`);
  for (const e of v.evidence) io.out(`${indent}  ${e.fired ? '●' : '○'} ${e.rule}: ${safeText(e.summary)}${e.runIds.length ? ` [runs ${e.runIds.join(', ')}]` : ''}\n`);
  if (v.alsoFound.length) io.out(`${indent}also found: ${v.alsoFound.join(', ')}\n`);
  io.out(`${indent}next steps:\n${v.nextSteps.map((s) => `${indent}  - ${safeText(s)}\n`).join('')}`);
}

function printDiagnosis(d: Diagnosis, json: boolean, io: CliIO): void {
  if (json) {
    io.out(`${JSON.stringify(d, null, 2)}\n`);
    return;
  }
  io.out(`Diagnosis ${d.id} of ${safeText(d.target.host)} (${d.status}), runs ${d.runs.map((r) => `${r.runId} ${r.role}${r.family ? `/v${r.family}` : ''}`).join(', ')}\n\n`);
  if (d.error) io.out(`error: ${safeText(d.error.message)}\n`);
  if (d.perFamily.length > 1) {
    for (const f of d.perFamily) {
      io.out(`IPv${f.family ?? '?'}:\n`);
      printVerdict(f.verdict, io, '  ');
      io.out('\n');
    }
  } else if (d.verdict) printVerdict(d.verdict, io);
}

export async function diagnoseCommand(workbench: Workbench, argv: string[], io: CliIO, signal: AbortSignal): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'list' || sub === 'show' || sub === 'rederive') {
    const { values, positionals } = parse(rest, {});
    if (sub === 'list') {
      const list = await workbench.call('diagnose.list', {});
      if (values.json) io.out(`${JSON.stringify(list, null, 2)}\n`);
      else for (const d of list) io.out(`${String(d.id).padStart(5)}  ${new Date(d.createdAt).toISOString().slice(0, 19)}  ${safeText(d.target.host).padEnd(30)} ${d.status.padEnd(11)} ${d.verdictClass ?? ''}\n`);
      return EXIT.ok;
    }
    const diagnosisId = intOption(positionals[0], 'id', 1, Number.MAX_SAFE_INTEGER);
    if (diagnosisId === undefined || positionals.length !== 1) throw new UsageError(`psw diagnose ${sub} needs one diagnosis id.`);
    const result = await workbench.invoke(sub === 'show' ? 'diagnose.get' : 'diagnose.rederive', { diagnosisId });
    if (!result.ok) {
      io.err(`psw: ${safeText(result.error.message)}\n`);
      return result.error.code === 'NOT_FOUND' ? EXIT.failed : EXIT.usage;
    }
    printDiagnosis(result.value, values.json, io);
    return EXIT.ok;
  }

  const { values, positionals } = parse(argv, { to: { type: 'string' }, via: { type: 'string', multiple: true }, rate: { type: 'string' }, depth: { type: 'string' }, 'owamp-port': { type: 'string' } });
  if (positionals.length) throw new UsageError(`Unexpected argument ${JSON.stringify(positionals[0])}.\n\n${DIAGNOSE_HELP}`);
  if (!values.to) throw new UsageError(`--to HOST is required.\n\n${DIAGNOSE_HELP}`);
  const target = parseTarget(values.to);
  const input: Record<string, unknown> = { target: { host: target.host, port: target.port }, via: (values.via ?? []).map((v) => parseTarget(v).host) };
  if (values.rate !== undefined) {
    try {
      input.targetBitsPerSecond = parseBitrate(values.rate);
    } catch (error) {
      throw new UsageError(`--rate: ${(error as Error).message}`);
    }
  }
  if (values.depth !== undefined) input.depth = values.depth;
  const owampPort = values['owamp-port'];
  if (owampPort !== undefined) input.owampPort = owampPort === 'off' ? null : intOption(owampPort, 'owamp-port', 1, 65535);

  let diagnosisId: number | null = null;
  const unsubscribe = workbench.subscribe((event) => {
    if (values.json || event.type !== 'diagnosis.progress' || event.diagnosisId !== diagnosisId || event.runId !== null) return;
    io.err(`[${event.step}/${event.of}] ${safeText(event.message)}\n`);
  });
  try {
    const started = await workbench.invoke('diagnose.start', input);
    if (!started.ok) {
      io.err(`psw: ${safeText(started.error.message)}\n`);
      return started.error.code === 'INVALID_INPUT' ? EXIT.usage : EXIT.failed;
    }
    const id = started.value.diagnosisId;
    diagnosisId = id;
    const onAbort = () => void workbench.invoke('diagnose.cancel', { diagnosisId: id });
    signal.addEventListener('abort', onAbort, { once: true });
    await new Promise<void>((resolve) => {
      const stop = workbench.subscribe((event) => {
        if (event.type === 'diagnosis.finished' && event.diagnosisId === id) {
          stop();
          resolve();
        }
      });
      void workbench.call('diagnose.get', { diagnosisId: id }).then((d) => {
        if (d.status !== 'running') {
          stop();
          resolve();
        }
      });
    });
    signal.removeEventListener('abort', onAbort);
    const diagnosis = await workbench.call('diagnose.get', { diagnosisId: id });
    printDiagnosis(diagnosis, values.json, io);
    if (diagnosis.status === 'cancelled') return EXIT.cancelled;
    return diagnosis.status === 'finished' ? EXIT.ok : EXIT.failed;
  } finally {
    unsubscribe();
  }
}
