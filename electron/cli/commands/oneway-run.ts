import type { PacketProgress, SessionSummary } from '../../shared/latency.ts';
import type { StartRunInput } from '../../shared/runs.ts';
import { parseTarget } from '../../shared/target.ts';
import { intOption, parse } from '../args.ts';
import { UsageError } from '../io.ts';

export const ONEWAY_RUN_HELP = `One-way and round-trip delay (our own OWAMP/TWAMP client, unauthenticated mode):
  psw run latency --to HOST[:861] [--count N] [--interval S] [--periodic] [--direction to|from|both]
                  [--padding BYTES] [--timeout S] [--dscp N] [--clock-sync] [-4|-6] [--tool builtin|system]
  psw run twamp   --to HOST[:862] [--count N] [--interval S] [--periodic] [--padding BYTES] [--light] [-4|-6]
                  [--tool builtin|system]
--clock-sync says this host's clock is NTP-synchronised (the workbench cannot check it).
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
    ipv4: { type: 'boolean', short: '4', default: false },
    ipv6: { type: 'boolean', short: '6', default: false },
  });
  if (positionals.length) throw new UsageError(`Unexpected argument ${JSON.stringify(positionals[0])}.`);
  if (values.to === undefined) throw new UsageError('--to HOST is required.');
  if (values.ipv4 && values.ipv6) throw new UsageError('Choose one of -4 and -6.');
  if (kind === 'latency' && values.light) throw new UsageError('--light is for psw run twamp.');
  if (kind === 'twamp' && (values.direction !== undefined || values.dscp !== undefined)) throw new UsageError('--direction and --dscp are for psw run latency.');
  if (values.tool !== undefined && values.tool !== 'builtin' && values.tool !== 'system') throw new UsageError('--tool must be builtin or system.');
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
  if (kind === 'latency') {
    set('direction', values.direction);
    set('dscp', intOption(values.dscp, 'dscp', 0, 63));
  } else if (values.light) options.light = true;
  return { input: { kind, target: { host: target.host, port: target.port }, options } as StartRunInput, json: values.json };
}

const f = (v: number | null, digits = 3) => (v === null ? 'nan' : v.toFixed(digits));

/** owping-style lines for one session. */
export function sessionLines(s: SessionSummary): string {
  const label = s.direction === 'to' ? 'to the far end' : s.direction === 'from' ? 'from the far end' : 'round trip';
  return [
    `  --- ${label} ---`,
    `  ${s.sent} sent, ${s.lost} lost (${s.lossPercent.toFixed(3)}%), ${s.duplicates} duplicates${s.lossText ? `; ${s.lossText}` : ''}`,
    `  ${s.direction === 'round-trip' ? 'round-trip time' : 'one-way delay'} min/median/max = ${f(s.minMs)}/${f(s.medianMs)}/${f(s.maxMs)} ms, ${s.clockText}`,
    `  jitter = ${f(s.jitterMs)} ms (P95-P50), ipdv p95 = ${f(s.ipdvP95Ms)} ms; ${s.hops}${s.scheduleP99Us !== null ? `; send schedule error p99 ${s.scheduleP99Us.toFixed(0)} µs` : ''}`,
  ].join('\n') + '\n';
}

export const packetsLine = (p: PacketProgress): string => `  ${p.session.padEnd(10)} ${String(p.received).padStart(6)} received, ${String(p.lost).padStart(5)} lost${p.sent ? `, ${p.sent} sent` : ''}\n`;
