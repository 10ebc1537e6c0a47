import type { Statement } from 'better-sqlite3';
import type { ErrorInfo } from '../../shared/errors.ts';
import { WorkbenchError } from '../../shared/errors.ts';
import type { RunKind, RunListFilter, RunStatus, RunSummary } from '../../shared/runs.ts';
import type { OnewayRunSummary } from '../../shared/latency.ts';
import type { MtuSummary, RttSummary, TraceSummary } from '../../shared/path.ts';
import type { ThroughputSummary } from '../../shared/throughput.ts';
import type { DB } from './database.ts';
import type { TimelineStore } from './timeline.ts';

interface RunRow {
  id: number;
  kind: RunKind;
  host: string;
  port: number | null;
  options: string;
  status: RunStatus;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  error_code: ErrorInfo['code'] | null;
  error_message: string | null;
  tool: string | null;
  tool_version: string | null;
  summary: string | null;
  family_used: '4' | '6' | null;
  path_fingerprint: string | null;
  tags: string;
}

const SUMMARY_COLUMNS = `r.id, r.kind, t.host, t.port, r.options, r.status, r.created_at, r.started_at,
  r.finished_at, r.error_code, r.error_message, r.tool, r.tool_version, r.summary, r.family_used, r.path_fingerprint,
  (SELECT coalesce(json_group_array(tag), '[]') FROM (SELECT tag FROM run_tags WHERE run_id = r.id ORDER BY tag)) AS tags`;

export interface NewRun {
  kind: RunKind;
  host: string;
  port: number | null;
  family: 'any' | '4' | '6';
  options: object;
  now: number;
}

export interface FinishedRun {
  status: Exclude<RunStatus, 'queued' | 'running'>;
  error: ErrorInfo | null;
  summary: object | null;
  stdout: string;
  stderr: string;
  now: number;
  family?: '4' | '6' | null;
  pathFingerprint?: string | null;
}

export type ListFilter = Required<Pick<RunListFilter, 'limit'>> & Omit<RunListFilter, 'limit'>;

/** Each list filter and its condition; the condition binds the filter under its own name. */
const LIST_FILTERS: ReadonlyArray<[Exclude<keyof ListFilter, 'limit'>, string]> = [
  ['from', 'r.created_at >= @from'],
  ['to', 'r.created_at < @to'],
  ['family', 'r.family_used = @family'],
  ['pathFingerprint', 'r.path_fingerprint = @pathFingerprint'],
  ['tag', 'r.id IN (SELECT run_id FROM run_tags WHERE tag = @tag)'],
  ['before', 'r.id < @before'],
  ['kind', 'r.kind = @kind'],
  ['status', 'r.status = @status'],
  ['host', 't.host = @host'],
];

/** The SQL of RunStore.list for a filter, and its bound parameters (exported for EXPLAIN QUERY PLAN tests). */
export function runListSql(filter: ListFilter): { sql: string; params: Record<string, string | number> } {
  const where: string[] = [];
  const params: Record<string, string | number> = { limit: filter.limit };
  for (const [key, condition] of LIST_FILTERS) {
    const value = filter[key];
    if (value === undefined) continue;
    where.push(condition);
    params[key] = value;
  }
  const sql = `SELECT ${SUMMARY_COLUMNS} FROM runs r JOIN targets t ON t.id = r.target_id
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY r.id DESC LIMIT @limit`;
  return { sql, params };
}

/** Named queries over runs, targets and raw output. No SQL leaves this module. */
export class RunStore {
  readonly #db: DB;
  readonly #timeline: TimelineStore;
  readonly #upsertTarget: Statement<[string, number | null, string, number], { id: number }>;
  readonly #insertRun: Statement;
  readonly #markStarted: Statement;
  readonly #finish: Statement;
  readonly #insertOutput: Statement;
  readonly #getRun: Statement<[number], RunRow & { command: string | null }>;
  readonly #getOutput: Statement<[number], { stdout: string; stderr: string }>;
  readonly #unfinished: Statement<[], { id: number; owner_pid: number | null; tool_pid: number | null; command: string | null }>;
  readonly #markToolProcess: Statement;
  readonly #interrupt: Statement;

  constructor(db: DB, timeline: TimelineStore) {
    this.#db = db;
    this.#timeline = timeline;
    this.#upsertTarget = db.prepare(`
      INSERT INTO targets (host, port, family, created_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (host, coalesce(port, 0), family) DO UPDATE SET host = excluded.host
      RETURNING id`);
    this.#insertRun = db.prepare(`
      INSERT INTO runs (kind, target_id, options, status, created_at, owner_pid)
      VALUES (@kind, @targetId, @options, 'queued', @now, @pid)`);
    this.#markStarted = db.prepare(`
      UPDATE runs SET status = 'running', started_at = @now, tool = @tool, tool_version = @toolVersion,
        command = @command WHERE id = @id AND status = 'queued'`);
    this.#finish = db.prepare(`
      UPDATE runs SET status = @status, finished_at = @now, error_code = @errorCode,
        error_message = @errorMessage, summary = @summary, family_used = @family, path_fingerprint = @pathFingerprint
      WHERE id = @id AND status IN ('queued', 'running')`);
    this.#insertOutput = db.prepare(`
      INSERT INTO run_output (run_id, stdout, stderr) VALUES (?, ?, ?)
      ON CONFLICT (run_id) DO UPDATE SET stdout = excluded.stdout, stderr = excluded.stderr`);
    this.#getRun = db.prepare(`SELECT ${SUMMARY_COLUMNS}, r.command FROM runs r JOIN targets t ON t.id = r.target_id WHERE r.id = ?`);
    this.#getOutput = db.prepare('SELECT stdout, stderr FROM run_output WHERE run_id = ?');
    this.#unfinished = db.prepare(`SELECT id, owner_pid, tool_pid, command FROM runs WHERE status IN ('queued', 'running')`);
    this.#markToolProcess = db.prepare(`UPDATE runs SET tool_pid = ? WHERE id = ? AND status IN ('queued', 'running')`);
    this.#interrupt = db.prepare(`
      UPDATE runs SET status = 'interrupted', finished_at = @now, error_code = 'INTERRUPTED',
        error_message = 'The workbench stopped while this run was in flight.'
      WHERE id = @id AND status IN ('queued', 'running')`);
  }

  create(run: NewRun): number {
    return this.#db.transaction(() => {
      const target = this.#upsertTarget.get(run.host, run.port, run.family, run.now);
      if (!target) throw new WorkbenchError('INTERNAL', 'could not record the target');
      const info = this.#insertRun.run({
        kind: run.kind,
        targetId: target.id,
        options: JSON.stringify(run.options),
        now: run.now,
        pid: process.pid,
      });
      return Number(info.lastInsertRowid);
    }).immediate();
  }

  markStarted(id: number, tool: string, toolVersion: string, command: readonly string[], now: number): void {
    this.#markStarted.run({ id, tool, toolVersion, command: JSON.stringify(command), now });
  }

  /** The pid of the run's external tool, while it runs (for markOrphansInterrupted). */
  markToolProcess(id: number, pid: number): void {
    this.#markToolProcess.run(pid, id);
  }

  /** Stores the outcome and raw output in one transaction; `extra` writes the method's samples inside it. */
  finish(id: number, outcome: FinishedRun, extra?: () => void): void {
    this.#db.transaction(() => {
      this.#insertOutput.run(id, outcome.stdout, outcome.stderr);
      extra?.();
      const finished = this.#finish.run({
        id,
        status: outcome.status,
        now: outcome.now,
        errorCode: outcome.error?.code ?? null,
        errorMessage: outcome.error?.message ?? null,
        summary: outcome.summary ? JSON.stringify(outcome.summary) : null,
        family: outcome.family ?? null,
        pathFingerprint: outcome.pathFingerprint ?? null,
      });
      if (finished.changes === 1 && outcome.status === 'succeeded') this.#timeline.append(id);
    }).immediate();
  }

  get(id: number): (RunSummary & { command: string[] | null }) | null {
    const row = this.#getRun.get(id);
    if (!row) return null;
    return { ...toSummary(row), command: row.command ? (JSON.parse(row.command) as string[]) : null };
  }

  output(id: number): { stdout: string; stderr: string } | null {
    return this.#getOutput.get(id) ?? null;
  }

  list(filter: ListFilter): RunSummary[] {
    const { sql, params } = runListSql(filter);
    return (this.#statement(sql).all(params) as RunRow[]).map(toSummary);
  }

  /** Deletes finished runs with everything stored for them; refuses runs still in flight. */
  delete(ids: readonly number[]): number {
    return this.#db.transaction(() => {
      const placeholders = ids.map(() => '?').join(',');
      const busy = this.#db.prepare(`SELECT id FROM runs WHERE id IN (${placeholders}) AND status IN ('queued', 'running')`).all(...ids) as Array<{ id: number }>;
      if (busy.length) throw new WorkbenchError('INVALID_INPUT', `Run ${busy.map((b) => b.id).join(', ')} is still in flight; cancel it before deleting.`);
      const affected = this.#db.prepare(`SELECT DISTINCT target_id, kind FROM runs WHERE id IN (${placeholders}) AND status = 'succeeded'`).all(...ids) as Array<{ target_id: number; kind: RunKind }>;
      const deleted = this.#db.prepare(`DELETE FROM runs WHERE id IN (${placeholders})`).run(...ids).changes;
      for (const a of affected) this.#timeline.rebuild(a.target_id, a.kind);
      return deleted;
    }).immediate();
  }

  /** Adds and removes tags; returns the runs that exist. */
  tag(ids: readonly number[], add: readonly string[], remove: readonly string[]): number[] {
    return this.#db.transaction(() => {
      const placeholders = ids.map(() => '?').join(',');
      const existing = (this.#db.prepare(`SELECT id FROM runs WHERE id IN (${placeholders}) ORDER BY id`).all(...ids) as Array<{ id: number }>).map((r) => r.id);
      const insert = this.#db.prepare('INSERT OR IGNORE INTO run_tags (run_id, tag) VALUES (?, ?)');
      const drop = this.#db.prepare('DELETE FROM run_tags WHERE run_id = ? AND tag = ?');
      for (const id of existing) {
        for (const t of add) insert.run(id, t);
        for (const t of remove) drop.run(id, t);
      }
      return existing;
    }).immediate();
  }

  readonly #statements = new Map<string, Statement>();
  /** Dynamic filters produce a handful of distinct SQL texts; prepare each once. */
  #statement(sql: string): Statement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  targetIdOf(runId: number): number | null {
    const row = this.#db.prepare('SELECT target_id FROM runs WHERE id = ?').get(runId) as { target_id: number } | undefined;
    return row?.target_id ?? null;
  }

  /**
   * Runs left queued or running by a process that no longer exists (a crash, a kill -9) become
   * 'interrupted'. Runs owned by a live process (another CLI on the same file) are left alone.
   * `onLeftoverTool` is told the tool process each orphan recorded, with the argv it was started
   * with, so the caller can end it if it still runs.
   */
  markOrphansInterrupted(now: number, isAlive: (pid: number) => boolean, onLeftoverTool?: (pid: number, command: string[]) => void): number[] {
    const orphans = this.#unfinished
      .all()
      .filter((r) => r.owner_pid === null || (r.owner_pid !== process.pid && !isAlive(r.owner_pid)));
    for (const orphan of orphans) {
      this.#interrupt.run({ id: orphan.id, now });
      const command = orphan.command ? (JSON.parse(orphan.command) as unknown) : null;
      if (onLeftoverTool && orphan.tool_pid !== null && Array.isArray(command)) onLeftoverTool(orphan.tool_pid, command.map(String));
    }
    return orphans.map((o) => o.id);
  }
}

function toSummary(row: RunRow): RunSummary {
  const summary = row.summary ? (JSON.parse(row.summary) as object) : null;
  return {
    id: row.id,
    kind: row.kind,
    target: { host: row.host, port: row.port },
    status: row.status,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    error: row.error_code ? { code: row.error_code, message: row.error_message ?? '' } : null,
    tool: row.tool,
    toolVersion: row.tool_version,
    options: JSON.parse(row.options) as Record<string, unknown>,
    family: row.family_used,
    pathFingerprint: row.path_fingerprint,
    tags: JSON.parse(row.tags) as string[],
    throughput: row.kind === 'throughput' ? (summary as ThroughputSummary | null) : null,
    oneway: row.kind === 'latency' || row.kind === 'twamp' ? (summary as OnewayRunSummary | null) : null,
    trace: row.kind === 'trace' ? (summary as TraceSummary | null) : null,
    rtt: row.kind === 'rtt' ? (summary as RttSummary | null) : null,
    mtu: row.kind === 'mtu' ? (summary as MtuSummary | null) : null,
  };
}
