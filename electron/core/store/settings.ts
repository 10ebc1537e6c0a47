import { Settings } from '../../shared/settings.ts';
import type { DB } from './database.ts';

/** Settings as validated JSON per key; favourites as a set of host names. */
export class SettingsStore {
  readonly #db: DB;

  constructor(db: DB) {
    this.#db = db;
  }

  get(): Settings {
    const rows = this.#db.prepare('SELECT key, value FROM settings').all() as Array<{ key: string; value: string }>;
    const raw: Record<string, unknown> = {};
    for (const row of rows) raw[row.key] = JSON.parse(row.value);
    // A value written by another version that no longer validates falls back to the default.
    const parsed = Settings.safeParse(raw);
    return parsed.success ? parsed.data : Settings.parse({});
  }

  update(patch: Partial<Settings>, now: number): Settings {
    const upsert = this.#db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at');
    this.#db.transaction(() => {
      for (const [key, value] of Object.entries(patch)) if (value !== undefined) upsert.run(key, JSON.stringify(value), now);
    })();
    return this.get();
  }

  favourites(): string[] {
    return this.#db.prepare('SELECT host FROM favourite_hosts ORDER BY host').pluck().all() as string[];
  }

  setFavourite(host: string, favourite: boolean, now: number): string[] {
    if (favourite) this.#db.prepare('INSERT OR IGNORE INTO favourite_hosts (host, added_at) VALUES (?, ?)').run(host, now);
    else this.#db.prepare('DELETE FROM favourite_hosts WHERE host = ?').run(host);
    return this.favourites();
  }
}
