import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assessPath } from '../../electron/core/measure/trace/analysis.ts';
import { pathFingerprint, pathKey } from '../../electron/core/measure/trace/identity.ts';
import { parseTracepath } from '../../electron/core/measure/trace/parse-tracepath.ts';
import { parseTraceroute } from '../../electron/core/measure/trace/parse-traceroute.ts';
import type { TraceResult } from '../../electron/core/measure/trace/run.ts';
import { Store } from '../../electron/core/store/index.ts';

const LINUX = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'trace', 'linux');

/** A linux trace fixture (test/fixtures/trace/linux/<name>.txt) parsed as the trace method would. */
export function traceFixture(name: string, targetAddress?: string): TraceResult {
  const text = readFileSync(join(LINUX, `${name}.txt`), 'utf8');
  const tracepath = name.startsWith('tracepath');
  const trace = tracepath ? parseTracepath(text, { targetAddress: targetAddress ?? null }) : parseTraceroute(text);
  return { tool: tracepath ? 'tracepath' : 'traceroute', method: 'udp', paris: false, trace, assessment: assessPath(trace), fingerprint: pathFingerprint(trace), pathKey: pathKey(trace) };
}

export interface SeededTrace {
  host: string;
  at: number;
  /** Fixture name under test/fixtures/trace/linux. */
  fixture: string;
  /** For tracepath fixtures, which do not print the address they traced. */
  targetAddress?: string;
  /** An mtu run stores the tracepath it ran the same way. */
  kind?: 'trace' | 'mtu';
}

/** Finished trace runs stored through the trace store, as the trace method stores them; returns their ids. */
export function storeTraceRuns(store: Store, traces: SeededTrace[]): number[] {
  return traces.map((t) => {
    const result = traceFixture(t.fixture, t.targetAddress);
    const id = store.runs.create({ kind: t.kind ?? 'trace', host: t.host, port: null, family: 'any', options: {}, now: t.at });
    const family = result.trace.targetAddress ? (result.trace.targetAddress.includes(':') ? '6' : '4') : null;
    store.runs.finish(id, { status: 'succeeded', error: null, summary: null, stdout: '', stderr: '', now: t.at + 5_000, family, pathFingerprint: result.fingerprint }, () => store.paths.insertTrace(id, t.at, result));
    return id;
  });
}

export function seedTraceRuns(dbPath: string, traces: SeededTrace[]): number[] {
  const store = new Store(dbPath);
  try {
    return storeTraceRuns(store, traces);
  } finally {
    store.close();
  }
}
