import { assertValidHost, isValidPort } from '../../../shared/target.ts';
import { WorkbenchError } from '../../../shared/errors.ts';
import type { ThroughputOptions } from '../../../shared/throughput.ts';

export const IPERF3_DEFAULT_PORT = 5201;

export interface Iperf3Invocation {
  host: string;
  port: number;
  options: ThroughputOptions;
  /** iperf3 >= 3.17: newline-delimited JSON events while the test runs. */
  jsonStream: boolean;
}

/**
 * Options → argv, one element per value. The host was validated by the contract already; it is
 * checked again here because this is the last step before a process sees it.
 */
export function iperf3Args(inv: Iperf3Invocation): string[] {
  const host = assertValidHost(inv.host);
  if (!isValidPort(inv.port)) throw new WorkbenchError('INVALID_INPUT', `port ${inv.port} is out of range`);
  const o = inv.options;
  const args = ['--client', host, '--port', String(inv.port)];
  args.push(inv.jsonStream ? '--json-stream' : '--json');
  args.push('--time', String(o.duration), '--interval', '1', '--get-server-output');
  args.push('--connect-timeout', String(o.connectTimeout));
  if (o.parallel > 1) args.push('--parallel', String(o.parallel));
  if (o.reverse) args.push('--reverse');
  if (o.family === '4') args.push('-4');
  if (o.family === '6') args.push('-6');
  if (o.protocol === 'udp') args.push('--udp');
  if (o.bitrate !== undefined) args.push('--bitrate', String(o.bitrate));
  if (o.window !== undefined) args.push('--window', String(o.window));
  if (o.congestion !== undefined) args.push('--congestion', o.congestion);
  if (o.omit > 0) args.push('--omit', String(o.omit));
  return args;
}
