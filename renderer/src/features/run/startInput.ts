import type { StartRunInput } from '../../../../electron/shared/runs.ts';
import { formatTarget, parseTarget } from '../../../../electron/shared/target.ts';
import { parseBitrate, parseByteSize } from '../../../../electron/shared/units.ts';

export interface FormState {
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
}

export const initialForm: FormState = { target: '', duration: '10', parallel: '1', reverse: false, udp: false, family: 'any', bitrate: '', window: '', congestion: '', omit: '0' };

/** Builds the runs.start input; the same shared validators the core uses give instant feedback. */
export function toStartInput(form: FormState): StartRunInput {
  const target = parseTarget(form.target.trim());
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
