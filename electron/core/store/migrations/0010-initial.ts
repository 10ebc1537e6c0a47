import type Database from 'better-sqlite3';

export function up(db: Database.Database): void {
  db.exec(`
    CREATE TABLE targets (
      id INTEGER PRIMARY KEY,
      host TEXT NOT NULL,
      port INTEGER CHECK (port IS NULL OR port BETWEEN 1 AND 65535),
      family TEXT NOT NULL DEFAULT 'any' CHECK (family IN ('any', '4', '6')),
      created_at INTEGER NOT NULL
    ) STRICT;
    CREATE UNIQUE INDEX targets_identity ON targets (host, coalesce(port, 0), family);

    CREATE TABLE runs (
      id INTEGER PRIMARY KEY,
      kind TEXT NOT NULL,
      target_id INTEGER NOT NULL REFERENCES targets (id),
      options TEXT NOT NULL CHECK (json_valid(options)),
      status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted')),
      created_at INTEGER NOT NULL,
      started_at INTEGER,
      finished_at INTEGER,
      error_code TEXT,
      error_message TEXT,
      tool TEXT,
      tool_version TEXT,
      command TEXT CHECK (command IS NULL OR json_valid(command)),
      summary TEXT CHECK (summary IS NULL OR json_valid(summary)),
      owner_pid INTEGER
    ) STRICT;
    CREATE INDEX runs_by_target ON runs (target_id, id);
    CREATE INDEX runs_by_kind ON runs (kind, id);
    CREATE INDEX runs_by_status ON runs (status, id);

    -- Raw tool output, verbatim, kept apart so listing runs never reads it.
    CREATE TABLE run_output (
      run_id INTEGER PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
      stdout TEXT NOT NULL,
      stderr TEXT NOT NULL
    ) STRICT;

    CREATE TABLE throughput_samples (
      run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
      stream INTEGER NOT NULL,
      seq INTEGER NOT NULL,
      start_s REAL NOT NULL,
      end_s REAL NOT NULL,
      bits_per_second REAL NOT NULL,
      bytes INTEGER NOT NULL,
      retransmits INTEGER,
      cwnd INTEGER,
      rtt_us INTEGER,
      rttvar_us INTEGER,
      pmtu INTEGER,
      omitted INTEGER NOT NULL DEFAULT 0,
      jitter_ms REAL,
      lost_packets INTEGER,
      packets INTEGER,
      PRIMARY KEY (run_id, stream, seq)
    ) STRICT, WITHOUT ROWID;
  `);
}
