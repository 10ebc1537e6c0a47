import type Database from 'better-sqlite3';

/**
 * The process id of a run's external tool (iperf3, owping …) while it runs, so that the next
 * start can end a tool left running by a workbench that was killed (its runs are marked
 * interrupted; the tool would otherwise keep loading the link).
 */
export function up(db: Database.Database): void {
  db.exec('ALTER TABLE runs ADD COLUMN tool_pid INTEGER');
}
