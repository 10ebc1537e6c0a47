import type Database from 'better-sqlite3';

/** User settings (one JSON value per key) and favourite hosts. */
export function up(db: Database.Database): void {
  db.exec(`
    CREATE TABLE settings (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL CHECK (json_valid(value)),
      updated_at INTEGER NOT NULL
    ) STRICT;
    CREATE TABLE favourite_hosts (
      host TEXT PRIMARY KEY,
      added_at INTEGER NOT NULL
    ) STRICT;
  `);
}
