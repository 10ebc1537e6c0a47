import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { WorkbenchError } from '../../shared/errors.ts';
import { MIGRATIONS, LATEST_VERSION } from './migrations/index.ts';

export type DB = Database.Database;

/**
 * Opens (creating if needed) the workbench database: WAL so the app, the CLI and `psw serve` can
 * share one file, foreign keys on, a busy timeout for those concurrent writers, then migrates.
 */
export function openDatabase(path: string): DB {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('temp_store = MEMORY');
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

export function schemaVersion(db: DB): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function migrate(db: DB): void {
  const current = schemaVersion(db);
  if (current > LATEST_VERSION) {
    throw new WorkbenchError(
      'DB_FROM_FUTURE',
      `This database was written by a newer pS Workbench (schema ${current}; this version knows up to ${LATEST_VERSION}). ` +
        'Update pS Workbench, or open another database with --db.',
    );
  }
  const pending = MIGRATIONS.filter((m) => m.version > current);
  if (pending.length === 0) return;
  db.transaction(() => {
    for (const migration of pending) {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    }
  }).immediate();
}

export function closeDatabase(db: DB): void {
  if (!db.open) return;
  try {
    db.pragma('optimize');
    db.pragma('wal_checkpoint(TRUNCATE)');
  } catch {
    // another process may hold the WAL; closing is still safe
  }
  db.close();
}
