import type { MtuProbe, PathHop, PingReply } from '../../shared/path.ts';
import type { StartRunInput } from '../../shared/runs.ts';
import { parseTarget } from '../../shared/target.ts';
import { intOption, parse } from '../args.ts';
import { safeText, UsageError } from '../io.ts';

export const PATH_RUN_HELP = `Path (no iperf3 server needed):
  psw run trace --to HOST [--tool traceroute|tracepath|mtr] [--method udp|icmp|tcp] [--no-paris]
                [--max-hops N] [--queries N] [--port N] [--cycles N] [--names] [-4|-6]
  psw run rtt   --to HOST [--count N] [--interval S] [--size BYTES] [--df] [-4|-6]
  psw run mtu   --to HOST [--max-mtu N] [--min-mtu N] [--no-tracepath] [--no-ping] [-4|-6]
ICMP and TCP traceroute (and mtr) need raw-socket privileges on Linux; UDP does not.
`;

const FAMILY = { ipv4: { type: 'boolean', short: '4', default: false }, ipv6: { type: 'boolean', short: '6', default: false } } as const;

function number(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+(\.\d+)?$/.test(value)) throw new UsageError(`--${name} must be a number.`);
  const n = Number(value);
  if (n < min || n > max) throw new UsageError(`--${name} must be between ${min} and ${max}.`);
  return n;
}

/** `psw run trace|rtt|mtu ...` flags → runs.start input (validated again by the contract). */
export function pathRequest(kind: 'trace' | 'rtt' | 'mtu', argv: string[]): { input: StartRunInput; json: boolean } {
  const specs = {
    trace: { ...FAMILY, to: { type: 'string' }, tool: { type: 'string' }, method: { type: 'string' }, 'no-paris': { type: 'boolean', default: false }, 'max-hops': { type: 'string' }, queries: { type: 'string' }, port: { type: 'string' }, cycles: { type: 'string' }, names: { type: 'boolean', default: false } },
    rtt: { ...FAMILY, to: { type: 'string' }, count: { type: 'string' }, interval: { type: 'string' }, size: { type: 'string' }, df: { type: 'boolean', default: false } },
    mtu: { ...FAMILY, to: { type: 'string' }, 'max-mtu': { type: 'string' }, 'min-mtu': { type: 'string' }, 'no-tracepath': { type: 'boolean', default: false }, 'no-ping': { type: 'boolean', default: false } },
  } as const;
  const { values, positionals } = parse(argv, specs[kind]) as { values: Record<string, string | boolean | undefined> & { json: boolean }; positionals: string[] };
  if (positionals.length) throw new UsageError(`Unexpected argument ${JSON.stringify(positionals[0])}.`);
  if (typeof values.to !== 'string') throw new UsageError('--to HOST is required.');
  if (values.ipv4 && values.ipv6) throw new UsageError('Choose one of -4 and -6.');
  const target = parseTarget(values.to);
  const options: Record<string, unknown> = { family: values.ipv4 ? '4' : values.ipv6 ? '6' : 'any' };
  const set = (key: string, value: unknown) => {
    if (value !== undefined) options[key] = value;
  };
  const str = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  if (kind === 'trace') {
    set('tool', str('tool'));
    set('method', str('method'));
    if (values['no-paris']) options.paris = false;
    set('maxHops', intOption(str('max-hops'), 'max-hops', 1, 64));
    set('queries', intOption(str('queries'), 'queries', 1, 10));
    set('port', intOption(str('port'), 'port', 1, 65535));
    set('cycles', intOption(str('cycles'), 'cycles', 1, 1000));
    if (values.names) options.resolveNames = true;
  } else if (kind === 'rtt') {
    set('count', intOption(str('count'), 'count', 1, 100_000));
    set('intervalSeconds', number(str('interval'), 'interval', 0.01, 60));
    set('size', intOption(str('size'), 'size', 0, 65_000));
    if (values.df) options.dontFragment = true;
  } else {
    set('maxMtu', intOption(str('max-mtu'), 'max-mtu', 68, 65_535));
    set('minMtu', intOption(str('min-mtu'), 'min-mtu', 68, 65_535));
    if (values['no-tracepath']) options.tracepath = false;
    if (values['no-ping']) options.pingSearch = false;
  }
  return { input: { kind, target: { host: target.host, port: target.port }, options } as StartRunInput, json: values.json };
}

const ms = (v: number | null | undefined) => (v === null || v === undefined ? '*' : `${v.toFixed(3)} ms`);

export function hopLine(hop: PathHop): string {
  const who = hop.responders.length ? hop.responders.map((r) => safeText(r.name ? `${r.name} (${r.address})` : r.address)).join(', ') : '*';
  const rtt = hop.rtt ? `${ms(hop.rtt.best)} / ${ms(hop.rtt.avg)}` : '';
  const loss = hop.lossPercent !== null && hop.lossPercent > 0 ? `  loss ${hop.lossPercent.toFixed(0)} %` : '';
  const mtu = hop.mtu !== null ? `  mtu ${hop.mtu}` : '';
  return `  ${String(hop.ttl).padStart(2)}  ${who.padEnd(40)} ${rtt}${loss}${mtu}${hop.flags.length ? `  ${hop.flags.join(' ')}` : ''}\n`;
}

export const replyLine = (r: PingReply): string => `  seq ${String(r.seq ?? '?').padStart(4)}  ${r.status}${r.rttMs !== null ? `  ${ms(r.rttMs)}` : ''}${r.ttl !== null ? `  ttl ${r.ttl}` : ''}\n`;
export const probeLine = (p: MtuProbe): string => `  probe ${String(p.step).padStart(2)}  ${String(p.mtu).padStart(5)} bytes  ${p.outcome}${p.reportedMtu ? ` (mtu ${p.reportedMtu}${p.from ? ` from ${safeText(p.from)}` : ''})` : ''}\n`;
