import { clockState, formatErrorMs, type OnewayRunSummary, type PacketProgress, type SessionSummary } from '../../shared/latency.ts';
import type { StartRunInput } from '../../shared/runs.ts';
import { parseTarget } from '../../shared/target.ts';
import { intOption, parse } from '../args.ts';
import { UsageError } from '../io.ts';

export const ONEWAY_RUN_HELP = `One-way and round-trip delay (our own OWAMP/TWAMP client, unauthenticated mode):
  psw run latency --to HOST[:861] [--count N] [--interval S] [--periodic] [--direction to|from|both]
                  [--padding BYTES] [--timeout S] [--dscp N] [--clock-sync] [--clock-error MS]
                  [-4|-6] [--tool builtin|system]
  psw run twamp   --to HOST[:862] [--count N] [--interval S] [--periodic] [--padding BYTES] [--timeout S]
                  [--light] [--clock-sync] [--clock-error MS] [-4|-6] [--tool builtin|system]
--timeout S is the loss timeout (default: round trip + 2 s). --dscp N (0-63) needs --direction from:
only the far end can mark test packets.
--clock-sync says this host's clock is NTP-synchronised (the workbench cannot check it).
--clock-error MS (0.001-10000) is the error our timestamps declare. Default with --clock-sync: what
chrony reports (chronyc tracking: |offset| + root dispersion + root delay / 2), else 10 ms; without
it, the clock's anchoring uncertainty (about a microsecond; the timestamps are marked unsynchronised).
--tool system drives the host's perfSONAR owping/twping instead (see psw tools) and reads its raw
records, so the two can be compared; twping has no TWAMP-Light.
`;

function seconds(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+(\.\d+)?$/.test(value)) throw new UsageError(`--${name} must be a number of seconds.`);
  const n = Number(value);
  if (n < min || n > max) throw new UsageError(`--${name} must be between ${min} and ${max}.`);
  return n;
}

/** --clock-error MS: milliseconds, 0.001 to 10000. */
export function clockErrorOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+(\.\d+)?$/.test(value)) throw new UsageError('--clock-error must be a number of milliseconds.');
  const n = Number(value);
  if (n < 0.001 || n > 10_000) throw new UsageError('--clock-error must be between 0.001 and 10000 ms.');
  return n;
}

/** `psw run latency|twamp ...` flags → runs.start input. */
export function onewayRequest(kind: 'latency' | 'twamp', argv: string[]): { input: StartRunInput; json: boolean } {
  const { values, positionals } = parse(argv, {
    to: { type: 'string' },
    count: { type: 'string', short: 'c' },
    interval: { type: 'string', short: 'i' },
    periodic: { type: 'boolean', default: false },
    direction: { type: 'string' },
    padding: { type: 'string', short: 's' },
    timeout: { type: 'string', short: 'L' },
    dscp: { type: 'string' },
    light: { type: 'boolean', default: false },
    tool: { type: 'string' },
    'clock-sync': { type: 'boolean', default: false },
    'clock-error': { type: 'string' },
    ipv4: { type: 'boolean', short: '4', default: false },
    ipv6: { type: 'boolean', short: '6', default: false },
  });
  if (positionals.length) throw new UsageError(`Unexpected argument ${JSON.stringify(positionals[0])}.`);
  if (values.to === undefined) throw new UsageError('--to HOST is required.');
  if (values.ipv4 && values.ipv6) throw new UsageError('Choose one of -4 and -6.');
  if (kind === 'latency' && values.light) throw new UsageError('--light is for psw run twamp.');
  if (kind === 'twamp' && (values.direction !== undefined || values.dscp !== undefined)) throw new UsageError('--direction and --dscp are for psw run latency.');
  if (values.tool !== undefined && values.tool !== 'builtin' && values.tool !== 'system') throw new UsageError('--tool must be builtin or system.');
  if (values.tool === 'system' && values['clock-error'] !== undefined) throw new UsageError('--clock-error is for the built-in client: owping/twping declare their own.');
  if (values.tool === 'system' && values.light) throw new UsageError('--light needs the built-in client: twping has no TWAMP-Light mode.');
  const target = parseTarget(values.to);
  const options: Record<string, unknown> = { family: values.ipv4 ? '4' : values.ipv6 ? '6' : 'any', schedule: values.periodic ? 'periodic' : 'poisson', clockSynchronized: values['clock-sync'] };
  const set = (key: string, value: unknown) => {
    if (value !== undefined) options[key] = value;
  };
  set('packets', intOption(values.count, 'count', 1, 100_000));
  set('interval', seconds(values.interval, 'interval', 0.001, 10));
  set('padding', intOption(values.padding, 'padding', 0, 65_000));
  set('lossTimeout', seconds(values.timeout, 'timeout', 0.1, 60));
  set('tool', values.tool);
  set('clockErrorMs', clockErrorOption(values['clock-error']));
  if (kind === 'latency') {
    set('direction', values.direction);
    set('dscp', intOption(values.dscp, 'dscp', 0, 63));
    if (options.dscp && values.direction !== 'from') throw new UsageError('--dscp needs --direction from: only the far end can mark test packets (this host cannot set DSCP on UDP).');
  } else if (values.light) options.light = true;
  return { input: { kind, target: { host: target.host, port: target.port }, options } as StartRunInput, json: values.json };
}

const f = (v: number | null, digits = 3) => (v === null ? 'nan' : v.toFixed(digits));

const figures = (d: { minMs: number | null; medianMs: number | null; maxMs: number | null }) => `${f(d.minMs)}/${f(d.medianMs)}/${f(d.maxMs)}`;

/** owping-style lines for one session, then what owping leaves out (percentiles, each side's clock error). */
export function sessionLines(s: SessionSummary): string {
  const label = s.direction === 'to' ? 'to the far end' : s.direction === 'from' ? 'from the far end' : 'round trip';
  const p = s.percentilesMs;
  return [
    `  --- ${label} ---`,
    ...(s.clocksOffset ? ['  Directional delays may be inaccurate due to out of sync clocks!'] : []),
    `  ${s.sent} sent, ${s.lost} lost (${s.lossPercent.toFixed(3)}%), ${s.duplicates} duplicates${s.lossText ? `; ${s.lossText}` : ''}`,
    `  ${s.direction === 'round-trip' ? 'round-trip time' : 'one-way delay'} min/median/max = ${figures(s)} ms, ${s.synchronized ? s.clockText : '(unsync)'}`,
    ...(s.send ? [`  send time min/median/max = ${figures(s.send)} ms`] : []),
    ...(s.reflect ? [`  reflect time min/median/max = ${figures(s.reflect)} ms`] : []),
    ...(s.processingMinMs !== undefined || s.processingMaxMs !== undefined ? [`  reflector processing time min/max = ${f(s.processingMinMs ?? null)}/${f(s.processingMaxMs ?? null)} ms`] : []),
    ...(p ? [`  percentiles p25/p75/p90/p95/p99 = ${f(p.p25)}/${f(p.p75)}/${f(p.p90)}/${f(p.p95)}/${f(p.p99)} ms`] : []),
    `  jitter = ${f(s.jitterMs)} ms (P95-P50), ipdv p95 = ${f(s.ipdvP95Ms)} ms; ${s.hops}${s.scheduleP99Us !== null ? `; send schedule error p99 ${s.scheduleP99Us.toFixed(0)} µs` : ''}`,
    ...(s.reordering ? [`  ${s.reordering.join(', ')}`] : []),
    `  clocks: ${clockState(s)}`,
  ].join('\n') + '\n';
}

/** The run's header (protocol, control RTT, our clock) and every session. */
export function onewayRunLines(summary: OnewayRunSummary): string {
  const c = summary.clock;
  return [
    `  ${summary.protocol.toUpperCase()} (${summary.mode})${summary.controlRttMs !== null ? `, control RTT ${summary.controlRttMs.toFixed(2)} ms` : ''}\n`,
    c ? `  our clock: ${c.synchronized ? 'synchronised' : 'unsynchronised'}, error estimate ${formatErrorMs(c.errorMs)}, timestamp resolution ${c.resolutionNs.toFixed(0)} ns, anchored to ±${(c.anchorUncertaintyNs / 1000).toFixed(1)} µs\n` : '',
    ...summary.sessions.map(sessionLines),
  ].join('');
}

export const packetsLine = (p: PacketProgress): string => `  ${p.session.padEnd(10)} ${String(p.received).padStart(6)} received, ${String(p.lost).padStart(5)} lost${p.sent ? `, ${p.sent} sent` : ''}\n`;
