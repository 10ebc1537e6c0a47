import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { clockState, type OnewayRunSummary, type SessionSummary } from '../../electron/shared/latency.ts';
import { SessionFigures } from '../../renderer/src/features/latency/SessionFigures.tsx';
import { clockValue, percentilesText, timestampQuality } from '../../renderer/src/features/latency/format.ts';

const base: SessionSummary = {
  direction: 'to',
  sent: 100,
  lost: 0,
  duplicates: 0,
  lossPercent: 0,
  lossLower: 0,
  lossUpper: 0.0295,
  lossText: null,
  minMs: 0.05,
  medianMs: 0.2,
  maxMs: 3,
  p95Ms: 1.6,
  jitterMs: 1.4,
  ipdvP95Ms: 2.1,
  reorderingPercent: 0,
  reordering: ['no reordering'],
  percentilesMs: { p25: 0.1, p75: 0.3, p90: 1.2, p95: 1.6, p99: 2.9 },
  hops: 'hops unknown: the far end cannot read TTL (it reports 255)',
  hopsAmbiguous: true,
  synchronized: true,
  clockText: '(err=20 ms)',
  senderErrorMs: 10.009765625,
  receiverErrorMs: 0.0625,
  scheduleP99Us: 412,
};
const clock: NonNullable<OnewayRunSummary['clock']> = { synchronized: true, errorMs: 10.009765625, resolutionNs: 42, anchorUncertaintyNs: 380 };

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('session figures in the run view', () => {
  it('shows timestamp resolution and anchor next to the send lag, each side’s error estimate, percentiles and unknown hops', () => {
    const html = renderToStaticMarkup(createElement(SessionFigures, { s: base, clock }));
    const shown = text(html);
    expect(shown).toContain('Send lag p99 412 µs');
    expect(shown).toContain('Timestamps 42 ns resolution, anchored ±0.4 µs');
    expect(shown).toContain('Error estimates sender ±10.0 ms, receiver ±0.0625 ms');
    expect(shown).toContain('Hops unknown: the far end cannot read TTL');
    expect(shown).not.toMatch(/hops = 0/);
    expect(shown).toContain(percentilesText(base.percentilesMs!));
    expect(percentilesText(base.percentilesMs!)).toBe('p25 0.100 · p75 0.300 · p90 1.20 · p95 1.60 · p99 2.90 ms');
    expect(timestampQuality(clock)).toBe('42 ns resolution, anchored ±0.4 µs');
    expect(html).not.toContain('clocks-offset-note');
  });

  it('a TWAMP run with offset clocks says directional delays may be inaccurate, in the CLI’s words', () => {
    const rt: SessionSummary = { ...base, direction: 'round-trip', synchronized: false, clockText: '(err=0.002 ms)', clocksOffset: true, scheduleP99Us: null };
    const html = renderToStaticMarkup(createElement(SessionFigures, { s: rt, clock }));
    expect(text(html)).toContain('directional delays may be inaccurate');
    // twping prints "(err=…)" for a loss-free unsynchronised run; the UI and CLI both say unsynchronised
    expect(clockValue(rt)).toBe('unsynchronised (fine for RTT)');
    expect(clockState(rt).startsWith(clockValue(rt))).toBe(true);
    expect(clockState(rt)).toContain('reflector ±0.0625 ms');
    // no send lag (the far end sent): no timestamp figure either
    expect(html).not.toContain('figure-timestamps');
  });
});
