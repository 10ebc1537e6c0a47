import { describe, expect, it } from 'vitest';
import type { HopAssessment, PathDiff } from '../../electron/shared/path.ts';
import { describeFlag, formatMs, formatPercent, lossText, mtuDropText } from '../../renderer/src/features/path/format.ts';
import { describeDiff, describeHopChange, letter, routeLetters, sameRoute } from '../../renderer/src/features/path/routes.ts';
import { fixtureTrace } from './path-fixtures.ts';

const a = (patch: Partial<HopAssessment>): HopAssessment => ({ ttl: 2, lossClass: 'none', lossPercent: 0, forwardLossPercent: 0, rateLimitedPercent: 0, lossStartsHere: false, unreachable: null, ...patch });

describe('path text', () => {
  it('formats RTTs and shares as people read them', () => {
    expect(formatMs(0.0123)).toBe('0.012 ms');
    expect(formatMs(4.567)).toBe('4.57 ms');
    expect(formatMs(48.25)).toBe('48.3 ms');
    expect(formatMs(null)).toBe('—');
    expect(formatPercent(30)).toBe('30 %');
    expect(formatPercent(43.333)).toBe('43 %');
    expect(formatPercent(2.5)).toBe('2.5 %');
  });

  it('says rate limiting is not loss, and splits forwarding loss from its rate-limited part', () => {
    const hop = fixtureTrace('linux/traceroute-ratelimit.txt').hops[1];
    if (!hop) throw new Error('fixture');
    expect(lossText(a({ lossClass: 'icmpRateLimited', lossPercent: 50, forwardLossPercent: 0, rateLimitedPercent: 50 }), hop)).toBe('50 % rate-limited — not real loss');
    expect(lossText(a({ lossClass: 'forwardingLoss', lossPercent: 50, forwardLossPercent: 10, rateLimitedPercent: 40 }), hop)).toBe('10 % loss (+40 % rate-limited)');
    expect(lossText(a({ lossClass: 'noReply' }), hop)).toMatch(/silent router, not loss/);
    expect(lossText(a({ lossClass: 'unverified', lossPercent: 40 }), hop)).toMatch(/unverified/);
    expect(lossText(null, hop)).toBe('50 %');
  });

  it('names unreachable flags and MTU drops', () => {
    expect(describeFlag('!H')).toBe('host unreachable');
    expect(describeFlag('!F-1400')).toBe('fragmentation needed (MTU 1400)');
    expect(describeFlag('!<10>')).toBe('ICMP unreachable code 10');
    expect(mtuDropText({ ttl: 3, fromMtu: 1500, toMtu: 1400, afterTtl: 2, afterAddress: '198.18.2.2', reportedBy: null })).toBe('MTU 1500 → 1400 bytes on the link from hop 2 (198.18.2.2) to hop 3');
  });
});

describe('routes of a history', () => {
  const A = '198.18.1.1 > 198.18.2.2 > 198.18.9.1';
  it('treats * as unknown and ECMP sets as the same route when they overlap', () => {
    expect(sameRoute(A, '* > 198.18.2.2 > 198.18.9.1')).toBe(true);
    expect(sameRoute(A, '198.18.1.1 > 198.18.2.2,198.18.4.2 > 198.18.9.1')).toBe(true);
    expect(sameRoute(A, '198.18.1.1 > 198.18.4.2 > 198.18.9.1')).toBe(false);
    expect(sameRoute(A, '198.18.1.1 > 198.18.2.2 > ?')).toBe(false);
    expect(sameRoute('198.18.1.1 > 198.18.2.2!H > ?', '198.18.1.1 > 198.18.2.2 > ?')).toBe(false);
  });

  it('letters the distinct routes: A, B, back to A', () => {
    expect(routeLetters([{ key: A }, { key: '198.18.1.1 > 198.18.4.2 > 198.18.9.1' }, { key: A }])).toEqual(['A', 'B', 'A']);
    expect([letter(0), letter(25), letter(26), letter(27)]).toEqual(['A', 'Z', 'AA', 'AB']);
  });

  it('describes a change hop by hop', () => {
    const diff: PathDiff = {
      same: false, kind: 'route', firstChangedTtl: 2,
      hops: [
        { ttl: 1, before: ['198.18.1.1'], after: ['198.18.1.1'], status: 'same' },
        { ttl: 2, before: ['198.18.2.2'], after: ['198.18.4.2'], status: 'changed' },
        { ttl: 3, before: null, after: ['198.18.9.1'], status: 'added' },
      ],
      lengthBefore: 2, lengthAfter: 3, reachedBefore: false, reachedAfter: true,
    };
    expect(describeDiff(diff)).toBe('route changed at hops 2, 3; 2 → 3 hops; the destination answers again');
    expect(diff.hops.map(describeHopChange)).toEqual(['hop 1: 198.18.1.1', 'hop 2: 198.18.2.2 → 198.18.4.2', 'hop 3 added: 198.18.9.1']);
  });
});
