import { clockStateWord, type OnewayRunSummary, type SessionSummary } from '../../../../electron/shared/latency.ts';
import { formatMs, formatPercent } from '../path/format.ts';

/** Text for the one-way (OWAMP) and round-trip (TWAMP) views. Pure: shared by the views, the history and their tests. */

export const ONEWAY_KINDS = ['latency', 'twamp'] as const;
export const isOnewayKind = (kind: string | null | undefined): boolean => (ONEWAY_KINDS as readonly string[]).includes(kind ?? '');

export type SessionDirection = SessionSummary['direction'];

const TITLES: Record<SessionDirection, string> = { to: 'To the far end', from: 'From the far end', 'round-trip': 'Round trip' };

/** "To the far end (this host → ps.example.net)"; without a host, just "To the far end". */
export function sessionTitle(direction: SessionDirection, host: string | null): string {
  if (!host) return TITLES[direction];
  const path = direction === 'to' ? `this host → ${host}` : direction === 'from' ? `${host} → this host` : `this host ⇄ ${host}`;
  return `${TITLES[direction]} (${path})`;
}

export const PROTOCOL_LABELS: Record<OnewayRunSummary['protocol'], string> = { owamp: 'OWAMP', twamp: 'TWAMP', 'twamp-light': 'TWAMP-Light' };

export const UNSYNC_NOTE = 'Unsynchronised clocks: absolute one-way delay is not meaningful, variation is.';

/** A round trip is timed on one clock (the far end's hold time on the other), so only one-way delay needs synchronised clocks. */
export const needsSyncNote = (s: Pick<SessionSummary, 'direction' | 'synchronized'>): boolean => !s.synchronized && s.direction !== 'round-trip';

/** "0 of 100". */
export function lostValue(s: Pick<SessionSummary, 'lost' | 'sent'>): string {
  return `${s.lost} of ${s.sent}`;
}

/** The honest loss sentence: "0 of 100 lost: loss below 2.95 % (95 % confidence)…", or the plain share without a bound. */
export function lossSentence(s: Pick<SessionSummary, 'lost' | 'sent' | 'lossPercent' | 'lossText'>): string {
  if (s.lossText) return s.lossText;
  if (s.sent === 0) return 'No packets were sent.';
  return `${s.lost} of ${s.sent} lost (${formatPercent(s.lossPercent)})`;
}

/** "synchronised (err=0.02 ms)", "unsynchronised": the CLI's words (shared/latency.ts). */
export const clockValue = clockStateWord;

/** Our timestamps' quality next to the send lag: "1 ns resolution, anchored ±0.4 µs". */
export function timestampQuality(clock: Pick<NonNullable<OnewayRunSummary['clock']>, 'resolutionNs' | 'anchorUncertaintyNs'>): string {
  return `${clock.resolutionNs.toFixed(0)} ns resolution, anchored ±${(clock.anchorUncertaintyNs / 1000).toFixed(1)} µs`;
}

/** "p25 0.1 · p75 0.2 · p90 0.3 · p95 0.4 · p99 0.9 ms". */
export function percentilesText(p: NonNullable<SessionSummary['percentilesMs']>): string {
  const n = (v: number | null) => (v === null ? '—' : formatMs(v).replace(/ ms$/, ''));
  return `p25 ${n(p.p25)} · p75 ${n(p.p75)} · p90 ${n(p.p90)} · p95 ${n(p.p95)} · p99 ${n(p.p99)} ms`;
}

/** "0.060 ms / 0.209 ms". */
export const pairMs = (a: number | null, b: number | null): string => `${formatMs(a)} / ${formatMs(b)}`;

/**
 * One line for a run list: the median each way (or the RTT), and loss when there was any.
 * "→ 0.209 ms ← 0.202 ms", "RTT 0.10 ms · 2 % lost", "→ 12.1 ms (unsync)".
 */
export function onewayResultText(summary: OnewayRunSummary): string {
  const sessions = summary.sessions;
  if (sessions.length === 0) return 'no sessions';
  const parts = sessions.map((s) => (s.direction === 'round-trip' ? `RTT ${formatMs(s.medianMs)}` : `${s.direction === 'to' ? '→' : '←'} ${formatMs(s.medianMs)}`));
  const sent = sessions.reduce((n, s) => n + s.sent, 0);
  const lost = sessions.reduce((n, s) => n + s.lost, 0);
  const unsync = sessions.some(needsSyncNote);
  return `${parts.join(' ')}${unsync ? ' (unsync)' : ''}${lost > 0 && sent > 0 ? ` · ${formatPercent((100 * lost) / sent)} lost` : ''}`;
}
