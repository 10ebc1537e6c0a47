import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pathChangeBefore } from '../../../electron/core/diagnose/runner.ts';
import { rulePathChange } from '../../../electron/core/diagnose/rules.ts';
import { assessPath } from '../../../electron/core/measure/trace/analysis.ts';
import { pathFingerprint, pathKey } from '../../../electron/core/measure/trace/identity.ts';
import { parseTracepath } from '../../../electron/core/measure/trace/parse-tracepath.ts';
import { parseTraceroute } from '../../../electron/core/measure/trace/parse-traceroute.ts';
import type { TraceResult } from '../../../electron/core/measure/trace/run.ts';
import { Store } from '../../../electron/core/store/index.ts';
import { tempDir } from '../../helpers/tmp.ts';

const LINUX = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'trace', 'linux');
const HOST = 'far.example';

/** A recorded traceroute/tracepath output, parsed as the trace method parses it. */
function recorded(name: string): TraceResult {
  const text = readFileSync(join(LINUX, `${name}.txt`), 'utf8');
  const tracepath = name.startsWith('tracepath');
  const trace = tracepath ? parseTracepath(text, { targetAddress: '198.18.9.1' }) : parseTraceroute(text);
  return { tool: tracepath ? 'tracepath' : 'traceroute', method: 'udp', paris: false, trace, assessment: assessPath(trace), fingerprint: pathFingerprint(trace), pathKey: pathKey(trace) };
}

let dir: ReturnType<typeof tempDir>;
let store: Store;
let clock = 1_700_000_000_000;

/** A finished run of `kind` to HOST over `family`, stored as the trace and mtu methods store it. */
function stored(kind: 'trace' | 'mtu', family: '4' | '6', fixture: string): number {
  const result = recorded(fixture);
  clock += 60_000;
  const id = store.runs.create({ kind, host: HOST, port: null, family, options: {}, now: clock });
  store.runs.finish(id, { status: 'succeeded', error: null, summary: null, stdout: '', stderr: '', now: clock + 5_000, family, pathFingerprint: result.fingerprint }, () => store.paths.insertTrace(id, clock, result));
  return id;
}

beforeEach(() => {
  dir = tempDir('psw-path-change-');
  store = new Store(dir.file('db.sqlite'));
});
afterEach(() => {
  store.close();
  dir.remove();
});

describe('route change before a diagnosis trace', () => {
  it('compares each family only with its own previous trace, never with an mtu run', () => {
    stored('trace', '4', 'traceroute-udp-3hop');
    const v6 = stored('trace', '6', 'traceroute-udp-ipv6');
    // A dual-stack diagnosis: its IPv4 trace follows the IPv6 one of the previous diagnosis.
    const v4 = stored('trace', '4', 'traceroute-udp-3hop');
    expect(pathChangeBefore(store, v4)).toBeNull();
    // The tracepath inside an mtu run saw another path (hop 3 answers as 198.18.2.2): not a route measurement.
    stored('mtu', '4', 'tracepath-mtu-1400');
    expect(pathChangeBefore(store, stored('trace', '6', 'traceroute-udp-ipv6'))).toBeNull();
    expect(pathChangeBefore(store, stored('trace', '4', 'traceroute-udp-3hop'))).toBeNull();
    // The IPv4 route really moves: hop 2 differs, against the last IPv4 trace.
    const moved = stored('trace', '4', 'traceroute-udp-route-b');
    const change = pathChangeBefore(store, moved);
    expect(change).toMatchObject({ changedTtls: [2] });
    expect(change!.runId).toBe(moved - 1);
    expect(pathChangeBefore(store, v6)).toBeNull();
  });

  it('fingerprints that differ without a changed hop are no change', () => {
    stored('trace', '4', 'traceroute-udp-3hop');
    // Same routers; the destination stopped answering at the end (only reachability differs).
    const result = recorded('traceroute-udp-3hop');
    const unreached = { ...result, trace: { ...result.trace, reached: false, hops: result.trace.hops.slice(0, 2) } };
    unreached.fingerprint = pathFingerprint(unreached.trace);
    clock += 60_000;
    const id = store.runs.create({ kind: 'trace', host: HOST, port: null, family: '4', options: {}, now: clock });
    store.runs.finish(id, { status: 'succeeded', error: null, summary: null, stdout: '', stderr: '', now: clock + 5_000, family: '4', pathFingerprint: unreached.fingerprint }, () => store.paths.insertTrace(id, clock, unreached));
    expect(pathChangeBefore(store, id)).toBeNull();
  });

  it('the rule never reports a change without a hop that changed', () => {
    const path = { runId: 2, reached: true, hops: [], fingerprint: 'b' };
    expect(rulePathChange({ path: { ...path, changedFrom: { runId: 1, fingerprint: 'a', changedTtls: [], at: 0 } } } as never).fired).toBe(false);
    expect(rulePathChange({ path: { ...path, changedFrom: { runId: 1, fingerprint: 'a', changedTtls: [3], at: 0 } } } as never).summary).toMatch(/hop 3 differ/);
  });
});
