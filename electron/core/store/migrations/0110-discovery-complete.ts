import type Database from 'better-sqlite3';

/**
 * When each Lookup Service was last fetched in full (a refresh or an untyped search). A targeted
 * search only adds records, so only this time says whether the cache can answer any query.
 */
export function up(db: Database.Database): void {
  db.exec('ALTER TABLE ls_sources ADD COLUMN complete_at INTEGER');
}
