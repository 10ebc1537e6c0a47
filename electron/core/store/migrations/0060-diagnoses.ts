import type Database from 'better-sqlite3';

/** Diagnoses: the plan that ran, the runs it made (by role) and the verdict derived from them. */
export function up(db: Database.Database): void {
  db.exec(`
    CREATE TABLE diagnoses (
      id INTEGER PRIMARY KEY,
      host TEXT NOT NULL,
      port INTEGER,
      input TEXT NOT NULL CHECK (json_valid(input)),
      status TEXT NOT NULL CHECK (status IN ('running', 'finished', 'failed', 'cancelled', 'interrupted')),
      created_at INTEGER NOT NULL,
      finished_at INTEGER,
      verdict TEXT CHECK (verdict IS NULL OR json_valid(verdict)),
      per_family TEXT CHECK (per_family IS NULL OR json_valid(per_family)),
      error_code TEXT,
      error_message TEXT,
      owner_pid INTEGER
    ) STRICT;
    CREATE INDEX diagnoses_by_host ON diagnoses (host, id);

    CREATE TABLE diagnosis_runs (
      diagnosis_id INTEGER NOT NULL REFERENCES diagnoses (id) ON DELETE CASCADE,
      run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
      role TEXT NOT NULL,
      family TEXT CHECK (family IS NULL OR family IN ('4', '6')),
      PRIMARY KEY (diagnosis_id, run_id)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX diagnosis_runs_by_run ON diagnosis_runs (run_id);

    CREATE TABLE diagnosis_host (
      diagnosis_id INTEGER PRIMARY KEY REFERENCES diagnoses (id) ON DELETE CASCADE,
      report TEXT NOT NULL CHECK (json_valid(report))
    ) STRICT;
  `);
}
