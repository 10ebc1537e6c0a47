import { assessPath } from '../../electron/core/measure/trace/analysis.ts';
import { parsePath } from '../../electron/core/measure/trace/parse.ts';
import { PathHistoryResult, type PathDiff, type PathHop, type PathTrace } from '../../electron/shared/path.ts';

/**
 * The committed trace fixtures as text (vite's raw import: these tests run without node types),
 * and a paths.history answer built from them, checked against the contract so it cannot drift.
 */
export const FIXTURES = import.meta.glob<string>('../fixtures/trace/**/*.txt', { query: '?raw', import: 'default', eager: true });

export function fixtureText(name: string): string {
  const text = FIXTURES[`../fixtures/trace/${name}`];
  if (text === undefined) throw new Error(`no fixture ${name}`);
  return text;
}

export function fixtureTrace(name: string): PathTrace {
  return parsePath(fixtureText(name));
}

/** The trace fixtures (not ping output), by name. */
export function traceFixtureNames(): string[] {
  return Object.keys(FIXTURES)
    .map((k) => k.replace('../fixtures/trace/', ''))
    .filter((k) => /\/(traceroute|tracepath|mtr|tracert)/.test(k));
}

export const T0 = Date.parse('2026-10-01T00:00:00Z');
export const HOUR = 3_600_000;

const diff = (before: string, after: string): PathDiff => ({
  same: false,
  kind: 'route',
  firstChangedTtl: 2,
  hops: [
    { ttl: 1, before: ['198.18.1.1'], after: ['198.18.1.1'], status: 'same' },
    { ttl: 2, before: [before], after: [after], status: 'changed' },
    { ttl: 3, before: ['198.18.9.1'], after: ['198.18.9.1'], status: 'same' },
  ],
  lengthBefore: 3,
  lengthAfter: 3,
  reachedBefore: true,
  reachedAfter: true,
});

const A = '198.18.1.1 > 198.18.2.2 > 198.18.9.1';
const B = '198.18.1.1 > 198.18.4.2 > 198.18.9.1';

/**
 * Seven traces to one target, an hour apart: the baseline twice, rate limiting at hop 2, route B
 * twice (the change at run 4), 30 % forwarding loss from hop 2 on the baseline (the change back at
 * run 6), then a silent hop 1 (no change). What the core's detectPathChanges gives for them.
 */
export const HISTORY_FIXTURES = [
  'linux/traceroute-udp-3hop.txt',
  'linux/traceroute-udp-3hop.txt',
  'linux/traceroute-ratelimit.txt',
  'linux/traceroute-udp-route-b.txt',
  'linux/traceroute-udp-route-b.txt',
  'linux/mtr-json-forward-loss.txt',
  'linux/traceroute-silent-hop.txt',
];

export function historyResult(): PathHistoryResult {
  const runs = HISTORY_FIXTURES.map((name, i) => {
    const trace = fixtureTrace(name);
    return { runId: i + 1, at: T0 + i * HOUR, reached: trace.reached, fingerprint: `fp-${i < 3 || i > 4 ? 'a' : 'b'}`, hops: trace.hops as PathHop[], assessment: assessPath(trace).hops };
  });
  return PathHistoryResult.parse({
    runs,
    history: {
      changes: [
        { runId: 4, at: T0 + 3 * HOUR, previousRunId: 3, fromFingerprint: 'fp-a', toFingerprint: 'fp-b', diff: diff('198.18.2.2', '198.18.4.2') },
        { runId: 6, at: T0 + 5 * HOUR, previousRunId: 5, fromFingerprint: 'fp-b', toFingerprint: 'fp-a', diff: diff('198.18.4.2', '198.18.2.2') },
      ],
      segments: [
        { fingerprint: 'fp-a', key: A, firstRunId: 1, lastRunId: 3, firstAt: T0, lastAt: T0 + 2 * HOUR, runs: 3 },
        { fingerprint: 'fp-b', key: B, firstRunId: 4, lastRunId: 5, firstAt: T0 + 3 * HOUR, lastAt: T0 + 4 * HOUR, runs: 2 },
        { fingerprint: 'fp-a', key: A, firstRunId: 6, lastRunId: 7, firstAt: T0 + 5 * HOUR, lastAt: T0 + 6 * HOUR, runs: 2 },
      ],
      distinctPaths: 2,
    },
  });
}
