import type { StartRunInput } from '../../../../electron/shared/runs.ts';
import { formatTarget, parseTarget } from '../../../../electron/shared/target.ts';
import { parseBitrate, parseByteSize } from '../../../../electron/shared/units.ts';

export const FORM_METHODS = ['throughput', 'trace', 'rtt', 'mtu'] as const;
export type FormMethod = (typeof FORM_METHODS)[number];

export const METHOD_LABELS: Record<FormMethod, string> = {
  throughput: 'Throughput (iperf3)',
  trace: 'Route (traceroute, tracepath, mtr)',
  rtt: 'Round trip (ping)',
  mtu: 'Path MTU',
};

export interface FormState {
  method: FormMethod;
  target: string;
  duration: string;
  parallel: string;
  reverse: boolean;
  udp: boolean;
  family: 'any' | '4' | '6';
  bitrate: string;
  window: string;
  congestion: string;
  omit: string;
  traceTool: 'traceroute' | 'tracepath' | 'mtr';
  traceMethod: 'udp' | 'icmp' | 'tcp';
  maxHops: string;
  queries: string;
  count: string;
  interval: string;
  size: string;
  dontFragment: boolean;
  maxMtu: string;
}

export const initialForm: FormState = {
  method: 'throughput',
  target: '',
  duration: '10',
  parallel: '1',
  reverse: false,
  udp: false,
  family: 'any',
  bitrate: '',
  window: '',
  congestion: '',
  omit: '0',
  traceTool: 'traceroute',
  traceMethod: 'udp',
  maxHops: '30',
  queries: '3',
  count: '20',
  interval: '0.2',
  size: '56',
  dontFragment: false,
  maxMtu: '9000',
};

const num = (text: string, what: string): number => {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n)) throw new Error(`${what} must be a number.`);
  return n;
};

/** Builds the runs.start input; the same shared validators the core uses give instant feedback. */
export function toStartInput(form: FormState): StartRunInput {
  const target = parseTarget(form.target.trim());
  const host = { host: target.host, port: target.port };
  if (form.method === 'trace') {
    return { kind: 'trace', target: host, options: { tool: form.traceTool, method: form.traceMethod, family: form.family, maxHops: num(form.maxHops, 'Max hops'), queries: num(form.queries, 'Probes per hop') } };
  }
  if (form.method === 'rtt') {
    return { kind: 'rtt', target: host, options: { family: form.family, count: num(form.count, 'Count'), intervalSeconds: num(form.interval, 'Interval'), size: num(form.size, 'Size'), dontFragment: form.dontFragment } };
  }
  if (form.method === 'mtu') {
    return { kind: 'mtu', target: host, options: { family: form.family, maxMtu: num(form.maxMtu, 'Largest MTU') } };
  }
  const options: Record<string, unknown> = {
    protocol: form.udp ? 'udp' : 'tcp',
    duration: Number(form.duration),
    parallel: Number(form.parallel),
    reverse: form.reverse,
    family: form.family,
    omit: Number(form.omit || 0),
  };
  if (form.bitrate.trim()) options.bitrate = parseBitrate(form.bitrate);
  if (form.window.trim()) options.window = parseByteSize(form.window);
  if (form.congestion.trim()) options.congestion = form.congestion.trim();
  return { kind: 'throughput', target: { host: target.host, port: target.port }, options } as StartRunInput;
}

/** The form with a host chosen in the host browser as its target (IPv6 bracketed, so a port can follow). */
export function withPickedTarget(form: FormState, host: string): FormState {
  return { ...form, target: formatTarget({ host, port: null }) };
}
