import type Database from 'better-sqlite3';

/**
 * The Lookup Service cache: validated records (only the keys discovery uses) per source, with fetch
 * time, so discovery can answer offline and say how old its data is.
 */
export function up(db: Database.Database): void {
  db.exec(`
    CREATE TABLE ls_sources (
      url TEXT PRIMARY KEY,
      kind TEXT NOT NULL CHECK (kind IN ('records', 'search')),
      last_attempt_at INTEGER,
      last_success_at INTEGER,
      last_error_code TEXT,
      last_error_message TEXT
    ) STRICT;

    CREATE TABLE ls_records (
      source_url TEXT NOT NULL REFERENCES ls_sources (url) ON DELETE CASCADE,
      uri TEXT NOT NULL,
      type TEXT NOT NULL CHECK (type IN ('service', 'host', 'interface')),
      expires_at INTEGER NOT NULL,
      fetched_at INTEGER NOT NULL,
      fields TEXT NOT NULL CHECK (json_valid(fields)),
      PRIMARY KEY (source_url, uri)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX ls_records_by_fetch ON ls_records (source_url, type, fetched_at);
  `);
}
