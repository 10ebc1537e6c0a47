import { describe, expect, it } from 'vitest';
import type { OnewayRunSummary, SessionSummary } from '../../electron/shared/latency.ts';
import type { RunSummary } from '../../electron/shared/runs.ts';
import { kindLabel, runResultText } from '../../renderer/src/features/history/runResult.ts';
import { clockValue, isOnewayKind, lossSentence, needsSyncNote, onewayResultText, sessionTitle } from '../../renderer/src/features/latency/format.ts';

const session = (patch: Partial<SessionSummary>): SessionSummary => ({
  direction: 'to',
  sent: 100,
  lost: 0,
  duplicates: 0,
  lossPercent: 0,
  lossLower: 0,
  lossUpper: 0.0295,
  lossText: '0 of 100 lost: loss below 2.95 % (95 % confidence); a zero count cannot show less than about 3/N',
  minMs: 0.05,
  medianMs: 0.209,
  maxMs: 3,
  p95Ms: 1.6,
  jitterMs: 1.4,
  ipdvP95Ms: 2.1,
  reorderingPercent: 0,
  hops: 'hops = 0 (consistently)',
  synchronized: false,
  clockText: '(unsync)',
  senderErrorMs: null,
  receiverErrorMs: null,
  scheduleP99Us: null,
  ...patch,
});

const summary = (protocol: OnewayRunSummary['protocol'], sessions: SessionSummary[]): OnewayRunSummary => ({ protocol, mode: 'unauthenticated', controlRttMs: 1, sessions, notes: [] });

describe('one-way text', () => {
  it('titles, loss sentences and clocks', () => {
    expect(sessionTitle('to', 'ps.example.net')).toBe('To the far end (this host → ps.example.net)');
    expect(sessionTitle('from', 'ps.example.net')).toBe('From the far end (ps.example.net → this host)');
    expect(sessionTitle('round-trip', null)).toBe('Round trip');
    expect(lossSentence(session({}))).toMatch(/^0 of 100 lost: loss below 2\.95 %/);
    expect(lossSentence(session({ lost: 3, lossPercent: 3, lossText: null }))).toBe('3 of 100 lost (3 %)');
    expect(clockValue(session({}))).toBe('unsynchronised');
    expect(clockValue(session({ direction: 'round-trip' }))).toBe('unsynchronised (fine for RTT)');
    expect(clockValue(session({ synchronized: true, clockText: '(err=0.02 ms)' }))).toBe('synchronised (err=0.02 ms)');
    // a round trip is timed on one clock: no caveat for it
    expect(needsSyncNote(session({}))).toBe(true);
    expect(needsSyncNote(session({ direction: 'round-trip' }))).toBe(false);
    expect(needsSyncNote(session({ synchronized: true }))).toBe(false);
    expect(isOnewayKind('twamp')).toBe(true);
    expect(isOnewayKind('rtt')).toBe(false);
  });

  it('one line per run for the lists', () => {
    expect(onewayResultText(summary('owamp', [session({}), session({ direction: 'from', medianMs: 0.202 })]))).toBe('→ 0.209 ms ← 0.202 ms (unsync)');
    expect(onewayResultText(summary('twamp-light', [session({ direction: 'round-trip', medianMs: 12.34, lost: 2, lossPercent: 2 })]))).toBe('RTT 12.3 ms · 2 % lost');
    const base = { status: 'succeeded', error: null, throughput: null } as const;
    const twamp = { ...base, kind: 'twamp', oneway: summary('twamp-light', [session({ direction: 'round-trip', synchronized: true })]) } as unknown as RunSummary;
    expect(kindLabel(twamp)).toBe('round trip (TWAMP-Light)');
    expect(runResultText(twamp)).toBe('RTT 0.209 ms');
    expect(kindLabel({ kind: 'latency', oneway: null })).toBe('one-way latency (OWAMP)');
    expect(runResultText({ status: 'failed', error: { code: 'CONNECTION_REFUSED', message: 'x' }, throughput: null, oneway: null } as unknown as RunSummary)).toBe('CONNECTION_REFUSED');
  });
});
