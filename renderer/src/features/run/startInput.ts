import { LatencyOptions, TwampOptions } from '../../../../electron/shared/latency.ts';
import type { StartRunInput } from '../../../../electron/shared/runs.ts';
import { formatTarget, parseTarget } from '../../../../electron/shared/target.ts';
import { parseBitrate, parseByteSize } from '../../../../electron/shared/units.ts';

export const FORM_METHODS = ['throughput', 'latency', 'twamp', 'trace', 'rtt', 'mtu'] as const;
export type FormMethod = (typeof FORM_METHODS)[number];

export const METHOD_LABELS: Record<FormMethod, string> = {
  throughput: 'Throughput (iperf3)',
  latency: 'One-way latency (OWAMP)',
  twamp: 'Round trip (TWAMP)',
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
  /** OWAMP / TWAMP */
  packets: string;
  packetInterval: string;
  schedule: 'poisson' | 'periodic';
  direction: 'both' | 'to' | 'from';
  /** Empty: the method's default (OWAMP 0, TWAMP 27 bytes). */
  padding: string;
  light: boolean;
  clockSynchronized: boolean;
  /** Our own client, or the host's owping/twping. */
  onewayTool: 'builtin' | 'system';
}

/** What the target field suggests per method (the default port is the method's own). */
export const TARGET_PLACEHOLDERS: Record<FormMethod, string> = {
  throughput: 'host[:port], e.g. ps.example.net:5201',
  latency: 'host[:port], OWAMP port 861 by default',
  twamp: 'host[:port], TWAMP port 862 by default',
  trace: 'host, e.g. ps.example.net',
  rtt: 'host, e.g. ps.example.net',
  mtu: 'host, e.g. ps.example.net',
};

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
  packets: '100',
  packetInterval: '0.1',
  schedule: 'poisson',
  direction: 'both',
  padding: '',
  light: false,
  clockSynchronized: false,
  onewayTool: 'builtin',
};

const num = (text: string, what: string): number => {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n)) throw new Error(`${what} must be a number.`);
  return n;
};

/** The bounds of a numeric option, read from its shared schema so the form and the core cannot disagree. */
interface NumberField {
  unwrap(): { minValue: number | null; maxValue: number | null; isInt: boolean };
}

const ranged = (text: string, what: string, field: NumberField): number => {
  const n = num(text, what);
  const { minValue, maxValue, isInt } = field.unwrap();
  if (isInt && !Number.isInteger(n)) throw new Error(`${what} must be a whole number.`);
  if ((minValue !== null && n < minValue) || (maxValue !== null && n > maxValue)) throw new Error(`${what} must be between ${minValue ?? '-∞'} and ${maxValue ?? '∞'}.`);
  return n;
};

/** OWAMP (latency) or TWAMP options from the form, checked against the shared bounds. */
function onewayInput(form: FormState, host: StartRunInput['target']): StartRunInput {
  const shape = form.method === 'latency' ? LatencyOptions.shape : TwampOptions.shape;
  const options: Record<string, unknown> = {
    packets: ranged(form.packets, 'Count', shape.packets),
    interval: ranged(form.packetInterval, 'Interval', shape.interval),
    schedule: form.schedule,
    family: form.family,
    clockSynchronized: form.clockSynchronized,
  };
  if (form.padding.trim() !== '') options.padding = ranged(form.padding, 'Padding', shape.padding);
  if (form.onewayTool === 'system') {
    if (form.method === 'twamp' && form.light) throw new Error('twping has no TWAMP-Light mode: use the built-in client.');
    options.tool = 'system';
  }
  if (form.method === 'latency') return { kind: 'latency', target: host, options: { ...options, direction: form.direction } };
  return { kind: 'twamp', target: host, options: { ...options, light: form.light } };
}

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
  if (form.method === 'latency' || form.method === 'twamp') return onewayInput(form, host);
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
