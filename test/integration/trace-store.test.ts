import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WorkbenchError } from '../../electron/shared/errors.ts';
import { RttOptions, TraceOptions } from '../../electron/shared/path.ts';
import { openDatabase } from '../../electron/core/store/database.ts';
import type { Store } from '../../electron/core/store/index.ts';
import type { MethodContext } from '../../electron/core/measure/method.ts';
import type { ToolResolver } from '../../electron/core/measure/tools.ts';
import { assessPath } from '../../electron/core/measure/trace/analysis.ts';
import { detectPathChanges, pathFingerprint, pathKey, routeFingerprint } from '../../electron/core/measure/trace/identity.ts';
import { runRttMethod, runTraceMethod } from '../../electron/core/measure/trace/method.ts';
import { parseMtrJson } from '../../electron/core/measure/trace/parse-mtr.ts';
import { parseTraceroute } from '../../electron/core/measure/trace/parse-traceroute.ts';
import type { TraceResult } from '../../electron/core/measure/trace/run.ts';
import { PathStore } from '../../electron/core/measure/trace/store.ts';
import { locatePathTools } from '../../electron/core/measure/trace/tools.ts';

/** Real SQLite file (WAL, foreign keys) with the initial schema and the proposed path tables. */

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'trace', 'linux');
const fixture = (name: string) => readFileSync(join(FIXTURES, `${name}.txt`), 'utf8');

function resultOf(name: string, tool: TraceResult['tool'] = 'traceroute'): TraceResult {
  const trace = name.startsWith('mtr') ? parseMtrJson(fixture(name)) : parseTraceroute(fixture(name));
  return { tool, method: 'udp', paris: true, trace, assessment: assessPath(trace), fingerprint: pathFingerprint(trace), pathKey: pathKey(trace) };
}

let dir: string;
let db: Database.Database;
let targetId: number;

function newRun(kind = 'trace'): number {
  return Number(db.prepare(`INSERT INTO runs (kind, target_id, options, status, created_at) VALUES (?, ?, '{}', 'running', ?)`).run(kind, targetId, Date.now()).lastInsertRowid);
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'psw-path-store-'));
  db = openDatabase(join(dir, 'workbench.sqlite'));
  targetId = Number(db.prepare(`INSERT INTO targets (host, port, family, created_at) VALUES ('198.18.9.1', NULL, 'any', 0)`).run().lastInsertRowid);
});

afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('migration 0070 and PathStore', () => {
  it('creates STRICT tables', () => {
    const tables = db.prepare(`SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name IN ('path_runs', 'path_hops', 'path_responders', 'path_probes', 'ping_replies', 'mtu_probes')`).all() as Array<{ name: string; sql: string }>;
    expect(tables).toHaveLength(6);
    for (const t of tables) expect(t.sql).toMatch(/STRICT/);
    expect(() => db.prepare(`INSERT INTO path_hops (run_id, ttl, sent, received, flags, reached, loss_class) VALUES (1, 'x', 0, 0, '[]', 0, 'none')`).run()).toThrow();
  });

  it('stores a trace per hop and reads it back unchanged', () => {
    const store = new PathStore(db);
    const runId = newRun();
    const result = resultOf('traceroute-tcp-ecmp');
    db.transaction(() => store.insertTrace(runId, 1_700_000_000_000, result))();
    const stored = store.pathRun(runId);
    expect(stored).toMatchObject({ fingerprint: result.fingerprint, pathKey: result.pathKey, hopCount: 3, reached: true, family: '4', targetAddress: '198.18.9.1', measuredAt: 1_700_000_000_000 });
    const { hops, assessment } = store.hops(runId);
    expect(hops).toHaveLength(3);
    expect(hops.map((h) => ({ ...h, responders: [...h.responders].sort((a, b) => a.address.localeCompare(b.address)) }))).toEqual(
      result.trace.hops.map((h) => ({ ...h, responders: [...h.responders].sort((a, b) => a.address.localeCompare(b.address)) })),
    );
    expect(assessment).toEqual(result.assessment.hops);
  });

  it('keeps the rate-limit classification per hop', () => {
    const store = new PathStore(db);
    const runId = newRun();
    db.transaction(() => store.insertTrace(runId, 1, resultOf('mtr-json-ratelimit', 'mtr')))();
    expect(store.hops(runId).assessment.map((a) => a.lossClass)).toEqual(['none', 'icmpRateLimited', 'none']);
    const row = db.prepare('SELECT loss_class, rate_limited_percent FROM path_hops WHERE run_id = ? AND ttl = 2').get(runId);
    expect(row).toEqual({ loss_class: 'icmpRateLimited', rate_limited_percent: 65 });
  });

  it('history for a target feeds change detection; runs through a router are indexed', () => {
    const store = new PathStore(db);
    const sequence = ['traceroute-udp-3hop', 'traceroute-silent-hop', 'traceroute-udp-route-b', 'traceroute-udp-3hop'];
    const ids = sequence.map((name, i) => {
      const id = newRun();
      db.transaction(() => store.insertTrace(id, 1000 * (i + 1), resultOf(name)))();
      return id;
    });
    const history = store.history(targetId);
    expect(history.map((h) => h.runId)).toEqual([...ids].reverse());
    const changes = detectPathChanges(history);
    expect(changes.changes.map((c) => [c.runId, c.diff.firstChangedTtl])).toEqual([
      [ids[2], 2],
      [ids[3], 2],
    ]);
    expect(changes.distinctPaths).toBe(2);
    expect(store.history(targetId, { limit: 2 }).map((h) => h.runId)).toEqual([ids[3], ids[2]]);
    expect(store.history(targetId, { before: ids[2] }).map((h) => h.runId)).toEqual([ids[1], ids[0]]);
    expect(store.runsThrough('198.18.4.2')).toEqual([{ runId: ids[2], ttl: 2 }]);
  });

  it('latestRoute: the newest succeeded trace with its recorded route fingerprint, for routeFingerprint', () => {
    const store = new PathStore(db);
    expect(store.latestRoute(targetId)).toBeNull();
    const first = newRun();
    const full = resultOf('traceroute-udp-3hop');
    db.transaction(() => store.insertTrace(first, 1, full))();
    db.prepare(`UPDATE runs SET status = 'succeeded', path_fingerprint = ? WHERE id = ?`).run('route-one-000000', first);
    const latest = store.latestRoute(targetId);
    expect(latest).toMatchObject({ runId: first, fingerprint: 'route-one-000000' });
    expect(routeFingerprint(resultOf('traceroute-silent-hop').trace, latest)).toBe('route-one-000000');
    expect(routeFingerprint(resultOf('traceroute-udp-route-b').trace, latest)).toBe(resultOf('traceroute-udp-route-b').fingerprint);
    const failed = newRun();
    db.transaction(() => store.insertTrace(failed, 2, resultOf('traceroute-udp-route-b')))();
    db.prepare(`UPDATE runs SET status = 'failed' WHERE id = ?`).run(failed);
    expect(store.latestRoute(targetId)?.runId).toBe(first);
  });

  it('deleting a run removes its path rows', () => {
    const store = new PathStore(db);
    const runId = newRun();
    db.transaction(() => store.insertTrace(runId, 1, resultOf('traceroute-udp-3hop')))();
    db.prepare('DELETE FROM runs WHERE id = ?').run(runId);
    for (const table of ['path_runs', 'path_hops', 'path_responders', 'path_probes']) {
      expect(db.prepare(`SELECT count(*) AS n FROM ${table}`).get()).toEqual({ n: 0 });
    }
  });
});

describe('method adapters (MethodContext → MethodOutcome → rows)', () => {
  function ctx<O>(options: O): MethodContext<O> & { started: string[]; progress: number } {
    const c = {
      runId: 0,
      targetId,
      store: { db, paths: new PathStore(db) } as unknown as Store,
      host: '127.0.0.1',
      port: null,
      options,
      signal: new AbortController().signal,
      tools: locatePathTools() as unknown as ToolResolver,
      started: [] as string[],
      progress: 0,
      onStarted: (info: { tool: string }) => c.started.push(info.tool),
      onProgress: () => {
        c.progress += 1;
      },
    };
    return c;
  }

  it('trace: summary for runs.summary, hops written in the finishing transaction', async () => {
    const c = ctx(TraceOptions.parse({ queries: 2 }));
    const outcome = await runTraceMethod(c);
    expect(outcome.status).toBe('succeeded');
    expect(c.started).toEqual(['traceroute']);
    expect(outcome.summary).toMatchObject({ tool: 'traceroute', method: 'udp', paris: true, hopCount: 1, reached: true, pathKey: '127.0.0.1', family: '4' });
    expect(outcome.stdout).toMatch(/^traceroute to 127\.0\.0\.1/);
    expect(outcome.stderr).toMatch(/# pS Workbench: Paris-style probes/);
    const runId = newRun();
    db.transaction(() => outcome.writeSamples({ db, paths: new PathStore(db) } as unknown as Store, runId))();
    expect(new PathStore(db).hops(runId).hops[0]?.probes).toHaveLength(2);
  });

  it('trace: the run records the previous route fingerprint when the route is the same, its own when not', async () => {
    const loopback = { reached: true, hops: [{ ttl: 1, responders: [{ address: '127.0.0.1' }], flags: [], reached: true }] };
    const c = Object.assign(ctx(TraceOptions.parse({ queries: 1 })), { previousRoute: () => ({ path: loopback, fingerprint: 'previous-route-0' }) });
    const outcome = await runTraceMethod(c);
    expect(outcome.pathFingerprint).toBe('previous-route-0');
    const elsewhere = { reached: true, hops: [{ ttl: 1, responders: [{ address: '192.0.2.1' }], flags: [], reached: true }] };
    const other = await runTraceMethod(Object.assign(ctx(TraceOptions.parse({ queries: 1 })), { previousRoute: () => ({ path: elsewhere, fingerprint: 'previous-route-0' }) }));
    expect(other.pathFingerprint).toBe(pathFingerprint(loopback));
    expect(outcome.family).toBe('4');
    expect(outcome.summary).toMatchObject({ routeFingerprint: 'previous-route-0', fingerprint: pathFingerprint({ reached: true, hops: [{ ttl: 1, responders: [{ address: '127.0.0.1' }], flags: [], reached: true }] }) });
  });

  it('a job timeout (signal aborted with a TIMEOUT reason) is a failure, a plain abort a cancellation', async () => {
    const timedOut = new AbortController();
    timedOut.abort(new WorkbenchError('TIMEOUT', 'The job ran out of time.'));
    const a = await runRttMethod({ ...ctx(RttOptions.parse({ count: 1 })), signal: timedOut.signal });
    expect(a.status).toBe('failed');
    expect(a.error).toEqual({ code: 'TIMEOUT', message: 'The job ran out of time.' });
    const cancelled = new AbortController();
    cancelled.abort();
    const b = await runRttMethod({ ...ctx(RttOptions.parse({ count: 1 })), signal: cancelled.signal });
    expect(b.status).toBe('cancelled');
    expect(b.error?.code).toBe('CANCELLED');
  });

  it('rtt: every reply stored', async () => {
    const outcome = await runRttMethod(ctx(RttOptions.parse({ count: 3, intervalSeconds: 0.2 })));
    expect(outcome.status).toBe('succeeded');
    expect(outcome.summary).toMatchObject({ sent: 3, received: 3 });
    const runId = newRun('rtt');
    db.transaction(() => outcome.writeSamples({ db, paths: new PathStore(db) } as unknown as Store, runId))();
    expect(new PathStore(db).pingReplies(runId).map((r) => r.status)).toEqual(['reply', 'reply', 'reply']);
  });
});
