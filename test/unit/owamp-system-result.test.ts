import { describe, expect, it } from 'vitest';
import { WorkbenchError } from '../../electron/shared/errors.ts';
import { parseOwpingMachine, parseOwpingText } from '../../electron/core/measure/oneway/owping-output.ts';
import { onewayPacketRows, onewaySessionRow, twampSessionRow } from '../../electron/core/measure/oneway/rows.ts';
import { formatG3 } from '../../electron/core/measure/oneway/stats.ts';
import { owpingSessions, owpingSessionSummaries, twpingSession, twpingSessionSummary } from '../../electron/core/measure/oneway/system-result.ts';
import * as S from './owamp-system-samples.ts';
import { NS_RAW_LOSS } from './owamp-owping-samples.ts';

/**
 * psw --tool system reads owping's raw records and runs its own statistics on them. Here the same
 * saved sessions were also printed by owping's own code (owstats text and -M): our figures must say
 * what owping says of exactly the same packets.
 */

const run = { packets: 20, interval: 0.01, schedule: 'periodic' as const, padding: 0 };
/** One step of a double near 2^64 × 2^-32 s: 2^(64-53) units of 2^-32 s. */
const DOUBLE_STEP = 2 ** 11 / 2 ** 32;
const ms = (seconds: number | null | undefined) => (seconds === null || seconds === undefined ? null : seconds * 1000);

describe('owping -R → SessionSummary, checked against owping\'s own summary of the same session', () => {
  const sessions = owpingSessions(S.OWPING_TO_RAW + S.OWPING_FROM_RAW, { ...run, direction: 'both', dscp: null });
  const summaries = owpingSessionSummaries(sessions);

  it('two sessions, "to" first as owping prints them', () => {
    expect(sessions.map((s) => s.direction)).toEqual(['to', 'from']);
    expect(summaries.map((s) => s.direction)).toEqual(['to', 'from']);
  });

  for (const [i, text, machine] of [
    [0, S.OWPING_TO_TEXT, S.OWPING_TO_MACHINE],
    [1, S.OWPING_FROM_TEXT, S.OWPING_FROM_MACHINE],
  ] as const) {
    const [human] = parseOwpingText(text);
    const [m] = parseOwpingMachine(machine);
    it(`${i === 0 ? 'to' : 'from'}: sent, lost, duplicates, min, median, max, jitter, hops, clock as owping prints them`, () => {
      const summary = summaries[i]!;
      const stats = sessions[i]!.summary;
      expect(human!.sent).toBe(20);
      expect(summary.sent).toBe(human!.sent);
      expect(summary.lost).toBe(human!.lost);
      expect(summary.duplicates).toBe(human!.duplicates);
      expect(summary.lossPercent).toBe(human!.lossPercent);
      expect([summary.sent, summary.lost, summary.duplicates]).toEqual([m!.sent, m!.lost, m!.values.DUPS]);
      // owping's figures, reproduced from the records: the text prints ms with %.3g, -M seconds with %g
      expect(formatG3(ms(stats.owping.min)!)).toBe(formatG3(ms(human!.delay!.min)!));
      expect(formatG3(ms(stats.owping.max)!)).toBe(formatG3(ms(human!.delay!.max)!));
      expect(formatG3(stats.owping.min!, 6)).toBe(formatG3(m!.values.MIN!, 6));
      expect(formatG3(stats.owping.max!, 6)).toBe(formatG3(m!.values.MAX!, 6));
      // psw shows the exact difference of the 64-bit timestamps; owping rounds each timestamp to a
      // double first (a 2^-21 s ≈ 0.48 µs step at today's NTP seconds), so they differ by less than that
      expect(Math.abs(summary.minMs! - ms(m!.values.MIN!)!)).toBeLessThan(ms(DOUBLE_STEP)!);
      expect(Math.abs(summary.maxMs! - ms(m!.values.MAX!)!)).toBeLessThan(ms(DOUBLE_STEP)!);
      // owping's median is a histogram bucket edge (0.1 ms here, even above the max of the "from"
      // session); our code reproduces it, and the exact median shown in psw lies in that bucket
      expect(stats.owping.median).toBe(human!.delay!.median);
      expect(stats.owping.median).toBe(m!.values.MEDIAN);
      expect(summary.medianMs!).toBeGreaterThan(ms(m!.values.MEDIAN! - m!.bucketWidth!)!);
      expect(summary.medianMs!).toBeLessThanOrEqual(ms(m!.values.MEDIAN!)!);
      expect(formatG3(summary.jitterMs!)).toBe(formatG3(ms(human!.jitter['one-way']!)!));
      // owping counts TTL 255 (same host here) as "hops = 0"; RFC 4656 also uses 255 for "not read", so we give no count
      expect(human!.hops[0]).toBe('hops = 0 (consistently)');
      expect(summary).toMatchObject({ hops: 'hops unknown: the far end cannot read TTL (it reports 255)', hopsAmbiguous: true });
      expect(summary.clockText).toBe('(unsync)');
      expect(human!.delay!.unsync).toBe(true);
      expect(summary.reorderingPercent).toBe(0);
      expect(human!.reordering).toEqual(['no reordering']);
      expect(summary.scheduleP99Us).toBeNull();
    });
  }

  it('the "to" session has the 8.55 ms outlier and 4.7 ms jitter owping reports', () => {
    expect(formatG3(summaries[0]!.maxMs!)).toBe('8.55');
    expect(formatG3(summaries[0]!.jitterMs!)).toBe('4.7');
  });

  it('stores as protocol owping, records from the tool, no SID; one packet row per record', () => {
    const row = onewaySessionRow(7, 0, 'owping', sessions[0]!);
    expect(row.slice(0, 9)).toEqual([7, 0, 'to', 'owping', null, null, null, null, null]);
    expect(row[18]).toBe('tool');
    expect(row[10]).toBe('17198391585930044766'); // first send time stands in for the Start Time
    const packets = [...onewayPacketRows(7, 0, sessions[0]!)];
    expect(packets).toHaveLength(20);
    expect(packets[0]![3]).toBe(0);
    expect(packets[0]![4]).toBe(0);
    expect(packets.every((p) => typeof p[6] === 'number' && p[9] === 255)).toBe(true);
  });
});

describe('twping -R → SessionSummary, checked against twping\'s own summary of the same session', () => {
  const session = twpingSession(S.TWPING_RAW_SAME, { ...run, padding: 27 });
  const summary = twpingSessionSummary(session);
  const [human] = parseOwpingText(S.TWPING_TEXT_SAME);
  const [m] = parseOwpingMachine(S.TWPING_MACHINE_SAME);

  it('sent, lost, duplicates, round-trip min, median, max, jitter, hops, clock text', () => {
    expect(summary.direction).toBe('round-trip');
    expect([summary.sent, summary.lost]).toEqual([human!.sent, human!.lost]);
    expect(summary.duplicates).toBe(human!.sendDuplicates! + human!.reflectDuplicates!);
    // twping's min/max come from doubles too: the exact round trips are within the rounding of
    // four timestamps of what it prints
    for (const [ours, printed, text] of [
      [summary.minMs!, m!.values.MIN!, human!.delay!.min!],
      [summary.maxMs!, m!.values.MAX!, human!.delay!.max!],
    ] as const) {
      expect(Math.abs(ours - ms(printed)!)).toBeLessThan(ms(2 * DOUBLE_STEP)!);
      expect(Math.abs(ours - ms(text)!)).toBeLessThan(ms(2 * DOUBLE_STEP + 0.0005 * text)!);
    }
    expect(session.summary.twping.median.rtt).toBe(m!.values.MEDIAN);
    expect(summary.medianMs!).toBeLessThanOrEqual(ms(m!.values.MEDIAN!)!);
    expect(formatG3(summary.jitterMs!)).toBe(formatG3(ms(human!.jitter['two-way']!)!));
    expect(human!.hops[0]).toBe('send hops = 0 (consistently)');
    expect(summary).toMatchObject({ hops: 'send hops unknown: the far end cannot read TTL (it reports 255), reflect hops unknown: this host cannot read TTL (it reports 255)', hopsAmbiguous: true });
    // twping's quirk, reproduced: no loss → "(err=…)" even between unsynchronised clocks
    expect(summary.clockText).toBe(`(err=${formatG3(ms(human!.delay!.error)!)} ms)`);
  });

  it('stores as protocol twping, records from the tool', () => {
    const row = twampSessionRow(3, 0, session);
    expect(row.slice(0, 5)).toEqual([3, 0, 'round-trip', 'twping', null]);
    expect(row[18]).toBe('tool');
    expect(row[28]).toBeNull(); // no send-schedule error: twping does not report one
    expect(session.records.length).toBe(20);
  });
});

describe('sessions split and checked', () => {
  it('loss through a router (§23): the lost record counts, its delay is NaN', () => {
    const [to, from] = owpingSessions(NS_RAW_LOSS, { packets: 5, interval: 0.1, schedule: 'poisson', padding: 0, direction: 'both', dscp: null });
    const [sTo, sFrom] = owpingSessionSummaries([to!, from!]);
    expect(sTo).toMatchObject({ sent: 5, lost: 1, lossPercent: 20, hops: 'hops = 1 (consistently)' });
    expect(sFrom).toMatchObject({ sent: 5, lost: 0 });
    expect(Number.isNaN(to!.records.delay[4]!)).toBe(true);
    expect([...onewayPacketRows(1, 0, to!)][4]![6]).toBeNull();
  });

  it('a second session whose packet 0 was lost and printed last still splits where it starts', () => {
    const from = S.OWPING_FROM_RAW.trim().split('\n');
    const lostZero = from[0]!.replace(/^(0 \d+ 0 \S+ )\d+/, '$100000000000000000000');
    const text = `${S.OWPING_TO_RAW}${[...from.slice(1), lostZero].join('\n')}\n`;
    const sessions = owpingSessions(text, { ...run, direction: 'both', dscp: null });
    expect(sessions.map((s) => s.records.length)).toEqual([20, 20]);
    expect(owpingSessionSummaries(sessions)[1]).toMatchObject({ sent: 20, lost: 1 });
  });

  it('duplicates stay in their session', () => {
    const to = S.OWPING_TO_RAW.trim().split('\n');
    const text = `${[...to, to[3]!].join('\n')}\n${S.OWPING_FROM_RAW}`;
    const sessions = owpingSessions(text, { ...run, direction: 'both', dscp: null });
    expect(owpingSessionSummaries(sessions).map((s) => [s.sent, s.duplicates])).toEqual([[20, 1], [20, 0]]);
  });

  it('one direction: one session, named after it', () => {
    const [only] = owpingSessions(S.OWPING_FROM_RAW, { ...run, direction: 'from', dscp: 10 });
    expect(only).toMatchObject({ direction: 'from', dscp: 10 });
  });

  it('records that do not add up are refused, not guessed at', () => {
    const fails = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return (error as WorkbenchError).code;
      }
      return 'accepted';
    };
    expect(fails(() => owpingSessions(S.OWPING_TO_RAW, { ...run, direction: 'both', dscp: null }))).toBe('UNPARSEABLE_OUTPUT');
    expect(fails(() => owpingSessions(S.OWPING_TO_RAW + S.OWPING_FROM_RAW, { ...run, direction: 'to', dscp: null }))).toBe('UNPARSEABLE_OUTPUT');
    expect(fails(() => owpingSessions(S.OWPING_TO_RAW, { ...run, packets: 10, direction: 'to', dscp: null }))).toBe('UNPARSEABLE_OUTPUT');
    expect(fails(() => owpingSessions('owping: Unable to open control connection\n', { ...run, direction: 'to', dscp: null }))).toBe('UNPARSEABLE_OUTPUT');
    expect(fails(() => twpingSession('', run))).toBe('UNPARSEABLE_OUTPUT');
  });
});
