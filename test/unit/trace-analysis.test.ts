import { describe, expect, it } from 'vitest';
import { PathAssessment, type PathHop, type PathTrace } from '../../electron/shared/path.ts';
import { assessPath, mtuProfile, significantlyHigher } from '../../electron/core/measure/trace/analysis.ts';
import { parseMtrJson } from '../../electron/core/measure/trace/parse-mtr.ts';
import { parseTracepath } from '../../electron/core/measure/trace/parse-tracepath.ts';
import { parseTraceroute } from '../../electron/core/measure/trace/parse-traceroute.ts';
import { fixture, SERVER } from './trace-fixtures.ts';

/** A synthetic trace from per-hop [address or null, sent, received]. */
function trace(hops: Array<[string | null, number, number]>, reached = true): PathTrace {
  const built: PathHop[] = hops.map(([address, sent, received], i) => ({
    ttl: i + 1,
    responders: address ? [{ address, name: null, replies: received }] : [],
    probes: [],
    sent,
    received,
    lossPercent: sent > 0 ? ((sent - received) / sent) * 100 : null,
    rtt: null,
    mtu: null,
    mtuReportedBy: null,
    asymm: null,
    flags: [],
    reached: reached && i === hops.length - 1,
    note: null,
  }));
  return { format: 'mtr-json', target: null, targetAddress: null, maxHops: null, packetBytes: null, hops: built, reached, localMtu: null, pathMtu: null, hopsBack: null, problems: [] };
}

const classes = (a: PathAssessment) => a.hops.map((h) => h.lossClass);

describe('the ICMP rate-limit rule', () => {
  it('real lab run: 65 % at R2a that the server does not show is rate limiting, not loss', () => {
    const a = assessPath(parseMtrJson(fixture('linux/mtr-json-ratelimit')));
    expect(PathAssessment.safeParse(a).success).toBe(true);
    expect(classes(a)).toEqual(['none', 'icmpRateLimited', 'none']);
    expect(a.hops[1]).toMatchObject({ lossPercent: 65, forwardLossPercent: 0, rateLimitedPercent: 65, lossStartsHere: false });
    expect(a.lossStartsAtTtl).toBeNull();
    expect(a.rateLimitedTtls).toEqual([2]);
    expect(a.destinationLossPercent).toBe(0);
  });

  it('real lab run: 30 % dropped by R1 shows from hop 2 to the server: real loss, starting at hop 2 (sampling noise does not start it twice)', () => {
    const a = assessPath(parseMtrJson(fixture('linux/mtr-json-forward-loss')));
    expect(classes(a)).toEqual(['none', 'forwardingLoss', 'forwardingLoss']);
    expect(a.lossStartsAtTtl).toBe(2);
    expect(a.hops.map((h) => h.lossStartsHere)).toEqual([false, true, false]);
    expect(a.hops[1]?.forwardLossPercent).toBeGreaterThan(10);
  });

  it('traceroute: loss at hop 2 only (5 of 10) is rate limiting', () => {
    const a = assessPath(parseTraceroute(fixture('linux/traceroute-ratelimit')));
    expect(classes(a)).toEqual(['none', 'icmpRateLimited', 'none']);
  });

  it('a silent router is "noReply", never loss', () => {
    const a = assessPath(parseTraceroute(fixture('linux/traceroute-silent-hop')));
    expect(classes(a)).toEqual(['noReply', 'none', 'none']);
    expect(a.silentTtls).toEqual([1]);
    expect(a.lossStartsAtTtl).toBeNull();
  });

  it('forward loss is the smallest loss at or after a hop; the excess is rate limiting', () => {
    const a = assessPath(trace([['a', 100, 100], ['b', 100, 40], ['c', 100, 80], ['d', 100, 90], ['e', 100, 90]]));
    expect(classes(a)).toEqual(['none', 'forwardingLoss', 'forwardingLoss', 'forwardingLoss', 'forwardingLoss']);
    expect(a.hops.map((h) => h.forwardLossPercent)).toEqual([0, 10, 10, 10, 10]);
    expect(a.hops[1]?.rateLimitedPercent).toBe(50);
    expect(a.lossStartsAtTtl).toBe(2);
  });

  it('loss that grows significantly further on starts again there', () => {
    const a = assessPath(trace([['a', 200, 200], ['b', 200, 180], ['c', 200, 120], ['d', 200, 120]]));
    expect(a.hops.map((h) => h.lossStartsHere)).toEqual([false, true, true, false]);
    expect(a.lossStartsAtTtl).toBe(2);
  });

  it('loss at the last answering hop of an unreached trace cannot be judged', () => {
    const a = assessPath(trace([['a', 10, 10], ['b', 10, 5], [null, 10, 0]], false));
    expect(classes(a)).toEqual(['none', 'unverified', 'noReply']);
    expect(a.caveats.join(' ')).toMatch(/did not answer; loss is judged only up to hop 2/);
  });

  it('loss at the destination itself is real, and UDP probes get the rate-limit caveat', () => {
    const a = assessPath(trace([['a', 10, 10], ['b', 10, 7]]), { method: 'udp' });
    expect(classes(a)).toEqual(['none', 'forwardingLoss']);
    expect(a.caveats.join(' ')).toMatch(/port unreachable/);
    expect(assessPath(trace([['a', 10, 10], ['b', 10, 7]]), { method: 'icmp' }).caveats).toEqual([]);
  });

  it('unreachable flags and ECMP caveats', () => {
    const a = assessPath(parseTraceroute(fixture('linux/traceroute-host-unreachable')));
    expect(a.hops[2]?.unreachable).toBe('!H');
    expect(a.reached).toBe(false);
    expect(assessPath(parseTraceroute(fixture('linux/traceroute-tcp-ecmp'))).caveats.join(' ')).toMatch(/several addresses/);
  });

  it('significance of a loss increase', () => {
    expect(significantlyHigher(26.7, 30, 33.3, 30)).toBe(false);
    expect(significantlyHigher(0, 100, 30, 100)).toBe(true);
    expect(significantlyHigher(10, 200, 40, 200)).toBe(true);
    expect(significantlyHigher(10, 3, 10.2, 3)).toBe(false);
  });
});

describe('MTU along the path', () => {
  it('tracepath: 1500 → 1400 on the link into hop 3, reported by R2a (hop 2)', () => {
    const mtu = mtuProfile(parseTracepath(fixture('linux/tracepath-mtu-1400'), { targetAddress: SERVER }));
    expect(mtu).toEqual({
      initial: 1500,
      final: 1400,
      drops: [{ ttl: 3, fromMtu: 1500, toMtu: 1400, afterTtl: 2, afterAddress: '198.18.2.2', reportedBy: '198.18.2.2' }],
    });
  });

  it('traceroute --mtu agrees with tracepath', () => {
    const mtu = mtuProfile(parseTraceroute(fixture('linux/traceroute-mtu-1400')));
    expect(mtu.initial).toBe(1500);
    expect(mtu.final).toBe(1400);
    expect(mtu.drops).toEqual([{ ttl: 3, fromMtu: 1500, toMtu: 1400, afterTtl: 2, afterAddress: '198.18.2.2', reportedBy: null }]);
  });

  it('BSD "!F-1400" is a drop even with no MTU known before it', () => {
    const mtu = mtuProfile(parseTraceroute(fixture('macos/traceroute-frag')));
    expect(mtu.drops).toEqual([{ ttl: 3, fromMtu: null, toMtu: 1400, afterTtl: 2, afterAddress: '198.51.100.1', reportedBy: '198.51.100.1' }]);
  });

  it('no drop on a clean path', () => {
    expect(mtuProfile(parseTracepath(fixture('linux/tracepath-3hop'), { targetAddress: SERVER }))).toEqual({ initial: 1500, final: 1500, drops: [] });
  });
});
