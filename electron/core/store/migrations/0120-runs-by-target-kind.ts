import type Database from 'better-sqlite3';

/**
 * A host's runs of one kind (its traces, for route marks and path history) by index: without it
 * the planner either walks every run of the host or scans every stored path.
 */
export function up(db: Database.Database): void {
  db.exec('CREATE INDEX runs_by_target_kind ON runs (target_id, kind, id)');
}
