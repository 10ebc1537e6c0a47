import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeDatabase, openDatabase, type DB } from '../../electron/core/store/database.ts';
import { DiscoveryStore } from '../../electron/core/store/discovery.ts';

/** A real SQLite file (WAL) with every migration, the discovery cache included. */
export function openCache(): { db: DB; store: DiscoveryStore; path: string; reopen(): { db: DB; store: DiscoveryStore }; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'psw-discovery-'));
  const path = join(dir, 'workbench.sqlite');
  const open = () => {
    const db = openDatabase(path);
    return { db, store: new DiscoveryStore(db) };
  };
  const first = open();
  const opened: DB[] = [first.db];
  return {
    ...first,
    path,
    reopen: () => {
      const again = open();
      opened.push(again.db);
      return again;
    },
    cleanup: () => {
      for (const db of opened) closeDatabase(db);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Only loopback may ever be dialled from tests. */
export const loopbackOnly = (host: string) => host === '127.0.0.1' || host === '::1' || host === 'localhost';
