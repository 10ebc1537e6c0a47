import type Database from 'better-sqlite3';
import { TimelineStore } from '../timeline.ts';

/**
 * Per-target timelines kept as columnar chunks (packed Float64 points), so a history of a
 * million runs reaches a chart in one blob read per few hundred runs instead of a million rows.
 * The runs table stays the source of truth; chunks are rebuilt from it when needed.
 */
export function up(db: Database.Database): void {
  db.exec(`
    CREATE TABLE timeline_chunks (
      target_id INTEGER NOT NULL REFERENCES targets (id),
      kind TEXT NOT NULL,
      seq INTEGER NOT NULL,
      layout TEXT NOT NULL,
      n INTEGER NOT NULL CHECK (n > 0),
      first_x REAL NOT NULL,
      last_x REAL NOT NULL,
      data BLOB NOT NULL,
      PRIMARY KEY (target_id, kind, seq)
    ) STRICT, WITHOUT ROWID;
  `);
  new TimelineStore(db).rebuildAll();
}
