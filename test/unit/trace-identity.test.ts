import { describe, expect, it } from 'vitest';
import { PathDiff, PathHistory } from '../../electron/shared/path.ts';
import { detectPathChanges, diffPaths, fingerprintOfKey, pathFingerprint, pathKey, routeFingerprint, type PathLike } from '../../electron/core/measure/trace/identity.ts';
import { parseMtrJson } from '../../electron/core/measure/trace/parse-mtr.ts';
import { parseTracepath } from '../../electron/core/measure/trace/parse-tracepath.ts';
import { parseTraceroute } from '../../electron/core/measure/trace/parse-traceroute.ts';
import { fixture, SERVER, SERVER6 } from './trace-fixtures.ts';

const tr = (name: string) => parseTraceroute(fixture(`linux/${name}`));

function path(hops: Array<string[] | string>, reached = true): PathLike {
  return {
    reached,
    hops: hops.map((h, i) => {
      const list = Array.isArray(h) ? h : h === '*' ? [] : [h];
      return { ttl: i + 1, responders: list.map((address) => ({ address })), flags: [], reached: reached && i === hops.length - 1 };
    }),
  };
}

describe('path key and fingerprint', () => {
  it('the key is readable; the fingerprint is 16 hex digits of it', () => {
    const udp = tr('traceroute-udp-3hop');
    expect(pathKey(udp)).toBe(`198.18.1.1 > 198.18.2.2 > ${SERVER}`);
    expect(pathFingerprint(udp)).toBe(fingerprintOfKey(pathKey(udp)));
    expect(pathFingerprint(udp)).toMatch(/^[0-9a-f]{16}$/);
  });

  it('one route, one fingerprint, whatever the tool or probe method', () => {
    const fingerprints = new Set([
      pathFingerprint(tr('traceroute-udp-3hop')),
      pathFingerprint(tr('traceroute-icmp-3hop')),
      pathFingerprint(tr('traceroute-tcp-3hop')),
      pathFingerprint(tr('traceroute-paris-udp')),
      pathFingerprint(parseTracepath(fixture('linux/tracepath-3hop'), { targetAddress: SERVER })),
      pathFingerprint(parseMtrJson(fixture('linux/mtr-json-3hop'))),
    ]);
    expect(fingerprints.size).toBe(1);
    expect(pathFingerprint(tr('traceroute-udp-ipv6'))).toBe(pathFingerprint(parseTracepath(fixture('linux/tracepath-ipv6'), { targetAddress: SERVER6 })));
  });

  it('different route, different fingerprint', () => {
    expect(pathFingerprint(tr('traceroute-udp-route-b'))).not.toBe(pathFingerprint(tr('traceroute-udp-3hop')));
  });

  it('"*" hops: kept in place, trailing ones dropped, an unreached path ends in "?"', () => {
    expect(pathKey(tr('traceroute-silent-hop'))).toBe(`* > 198.18.2.2 > ${SERVER}`);
    expect(pathKey(tr('traceroute-max-hops'))).toBe('198.18.1.1 > 198.18.2.2 > ?');
    expect(pathKey(tr('traceroute-host-unreachable'))).toBe('198.18.1.1 > 198.18.2.2 > 198.18.2.2!H > ?');
    expect(pathKey(tr('traceroute-tcp-ecmp'))).toBe(`198.18.1.1 > 198.18.2.2,198.18.4.2 > ${SERVER}`);
    // the strict fingerprint tells a silent hop apart; the comparison below does not
    expect(pathFingerprint(tr('traceroute-silent-hop'))).not.toBe(pathFingerprint(tr('traceroute-udp-3hop')));
  });

  it('TTLs a tool never printed count as "*"', () => {
    expect(pathKey({ reached: true, hops: [{ ttl: 1, responders: [{ address: 'a' }], flags: [], reached: false }, { ttl: 3, responders: [{ address: 'c' }], flags: [], reached: true }] })).toBe('a > * > c');
  });
});

describe('diffPaths', () => {
  it('the route change: hop 2 changed, the rest the same', () => {
    const diff = diffPaths(tr('traceroute-udp-3hop'), tr('traceroute-udp-route-b'));
    expect(PathDiff.safeParse(diff).success).toBe(true);
    expect(diff).toMatchObject({ same: false, kind: 'route', firstChangedTtl: 2, lengthBefore: 3, lengthAfter: 3 });
    expect(diff.hops.map((h) => h.status)).toEqual(['same', 'changed', 'same']);
    expect(diff.hops[1]).toEqual({ ttl: 2, before: ['198.18.2.2'], after: ['198.18.4.2'], status: 'changed' });
  });

  it('a "*" is unknown, not a change', () => {
    const diff = diffPaths(tr('traceroute-udp-3hop'), tr('traceroute-silent-hop'));
    expect(diff.same).toBe(true);
    expect(diff.hops.map((h) => h.status)).toEqual(['unknown', 'same', 'same']);
  });

  it('ECMP: overlapping responder sets are the same hop', () => {
    expect(diffPaths(tr('traceroute-tcp-ecmp'), tr('traceroute-tcp-paris-ecmp')).same).toBe(true);
    expect(diffPaths(path(['a', ['b1', 'b2'], 'c']), path(['a', ['b3'], 'c'])).kind).toBe('route');
  });

  it('the destination stopped answering: a reachability change, not a route change', () => {
    const diff = diffPaths(tr('traceroute-udp-3hop'), tr('traceroute-max-hops'));
    expect(diff).toMatchObject({ same: false, kind: 'reachability', firstChangedTtl: null, reachedBefore: true, reachedAfter: false });
    expect(diff.hops[2]?.status).toBe('unknown');
  });

  it('a longer or shorter reached path is a route change', () => {
    const diff = diffPaths(path(['a', 'b', 'c']), path(['a', 'b', 'x', 'c']));
    expect(diff.kind).toBe('route');
    expect(diff.firstChangedTtl).toBe(3);
    expect(diff.hops[3]).toEqual({ ttl: 4, before: null, after: ['c'], status: 'added' });
    expect(diffPaths(path(['a', 'b', 'x', 'c']), path(['a', 'b', 'c'])).hops[3]?.status).toBe('removed');
  });

  it('a router that starts answering "!H" is a change', () => {
    const diff = diffPaths(tr('traceroute-udp-3hop'), tr('traceroute-host-unreachable'));
    expect(diff.kind).toBe('route');
    expect(diff.firstChangedTtl).toBe(3);
  });
});

describe('detectPathChanges', () => {
  const at = (minutes: number) => Date.UTC(2026, 0, 1, 12, minutes);

  it('a sequence of lab runs: one change out and one back, "*" runs never split a segment', () => {
    const runs = [
      { runId: 1, at: at(0), path: tr('traceroute-udp-3hop') },
      { runId: 2, at: at(10), path: tr('traceroute-silent-hop') },
      { runId: 3, at: at(20), path: tr('traceroute-icmp-3hop') },
      { runId: 4, at: at(30), path: tr('traceroute-udp-route-b') },
      { runId: 5, at: at(40), path: tr('traceroute-udp-route-b') },
      { runId: 6, at: at(50), path: tr('traceroute-tcp-3hop') },
    ];
    const history = detectPathChanges([...runs].reverse()); // order of input does not matter
    expect(PathHistory.safeParse(history).success).toBe(true);
    expect(history.changes.map((c) => [c.runId, c.previousRunId, c.diff.firstChangedTtl, c.at])).toEqual([
      [4, 3, 2, at(30)],
      [6, 5, 2, at(50)],
    ]);
    expect(history.changes[0]?.diff.hops[1]).toMatchObject({ before: ['198.18.2.2'], after: ['198.18.4.2'] });
    expect(history.segments.map((s) => [s.firstRunId, s.lastRunId, s.runs])).toEqual([
      [1, 3, 3],
      [4, 5, 2],
      [6, 6, 1],
    ]);
    expect(history.distinctPaths).toBe(2);
    expect(history.changes[0]?.fromFingerprint).toBe(pathFingerprint(tr('traceroute-udp-3hop')));
    expect(history.changes[0]?.toFingerprint).toBe(pathFingerprint(tr('traceroute-udp-route-b')));
  });

  it('a segment fills its "*" hops from its other runs', () => {
    const history = detectPathChanges([
      { runId: 1, at: 1, path: tr('traceroute-silent-hop') },
      { runId: 2, at: 2, path: tr('traceroute-udp-3hop') },
    ]);
    expect(history.changes).toEqual([]);
    expect(history.segments[0]?.key).toBe(`198.18.1.1 > 198.18.2.2 > ${SERVER}`);
  });

  it('a change with no changed hop is not reported: the destination stopped answering, a "!H" appeared', () => {
    const reached = path(['a', 'b', 'c']);
    const stopped = path(['a', 'b'], false);
    const history = detectPathChanges([reached, stopped, reached].map((p, i) => ({ runId: i + 1, at: i, path: p })));
    expect(history.changes).toEqual([]);
    expect(history.distinctPaths).toBe(1);
    expect(history.segments).toHaveLength(1);
    const unreachable: PathLike = { reached: false, hops: [...path(['a', 'b']).hops.map((h) => ({ ...h, reached: false })), { ttl: 3, responders: [{ address: 'c' }], flags: ['!H'], reached: false }] };
    expect(detectPathChanges([{ at: 1, path: reached }, { at: 2, path: unreachable }]).changes).toEqual([]);
  });

  it('nothing to compare', () => {
    expect(detectPathChanges([])).toEqual({ changes: [], segments: [], distinctPaths: 0 });
    expect(detectPathChanges([{ at: 5, path: path(['a']) }]).segments[0]).toMatchObject({ runs: 1, firstRunId: null });
  });

  it('flapping between two paths: every flip is a change, two distinct paths', () => {
    const a = path(['r1', 'r2', 'd']);
    const b = path(['r1', 'r3', 'd']);
    const history = detectPathChanges([a, b, a, b, a].map((p, i) => ({ runId: i + 1, at: i, path: p })));
    expect(history.changes.map((c) => c.runId)).toEqual([2, 3, 4, 5]);
    expect(history.distinctPaths).toBe(2);
  });
});

describe('routeFingerprint (what runs.path_fingerprint records)', () => {
  it('keeps the previous route when only "*" hops or ECMP members differ, changes on a real route change', () => {
    const full = tr('traceroute-udp-3hop');
    const previous = { path: full, fingerprint: 'aaaaaaaaaaaaaaaa' };
    expect(routeFingerprint(tr('traceroute-silent-hop'), previous)).toBe('aaaaaaaaaaaaaaaa');
    expect(routeFingerprint(tr('traceroute-icmp-3hop'), previous)).toBe('aaaaaaaaaaaaaaaa');
    expect(routeFingerprint(tr('traceroute-udp-route-b'), previous)).toBe(pathFingerprint(tr('traceroute-udp-route-b')));
    expect(routeFingerprint(tr('traceroute-max-hops'), previous)).toBe(pathFingerprint(tr('traceroute-max-hops')));
    expect(routeFingerprint(full, null)).toBe(pathFingerprint(full));
  });
});
