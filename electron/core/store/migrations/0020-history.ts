import type Database from 'better-sqlite3';

/** History at scale: the address family actually used, the path a run took, tags, time-range index. */
export function up(db: Database.Database): void {
  db.exec(`
    ALTER TABLE runs ADD COLUMN family_used TEXT CHECK (family_used IS NULL OR family_used IN ('4', '6'));
    ALTER TABLE runs ADD COLUMN path_fingerprint TEXT;
    CREATE INDEX runs_by_created ON runs (created_at, id);
    CREATE INDEX runs_by_family ON runs (family_used, id);
    CREATE INDEX runs_by_fingerprint ON runs (path_fingerprint, id) WHERE path_fingerprint IS NOT NULL;

    CREATE TABLE run_tags (
      run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
      tag TEXT NOT NULL CHECK (length(tag) BETWEEN 1 AND 64),
      PRIMARY KEY (run_id, tag)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX run_tags_by_tag ON run_tags (tag, run_id);
  `);
}
