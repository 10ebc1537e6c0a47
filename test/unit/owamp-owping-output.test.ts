import { describe, expect, it } from 'vitest';
import { owpingRawToLog, parseOwpingMachine, parseOwpingRaw, parseOwpingText, parseTwpingRaw, twpingRawToLog } from '../../electron/core/measure/oneway/owping-output.ts';
import { summarizeOneWay } from '../../electron/core/measure/oneway/stats.ts';
import { summarizeRoundTrip } from '../../electron/core/measure/twamp/stats.ts';
import * as S from './owamp-owping-samples.ts';

describe('owping -M (machine summary)', () => {
  it('reads both sessions of a default run (§02)', () => {
    const sessions = parseOwpingMachine(S.MACHINE_BOTH);
    expect(sessions).toHaveLength(2);
    const [to, from] = sessions;
    expect(to!.twoWay).toBe(false);
    expect(to!.sid).toBe('7f000001eeacd24dc90e66cb8fcb1998');
    expect(to!.from).toEqual({ host: 'localhost', address: '127.0.0.1', port: 9187 });
    expect(to!.startTime).toBe(17198352313389005470n);
    expect(to!.lossTimeout).toBe(8595110028n);
    expect(to).toMatchObject({ dscp: 0, paddingLength: 0, sessionPacketCount: 100, sent: 100, lost: 0, synchronized: false, finished: true });
    expect(to!.values.MIN).toBe(3.19481e-5);
    expect(to!.values.MAXERR).toBe(4.65661e-10);
    expect(to!.buckets).toEqual([[1, 91], [2, 9]]);
    expect(to!.ttlBuckets).toEqual([[255, 100]]);
    expect(to!.reordering).toEqual([[1, 0]]);
    expect(from!.buckets).toEqual([[1, 93], [2, 6], [19, 1]]);
  });

  it('reads twping -M with per-direction keys and four-column buckets (§07)', () => {
    const [session] = parseOwpingMachine(S.TWPING_MACHINE);
    expect(session!.twoWay).toBe(true);
    expect(session!.paddingLength).toBe(27);
    expect(session!.values).toMatchObject({ MIN_FWD: 1.4782e-5, MAX_PROC: 2.09808e-5, DUPS_BCK: 0, MAXERR_FWD: 4.65661e-10 });
    expect(session!.buckets[0]).toEqual([1, 79, 94, 100]);
    expect(session!.ttlBuckets).toEqual([[255, 100, 100]]);
  });

  it('leaves out keys owping omits (no PDV with heavy loss, §26)', () => {
    const [session] = parseOwpingMachine(S.NS_TWPING_MACHINE_LOSS);
    expect(session!.lost).toBe(14);
    expect('PDV' in session!.values).toBe(false);
    expect(session!.values.MINTTL_FWD).toBe(254);
  });

  it('ignores text outside SUMMARY blocks and junk lines', () => {
    expect(parseOwpingMachine('garbage\n\tmore\n')).toEqual([]);
    const [session] = parseOwpingMachine('SUMMARY\t3.00\nSENT\tabc\nLOST\t3\n<BUCKETS>\n\tx\ty\n\t1\t2\n</BUCKETS>\n');
    expect(session!.sent).toBeNull();
    expect(session!.lost).toBe(3);
    expect(session!.buckets).toEqual([[1, 2]]);
  });
});

describe('owping -R (raw records)', () => {
  it('splits back-to-back sessions where the sequence restarts (§03)', () => {
    const sessions = parseOwpingRaw(S.RAW_BOTH);
    expect(sessions.map((s) => s.length)).toEqual([10, 10]);
    expect(sessions[0]![0]).toEqual({
      seq: 0,
      sendTime: 17198352371217905871n,
      sendSync: false,
      sendError: 2.32831e-10,
      recvTime: 17198352371218361138n,
      recvSync: false,
      recvError: 2.32831e-10,
      ttl: 255,
    });
  });

  it('feeds our statistics: lost record and hops through a router (§23)', () => {
    const [to, from] = parseOwpingRaw(S.NS_RAW_LOSS);
    const summary = summarizeOneWay(owpingRawToLog(to!));
    expect(summary).toMatchObject({ sent: 5, lost: 1, duplicates: 0 });
    expect(summary.hops.text).toBe('hops = 1 (consistently)');
    expect(summary.owping.clockText).toBe('(unsync)');
    // owping prints 2^-32 s as "2.32831e-10" (rounded up): still a multiplier of 1, MAXERR 4.65661e-10
    expect(summary.owping.maxError).toBe(2 * 2 ** -32);
    expect(summarizeOneWay(owpingRawToLog(from!)).lost).toBe(0);
  });

  it('reads twping -R and computes twping-style round trips (§08)', () => {
    const records = parseTwpingRaw(S.TWPING_RAW);
    expect(records).toHaveLength(10);
    const summary = summarizeRoundTrip(twpingRawToLog(records));
    expect(summary).toMatchObject({ sent: 10, lost: 0, sendDuplicates: 0, reflectDuplicates: 0 });
    // record 0: (t4 − t1) − (t3 − t2) from the printed 64-bit times
    const r = records[0]!;
    const rtt = Number(r.reflected.recvTime - r.sent.sendTime - (r.reflected.sendTime - r.sent.recvTime)) / 2 ** 32;
    expect(summary.rtt.min).toBeLessThanOrEqual(rtt);
    // twping on one host: every Sender TTL is 255, which RFC 5357 also uses for "not read"
    expect(summary.hops.send).toMatchObject({ text: 'send hops unknown: the far end cannot read TTL (it reports 255)', ambiguous: true });
  });

  it('counts twping lost records and hops each way (§24)', () => {
    const summary = summarizeRoundTrip(twpingRawToLog(parseTwpingRaw(S.NS_TWPING_RAW_LOSS)));
    expect(summary).toMatchObject({ sent: 40, lost: 2, sendDuplicates: 0, reflectDuplicates: 0 });
    expect(summary.hops.send.text).toBe('send hops = 1 (consistently)');
    expect(summary.hops.reflect.text).toBe('reflect hops = 1 (consistently)');
    expect(summary.twping.clockText).toBe('(unsync)');
  });

  it('skips malformed raw lines', () => {
    expect(parseOwpingRaw('1 2 3\nx 1 0 1e-9 2 0 1e-9 255\n0 99999999999999999999999 0 1 1 0 1 255\n')).toEqual([]);
  });
});

describe('owping text summary', () => {
  it('reads both blocks of a default run, in seconds (§01)', () => {
    const [to, from] = parseOwpingText(S.TEXT_BOTH);
    expect(to).toMatchObject({ tool: 'owping', sid: '7f000001eeacd230f71ee243f55f66d0', sent: 100, lost: 0, lossPercent: 0, duplicates: 0 });
    expect(to!.from).toEqual({ host: 'localhost', port: 9305 });
    expect(to!.delay!.min).toBeCloseTo(2.77e-5, 12);
    expect(to!.delay!.median).toBeCloseTo(1e-4, 12);
    expect(to!.delay!.unsync).toBe(true);
    expect(to!.jitter['one-way']).toBeCloseTo(1e-4, 12);
    expect(to!.hops).toEqual(['hops = 0 (consistently)']);
    expect(to!.reordering).toEqual(['no reordering']);
    expect(from!.delay!.max).toBeCloseTo(9.23e-4, 12);
  });

  it('reads percentiles and microsecond units (§04, §05)', () => {
    expect(parseOwpingText(S.TEXT_PERCENTILES)[0]!.percentiles).toEqual({ '99.0': 0.0002 });
    const blocks = parseOwpingText(S.TEXT_VERBOSE);
    const summary = blocks[blocks.length - 1]!;
    expect(summary.sent).toBe(10);
    expect(summary.delay!.min).toBeCloseTo(53.9e-6, 12);
  });

  it('reads twping: round trip with err, send/reflect times, processing, three jitters (§06)', () => {
    const [block] = parseOwpingText(S.TWPING_TEXT);
    expect(block).toMatchObject({ tool: 'twping', sendDuplicates: 0, reflectDuplicates: 0 });
    expect(block!.delay!.error).toBeCloseTo(9.31e-10, 15);
    expect(block!.delay!.unsync).toBe(false);
    expect(block!.sendTime!.min).toBeCloseTo(3.72e-5, 12);
    expect(block!.processing!.max).toBeCloseTo(2.38e-5, 12);
    expect(Object.keys(block!.jitter)).toEqual(['two-way', 'send', 'reflect']);
    expect(block!.hops).toEqual(['send hops = 0 (consistently)', 'reflect hops = 0 (consistently)']);
  });

  it('turns "nan" into null and keeps loss (§20, §22)', () => {
    const [, from] = parseOwpingText(S.NS_TEXT_LOSS);
    expect(from).toMatchObject({ sent: 100, lost: 6, lossPercent: 6 });
    expect(from!.jitter['one-way']).toBeNull();
    const [tw] = parseOwpingText(S.NS_TWPING_TEXT_LOSS);
    expect(tw!.lost).toBe(15);
    expect(tw!.delay!.unsync).toBe(true);
    expect(tw!.jitter).toEqual({ 'two-way': null, send: null, reflect: null });
  });
});
