import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion } from '../../electron/core/store/database.ts';
import { Store } from '../../electron/core/store/index.ts';
import { LATEST_VERSION, MIGRATIONS } from '../../electron/core/store/migrations/index.ts';
import { tempDir } from '../helpers/tmp.ts';

const dirs: Array<ReturnType<typeof tempDir>> = [];
const dbFile = () => {
  const dir = tempDir();
  dirs.push(dir);
  return dir.file('w.sqlite');
};
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

const newRun = (store: Store, host = '198.18.0.2') =>
  store.runs.create({ kind: 'throughput', host, port: 5201, family: 'any', options: { duration: 2 }, now: Date.now() });

describe('store', () => {
  it('opens with WAL, foreign keys, busy timeout and the latest schema', () => {
    const store = new Store(dbFile());
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(store.db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(schemaVersion(store.db)).toBe(LATEST_VERSION);
    const strict = store.db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as Array<{ name: string; sql: string }>;
    expect(strict.length).toBeGreaterThan(0);
    for (const table of strict) expect(table.sql, table.name).toMatch(/STRICT/);
    store.close();
  });

  it('migrations are strictly increasing', () => {
    const versions = MIGRATIONS.map((m) => m.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);
  });

  it('refuses a database written by a newer version, with a clear message, and leaves it untouched', () => {
    const path = dbFile();
    const raw = new Database(path);
    raw.pragma(`user_version = ${LATEST_VERSION + 10}`);
    raw.close();
    expect(() => openDatabase(path)).toThrow(/newer pS Workbench/);
    const again = new Database(path);
    expect(again.pragma('user_version', { simple: true })).toBe(LATEST_VERSION + 10);
    again.close();
  });

  it('STRICT tables reject wrong types and bad statuses', () => {
    const store = new Store(dbFile());
    const id = newRun(store);
    expect(() => store.db.prepare("UPDATE runs SET status = 'exploded' WHERE id = ?").run(id)).toThrow();
    expect(() => store.db.prepare("UPDATE runs SET started_at = 'soon' WHERE id = ?").run(id)).toThrow();
    store.close();
  });

  it('stores a run through its life cycle with raw output and samples in one transaction', () => {
    const store = new Store(dbFile());
    const id = newRun(store);
    store.runs.markStarted(id, 'iperf3', '3.12', ['/usr/bin/iperf3', '--client', '198.18.0.2'], Date.now());
    store.runs.finish(id, { status: 'succeeded', error: null, summary: { sentBitsPerSecond: 1 }, stdout: '{"raw":true}', stderr: '', now: Date.now() }, () =>
      store.throughput.insert(id, [
        { seq: 0, stream: -1, start: 0, end: 1, bitsPerSecond: 1e9, bytes: 125e6, retransmits: 3, cwnd: 1000, rtt: 50, rttvar: 5, pmtu: 1500, omitted: false, jitterMs: null, lostPackets: null, packets: null },
      ]),
    );
    const run = store.runs.get(id);
    expect(run?.status).toBe('succeeded');
    expect(run?.command).toEqual(['/usr/bin/iperf3', '--client', '198.18.0.2']);
    expect(store.runs.output(id)).toEqual({ stdout: '{"raw":true}', stderr: '' });
    expect(store.throughput.series(id).bitsPerSecond).toEqual([1e9]);
    store.close();
  });

  it('a failing sample write rolls back the whole outcome', () => {
    const store = new Store(dbFile());
    const id = newRun(store);
    expect(() =>
      store.runs.finish(id, { status: 'succeeded', error: null, summary: null, stdout: 'x', stderr: '', now: Date.now() }, () => {
        throw new Error('disk full');
      }),
    ).toThrow('disk full');
    expect(store.runs.get(id)?.status).toBe('queued');
    expect(store.runs.output(id)).toBeNull();
    store.close();
  });

  it('marks runs of dead processes interrupted, leaves live owners alone', () => {
    const path = dbFile();
    const store = new Store(path);
    const dead = newRun(store);
    const alive = newRun(store);
    store.db.prepare('UPDATE runs SET owner_pid = 999999999 WHERE id = ?').run(dead);
    store.db.prepare('UPDATE runs SET owner_pid = 1 WHERE id = ?').run(alive);
    const marked = store.runs.markOrphansInterrupted(Date.now(), (pid) => pid === 1);
    expect(marked).toEqual([dead]);
    expect(store.runs.get(dead)?.status).toBe('interrupted');
    expect(store.runs.get(dead)?.error?.code).toBe('INTERRUPTED');
    expect(store.runs.get(alive)?.status).toBe('queued');
    store.close();
  });

  it('lists newest first with keyset paging and filters', () => {
    const store = new Store(dbFile());
    const ids = [newRun(store, 'a.example'), newRun(store, 'b.example'), newRun(store, 'a.example')];
    expect(store.runs.list({ limit: 10 }).map((r) => r.id)).toEqual([...ids].reverse());
    expect(store.runs.list({ limit: 10, host: 'a.example' }).map((r) => r.id)).toEqual([ids[2], ids[0]]);
    expect(store.runs.list({ limit: 1, before: ids[2] }).map((r) => r.id)).toEqual([ids[1]]);
    expect(store.runs.list({ limit: 10, status: 'running' })).toEqual([]);
    store.close();
  });

  it('hot queries use their indexes (EXPLAIN QUERY PLAN)', () => {
    const store = new Store(dbFile());
    const plan = (sql: string) => (store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>).map((r) => r.detail).join(' | ');
    expect(plan('SELECT * FROM runs r JOIN targets t ON t.id = r.target_id ORDER BY r.id DESC LIMIT 100')).not.toMatch(/TEMP B-TREE/);
    expect(plan("SELECT * FROM runs r JOIN targets t ON t.id = r.target_id WHERE t.host = 'x' ORDER BY r.id DESC LIMIT 100")).toMatch(/targets_identity|runs_by_target/);
    expect(plan('SELECT * FROM throughput_samples WHERE run_id = 1 AND stream = -1 ORDER BY seq')).toMatch(/PRIMARY KEY/);
    expect(plan("SELECT id FROM runs WHERE status IN ('queued', 'running')")).toMatch(/runs_by_status/);
    store.close();
  });
});
