import type { TraceMethod } from '../../../shared/path.ts';
import { ipFamily } from '../../../shared/ip.ts';
import { WorkbenchError } from '../../../shared/errors.ts';

/**
 * argv for the path tools. Every value is a number we bounded or an IP literal we resolved: the
 * host never reaches a tool as a name, and the address goes last, after "--" where the tool's
 * parser understands it, so nothing in it can be read as an option.
 */

export interface TraceArgsInput {
  platform: NodeJS.Platform;
  method: TraceMethod;
  family: 4 | 6;
  /** An IP literal (resolved beforehand). */
  address: string;
  maxHops: number;
  queries: number;
  paris: boolean;
  port?: number | undefined;
  /** Fixed source port for Paris mode. */
  sourcePort: number;
  waitSeconds: number;
}

export interface ToolArgs {
  args: string[];
  /** The method and Paris mode the command really uses (e.g. ICMP has no fixed-flow option). */
  method: TraceMethod;
  paris: boolean;
  notes: string[];
}

export const PARIS_UDP_PORT = 33434;

function literal(address: string): string {
  if (ipFamily(address.split('%')[0] ?? '') === null) throw new WorkbenchError('INVALID_INPUT', 'The tools are only ever given a resolved IP address.');
  return address;
}

function seconds(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}

/**
 * A source port that stays the same for a target across runs, so Paris-style runs to one target
 * keep hashing onto the same ECMP member and path changes between runs are real. In 40000-59999.
 */
export function stableSourcePort(address: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < address.length; i += 1) {
    hash ^= address.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return 40000 + (hash % 20000);
}

export function tracerouteArgs(input: TraceArgsInput): ToolArgs {
  const address = literal(input.address);
  const notes: string[] = [];
  if (input.platform === 'win32') {
    if (input.method !== 'icmp') notes.push('Windows tracert only sends ICMP echo; the trace used ICMP.');
    if (input.queries !== 3) notes.push('Windows tracert always sends 3 probes per hop.');
    const args = ['-d', '-h', String(input.maxHops), '-w', String(Math.max(1, Math.round(input.waitSeconds * 1000))), input.family === 6 ? '-6' : '-4', address];
    return { args, method: 'icmp', paris: false, notes };
  }
  if (input.platform === 'darwin' || input.platform === 'freebsd' || input.platform === 'openbsd') {
    // BSD traceroute: -P proto, -e fixed destination port ("firewall evasion"); IPv6 is traceroute6.
    const args = ['-n', '-m', String(input.maxHops), '-q', String(input.queries), '-w', String(Math.max(1, Math.round(input.waitSeconds)))];
    let paris = false;
    if (input.method === 'icmp') args.push('-I');
    else if (input.method === 'tcp') args.push('-P', 'tcp', '-p', String(input.port ?? 80));
    else if (input.paris) {
      args.push('-e', '-p', String(input.port ?? PARIS_UDP_PORT));
      paris = true;
    } else if (input.port !== undefined) args.push('-p', String(input.port));
    if (input.paris && !paris) notes.push('BSD traceroute has no fixed-flow mode for this method.');
    args.push('--', address);
    return { args, method: input.method, paris, notes };
  }
  // Linux "Modern traceroute" 2.x
  const args = ['-n', input.family === 6 ? '-6' : '-4', '-m', String(input.maxHops), '-q', String(input.queries), '-w', seconds(input.waitSeconds)];
  let paris = false;
  if (input.method === 'icmp') {
    args.push('-I');
    if (input.paris) notes.push('traceroute has no fixed-flow ICMP mode (the echo sequence changes per probe); use UDP or TCP for Paris-style probes.');
  } else if (input.method === 'tcp') {
    args.push('-T', '-p', String(input.port ?? 80));
    if (input.paris) {
      args.push(`--sport=${input.sourcePort}`);
      paris = true;
    }
  } else if (input.paris) {
    args.push('-U', '-p', String(input.port ?? PARIS_UDP_PORT), `--sport=${input.sourcePort}`);
    paris = true;
  } else if (input.port !== undefined) args.push('-p', String(input.port));
  if (paris) notes.push('Paris-style probes go one at a time (traceroute --sport implies -N 1), so a trace with silent hops takes longer.');
  args.push('--', address);
  return { args, method: input.method, paris, notes };
}

export function tracerouteExecutable(platform: NodeJS.Platform, family: 4 | 6): 'traceroute' | 'traceroute6' | 'tracert' {
  if (platform === 'win32') return 'tracert';
  if ((platform === 'darwin' || platform === 'freebsd' || platform === 'openbsd') && family === 6) return 'traceroute6';
  return 'traceroute';
}

export function tracepathArgs(input: { family: 4 | 6; address: string; maxHops: number }): string[] {
  return ['-n', input.family === 6 ? '-6' : '-4', '-m', String(input.maxHops), '--', literal(input.address)];
}

export interface MtrArgsInput {
  method: TraceMethod;
  family: 4 | 6;
  address: string;
  maxHops: number;
  cycles: number;
  intervalSeconds: number;
  paris: boolean;
  port?: number | undefined;
  sourcePort: number;
  /** Whether this process is root: mtr refuses intervals under 1 s otherwise. */
  root: boolean;
  /** Seconds to wait for late answers after the last cycle (mtr -G; its default is 5). */
  graceSeconds?: number;
}

export function mtrArgs(input: MtrArgsInput): ToolArgs & { intervalSeconds: number } {
  const address = literal(input.address);
  const notes: string[] = [];
  let interval = input.intervalSeconds;
  if (!input.root && interval < 1) {
    notes.push(`mtr refuses intervals below 1 s for non-root users; ${seconds(interval)} s was raised to 1 s.`);
    interval = 1;
  }
  const args = ['--json', '-n', input.family === 6 ? '-6' : '-4', '-c', String(input.cycles), '-i', seconds(interval), '-G', seconds(input.graceSeconds ?? 2), '-m', String(input.maxHops)];
  let paris = false;
  if (input.method === 'udp') {
    args.push('-u');
    if (input.paris) {
      args.push('-P', String(input.port ?? PARIS_UDP_PORT), '-L', String(input.sourcePort));
      paris = true;
    } else if (input.port !== undefined) args.push('-P', String(input.port));
  } else if (input.method === 'tcp') {
    args.push('-T', '-P', String(input.port ?? 80));
    if (input.paris) notes.push('mtr has no fixed source port for TCP probes; use UDP for Paris-style mtr runs.');
  } else if (input.paris) notes.push('mtr ICMP probes change their sequence number per probe; use UDP for Paris-style mtr runs.');
  args.push('--', address);
  return { args, method: input.method, paris, notes, intervalSeconds: interval };
}
