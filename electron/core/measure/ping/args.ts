import { ipFamily } from '../../../shared/ip.ts';
import { WorkbenchError } from '../../../shared/errors.ts';

/** argv for ping on Linux (iputils), macOS/BSD and Windows. The address is a resolved IP literal. */

export interface PingArgsInput {
  platform: NodeJS.Platform;
  family: 4 | 6;
  address: string;
  count: number;
  intervalSeconds: number;
  /** ICMP payload bytes. */
  size: number;
  timeoutSeconds: number;
  dontFragment: boolean;
}

export interface PingCommand {
  executable: 'ping' | 'ping6';
  args: string[];
  notes: string[];
}

function literal(address: string): string {
  if (ipFamily(address.split('%')[0] ?? '') === null) throw new WorkbenchError('INVALID_INPUT', 'ping is only ever given a resolved IP address.');
  return address;
}

const secs = (v: number): string => String(Math.round(v * 1000) / 1000);

export function pingArgs(input: PingArgsInput): PingCommand {
  const address = literal(input.address);
  const notes: string[] = [];
  if (input.platform === 'win32') {
    if (input.intervalSeconds !== 1) notes.push('Windows ping sends one request per second; the interval was ignored.');
    const args = ['-n', String(input.count), '-w', String(Math.max(1, Math.round(input.timeoutSeconds * 1000))), '-l', String(input.size), input.family === 6 ? '-6' : '-4'];
    if (input.dontFragment) {
      if (input.family === 6) notes.push('IPv6 is never fragmented by routers; -f does not apply.');
      else args.push('-f');
    }
    args.push(address);
    return { executable: 'ping', args, notes };
  }
  if (input.platform === 'darwin' || input.platform === 'freebsd' || input.platform === 'openbsd') {
    // macOS: -W is in milliseconds; IPv6 is ping6; -D sets Don't Fragment (IPv4 only).
    const args = ['-n', '-c', String(input.count), '-i', secs(input.intervalSeconds), '-s', String(input.size)];
    if (input.family === 4) args.push('-W', String(Math.max(1, Math.round(input.timeoutSeconds * 1000))));
    if (input.dontFragment && input.family === 4) args.push('-D');
    args.push('--', address);
    return { executable: input.family === 6 ? 'ping6' : 'ping', args, notes };
  }
  // iputils: -O prints "no answer yet" for each lost packet, so loss streams live too.
  const args = ['-n', input.family === 6 ? '-6' : '-4', '-O', '-c', String(input.count), '-i', secs(input.intervalSeconds), '-W', secs(input.timeoutSeconds), '-s', String(input.size)];
  if (input.dontFragment) args.push('-M', 'do');
  args.push('--', address);
  return { executable: 'ping', args, notes };
}

/** IP + ICMP header bytes: a DF probe of `mtu` bytes carries mtu - overhead bytes of payload. */
export function icmpOverhead(family: 4 | 6): number {
  return family === 6 ? 48 : 28;
}
