import type { Store } from '../../electron/core/store/index.ts';
import type { Verdict } from '../../electron/shared/diagnosis.ts';

/** A finished diagnosis of a host whose verdict expects `expected` bit/s (a window limit), as the diagnosis stores it. */
export function storeDiagnosis(store: Store, host: string, finishedAt: number, expected: number): number {
  const id = store.diagnoses.create(host, null, { via: [], targetBitsPerSecond: 1e9, depth: 'quick' }, finishedAt - 60_000);
  const verdict: Verdict = {
    class: 'host-limited',
    side: 'local-host',
    direction: 'upload',
    headline: `The TCP window caps this path near ${expected / 1e6} Mbit/s.`,
    confidence: 0.8,
    measuredBitsPerSecond: expected * 0.95,
    targetBitsPerSecond: 1e9,
    ceilings: { capacity: null, window: expected, mathis: null, expected },
    segment: null,
    alsoFound: [],
    evidence: [],
    nextSteps: [],
  };
  store.diagnoses.finish(id, 'finished', verdict, [], null, finishedAt);
  return id;
}
