import { assertValidHost, formatTarget } from '../../../shared/target.ts';
import { checkDscp, checkInteger, checkSeconds, invalid } from './options.ts';
import type { SystemOnewayToolName } from './system-tools.ts';

/**
 * argv for perfSONAR's owping/twping (owamp 5.x) from options the schema already checked; they
 * are checked again here, since this is where they become a command line. Always unauthenticated
 * (-A O) and raw records (-R: one line per packet, which also silences the text summary), so the
 * run yields the same per-packet data as the built-in client. The target goes last, after "--",
 * as host:port (IPv6 in brackets, as owping parses it).
 */

export interface SystemOnewayArgsInput {
  tool: SystemOnewayToolName;
  /** A resolved IP literal (or a host name that passes assertValidHost). */
  host: string;
  port: number;
  packets: number;
  /** Mean (poisson) or exact (periodic) seconds between packets. */
  interval: number;
  schedule: 'poisson' | 'periodic';
  padding: number;
  /** Seconds; when absent owping picks its own (round trip + 2 s). */
  lossTimeout?: number;
  family: 'any' | '4' | '6';
  /** owping only: to = -t, from = -f, both = neither (owping's default). */
  direction?: 'to' | 'from' | 'both';
  dscp?: number | null;
}

/** A decimal owping's strtod reads as written: no exponent, at most microsecond precision. */
export function decimalSeconds(value: number): string {
  return value.toFixed(6).replace(/0+$/, '').replace(/\.$/, '');
}

export function systemOnewayArgs(input: SystemOnewayArgsInput): string[] {
  const host = assertValidHost(input.host);
  const port = checkInteger('Port', input.port, 1, 65_535);
  const packets = checkInteger('Packet count', input.packets, 1, 100_000);
  const interval = checkSeconds('Interval', input.interval, 0.001, 10);
  const padding = checkInteger('Padding', input.padding, 0, 65_000);
  const dscp = checkDscp(input.dscp);
  if (input.schedule !== 'poisson' && input.schedule !== 'periodic') throw invalid(`Unknown schedule ${JSON.stringify(input.schedule)}.`);
  if (input.tool === 'twping' && input.direction !== undefined && input.direction !== 'both') throw invalid('twping measures the round trip: a direction applies to owping only.');

  // -i: "<seconds>e" is an exponential (Poisson) slot, "<seconds>f" a fixed gap (owping.c parse_slots).
  const args = ['-A', 'O', '-R', '-c', String(packets), '-i', `${decimalSeconds(interval)}${input.schedule === 'periodic' ? 'f' : 'e'}`, '-s', String(padding)];
  if (input.lossTimeout !== undefined) args.push('-L', decimalSeconds(checkSeconds('Loss timeout', input.lossTimeout, 0.1, 60)));
  if (input.direction === 'to') args.push('-t');
  else if (input.direction === 'from') args.push('-f');
  else if (input.direction !== undefined && input.direction !== 'both') throw invalid(`Unknown direction ${JSON.stringify(input.direction)}.`);
  // Decimal, never with a leading zero: owping reads -D with strtoul(…, 0), where "010" is octal.
  if (dscp !== null) args.push('-D', String(dscp));
  if (input.family === '4') args.push('-4');
  else if (input.family === '6') args.push('-6');
  else if (input.family !== 'any') throw invalid(`Unknown address family ${JSON.stringify(input.family)}.`);
  args.push('--', formatTarget({ host, port }));
  return args;
}
