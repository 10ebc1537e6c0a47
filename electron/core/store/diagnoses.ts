import type { Diagnosis, DiagnosisRun, DiagnosisStatus, DiagnosisSummary, Verdict } from '../../shared/diagnosis.ts';
import type { SelfCheckReport } from '../../shared/selfcheck.ts';
import type { DB } from './database.ts';

interface Row {
  id: number;
  host: string;
  port: number | null;
  input: string;
  status: DiagnosisStatus;
  created_at: number;
  finished_at: number | null;
  verdict: string | null;
  per_family: string | null;
  error_code: string | null;
  error_message: string | null;
}

export interface DiagnosisInputRecord {
  via: string[];
  targetBitsPerSecond: number;
  depth: Diagnosis['depth'];
  /** Absent in diagnoses stored before OWAMP was part of the plan. */
  owampPort?: number | null;
}

/** Named queries for diagnoses; verdicts are stored, and can be re-derived from the linked runs. */
export class DiagnosisStore {
  readonly #db: DB;

  constructor(db: DB) {
    this.#db = db;
  }

  create(host: string, port: number | null, input: DiagnosisInputRecord, now: number): number {
    const info = this.#db.prepare("INSERT INTO diagnoses (host, port, input, status, created_at, owner_pid) VALUES (?, ?, ?, 'running', ?, ?)").run(host, port, JSON.stringify(input), now, process.pid);
    return Number(info.lastInsertRowid);
  }

  addRun(id: number, run: DiagnosisRun): void {
    this.#db.prepare('INSERT OR IGNORE INTO diagnosis_runs (diagnosis_id, run_id, role, family) VALUES (?, ?, ?, ?)').run(id, run.runId, run.role, run.family);
  }

  saveHost(id: number, report: SelfCheckReport): void {
    this.#db.prepare('INSERT OR REPLACE INTO diagnosis_host (diagnosis_id, report) VALUES (?, ?)').run(id, JSON.stringify(report));
  }

  host(id: number): SelfCheckReport | null {
    const row = this.#db.prepare('SELECT report FROM diagnosis_host WHERE diagnosis_id = ?').get(id) as { report: string } | undefined;
    return row ? (JSON.parse(row.report) as SelfCheckReport) : null;
  }

  finish(id: number, status: Exclude<DiagnosisStatus, 'running'>, verdict: Verdict | null, perFamily: Diagnosis['perFamily'], error: { code: string; message: string } | null, now: number): void {
    this.#db
      .prepare('UPDATE diagnoses SET status = ?, finished_at = ?, verdict = ?, per_family = ?, error_code = ?, error_message = ? WHERE id = ?')
      .run(status, now, verdict ? JSON.stringify(verdict) : null, JSON.stringify(perFamily), error?.code ?? null, error?.message ?? null, id);
  }

  /** After re-deriving: replace the verdicts, keep everything else. */
  saveVerdict(id: number, verdict: Verdict | null, perFamily: Diagnosis['perFamily']): void {
    this.#db.prepare('UPDATE diagnoses SET verdict = ?, per_family = ? WHERE id = ?').run(verdict ? JSON.stringify(verdict) : null, JSON.stringify(perFamily), id);
  }

  get(id: number): Diagnosis | null {
    const row = this.#db.prepare('SELECT * FROM diagnoses WHERE id = ?').get(id) as Row | undefined;
    if (!row) return null;
    const runs = (this.#db.prepare('SELECT run_id, role, family FROM diagnosis_runs WHERE diagnosis_id = ? ORDER BY run_id').all(id) as Array<{ run_id: number; role: string; family: '4' | '6' | null }>).map((r) => ({ runId: r.run_id, role: r.role, family: r.family }));
    const input = JSON.parse(row.input) as DiagnosisInputRecord;
    return {
      id: row.id,
      target: { host: row.host, port: row.port },
      via: input.via,
      targetBitsPerSecond: input.targetBitsPerSecond,
      depth: input.depth,
      owampPort: input.owampPort ?? null,
      status: row.status,
      createdAt: row.created_at,
      finishedAt: row.finished_at,
      runs,
      verdict: row.verdict ? (JSON.parse(row.verdict) as Verdict) : null,
      perFamily: row.per_family ? (JSON.parse(row.per_family) as Diagnosis['perFamily']) : [],
      error: row.error_code ? { code: row.error_code, message: row.error_message ?? '' } : null,
    };
  }

  list(limit: number, host?: string): DiagnosisSummary[] {
    const rows = (host === undefined
      ? this.#db.prepare('SELECT * FROM diagnoses ORDER BY id DESC LIMIT ?').all(limit)
      : this.#db.prepare('SELECT * FROM diagnoses WHERE host = ? ORDER BY id DESC LIMIT ?').all(host, limit)) as Row[];
    return rows.map((row) => {
      const verdict = row.verdict ? (JSON.parse(row.verdict) as Verdict) : null;
      return { id: row.id, target: { host: row.host, port: row.port }, status: row.status, createdAt: row.created_at, finishedAt: row.finished_at, verdictClass: verdict?.class ?? null, headline: verdict?.headline ?? null };
    });
  }

  /** Diagnoses left running by a process that died become interrupted. */
  markOrphansInterrupted(now: number, isAlive: (pid: number) => boolean): void {
    const rows = this.#db.prepare("SELECT id, owner_pid FROM diagnoses WHERE status = 'running'").all() as Array<{ id: number; owner_pid: number | null }>;
    for (const r of rows) {
      if (r.owner_pid === process.pid || (r.owner_pid !== null && isAlive(r.owner_pid))) continue;
      this.#db.prepare("UPDATE diagnoses SET status = 'interrupted', finished_at = ?, error_code = 'INTERRUPTED', error_message = 'The workbench stopped during this diagnosis.' WHERE id = ?").run(now, r.id);
    }
  }
}
