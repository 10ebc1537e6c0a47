import type { RunKind, RunSummary } from '../../../../electron/shared/runs.ts';
import { formatBitrate } from '../../../../electron/shared/units.ts';
import { onewayResultText, PROTOCOL_LABELS } from '../latency/format.ts';

/** How run lists name each kind (the history's Method column and kind filter). Pure. */
export const KIND_LABELS: Record<RunKind, string> = {
  throughput: 'throughput',
  latency: 'one-way latency',
  twamp: 'round trip (TWAMP)',
  trace: 'route',
  rtt: 'round trip (ping)',
  mtu: 'path MTU',
};

/** The kind, with the protocol a one-way run actually spoke: "one-way latency (OWAMP)", "round trip (TWAMP-Light)". */
export function kindLabel(run: Pick<RunSummary, 'kind' | 'oneway'>): string {
  if (run.kind === 'latency') return `${KIND_LABELS.latency} (OWAMP)`;
  if (run.kind === 'twamp' && run.oneway) return `round trip (${PROTOCOL_LABELS[run.oneway.protocol]})`;
  return KIND_LABELS[run.kind];
}

/** The headline figure of a run for a list row; the error code or status when it did not succeed. */
export function runResultText(run: Pick<RunSummary, 'status' | 'error' | 'throughput' | 'oneway'>): string {
  if (run.status !== 'succeeded') return run.error?.code ?? run.status;
  const t = run.throughput;
  if (t) return formatBitrate(t.reverse ? t.receivedBitsPerSecond : t.sentBitsPerSecond);
  if (run.oneway) return onewayResultText(run.oneway);
  return 'ok';
}
