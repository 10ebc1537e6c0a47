import type { Statement } from 'better-sqlite3';
import type { ErrorInfo } from '../../shared/errors.ts';
import type { LsRecord, UsedRecordType } from '../discovery/records.ts';
import type { DB } from './database.ts';

export type CachedSourceKind = 'records' | 'search';

export interface CachedRecord {
  record: LsRecord;
  source: string;
  fetchedAt: number;
}

export interface CachedSource {
  url: string;
  kind: CachedSourceKind;
  lastAttemptAt: number | null;
  lastSuccessAt: number | null;
  lastError: ErrorInfo | null;
  /** Last time every record of this source was fetched (a refresh or an untyped search); null: never. */
  completeAt: number | null;
  records: number;
  /** Fetch time of the oldest / newest record held for this source. */
  oldestFetchAt: number | null;
  newestFetchAt: number | null;
}

interface SourceRow {
  url: string;
  kind: CachedSourceKind;
  last_attempt_at: number | null;
  last_success_at: number | null;
  last_error_code: ErrorInfo['code'] | null;
  last_error_message: string | null;
  complete_at: number | null;
  records: number;
  oldest: number | null;
  newest: number | null;
}

interface RecordRow {
  source_url: string;
  uri: string;
  type: UsedRecordType;
  expires_at: number;
  fetched_at: number;
  fields: string;
}

/** Named queries over the Lookup Service cache (migration 0020). No SQL leaves this module. */
export class DiscoveryStore {
  readonly #db: DB;
  readonly #upsertSource: Statement;
  readonly #noteAttempt: Statement;
  readonly #noteComplete: Statement;
  readonly #upsertRecord: Statement;
  readonly #deleteStale: Statement;
  readonly #all: Statement<[], RecordRow>;
  readonly #forSource: Statement<[string], RecordRow>;
  readonly #sources: Statement<[], SourceRow>;
  readonly #prune: Statement<[number]>;
  readonly #pruneSources: Statement<[]>;

  constructor(db: DB) {
    this.#db = db;
    this.#upsertSource = db.prepare(`
      INSERT INTO ls_sources (url, kind) VALUES (@url, @kind)
      ON CONFLICT (url) DO UPDATE SET kind = excluded.kind`);
    this.#noteAttempt = db.prepare(`
      UPDATE ls_sources SET last_attempt_at = @at,
        last_success_at = CASE WHEN @code IS NULL THEN @at ELSE last_success_at END,
        last_error_code = @code, last_error_message = @message
      WHERE url = @url`);
    this.#noteComplete = db.prepare('UPDATE ls_sources SET complete_at = @at WHERE url = @url');
    this.#upsertRecord = db.prepare(`
      INSERT INTO ls_records (source_url, uri, type, expires_at, fetched_at, fields)
      VALUES (@source, @uri, @type, @expires, @fetchedAt, @fields)
      ON CONFLICT (source_url, uri) DO UPDATE SET type = excluded.type, expires_at = excluded.expires_at,
        fetched_at = excluded.fetched_at, fields = excluded.fields`);
    this.#deleteStale = db.prepare('DELETE FROM ls_records WHERE source_url = @source AND type = @type AND fetched_at < @fetchedAt');
    const columns = 'source_url, uri, type, expires_at, fetched_at, fields';
    this.#all = db.prepare(`SELECT ${columns} FROM ls_records`);
    this.#forSource = db.prepare(`SELECT ${columns} FROM ls_records WHERE source_url = ?`);
    this.#sources = db.prepare(`
      SELECT s.url, s.kind, s.last_attempt_at, s.last_success_at, s.last_error_code, s.last_error_message, s.complete_at,
        count(r.uri) AS records, min(r.fetched_at) AS oldest, max(r.fetched_at) AS newest
      FROM ls_sources s LEFT JOIN ls_records r ON r.source_url = s.url
      GROUP BY s.url ORDER BY s.url`);
    this.#prune = db.prepare('DELETE FROM ls_records WHERE fetched_at < ?');
    this.#pruneSources = db.prepare(`
      DELETE FROM ls_sources WHERE NOT EXISTS (SELECT 1 FROM ls_records r WHERE r.source_url = ls_sources.url)
        AND last_success_at IS NULL`);
  }

  /**
   * Stores what one source returned, in one transaction. `completeTypes` names record types fetched
   * in full (a refresh): older records of those types from this source are removed, so hosts that
   * left the Lookup Service leave the cache too. A targeted search only adds and updates. `complete`
   * says the fetch covered every service with its hosts and interfaces, so the cache can answer any query.
   */
  save(source: string, kind: CachedSourceKind, records: readonly LsRecord[], fetchedAt: number, completeTypes: readonly UsedRecordType[] = [], complete = completeTypes.length > 0): void {
    this.#db.transaction(() => {
      this.#upsertSource.run({ url: source, kind });
      for (const r of records) {
        this.#upsertRecord.run({ source, uri: r.uri, type: r.type, expires: r.expires, fetchedAt, fields: JSON.stringify(r.fields) });
      }
      for (const type of completeTypes) this.#deleteStale.run({ source, type, fetchedAt });
      this.#noteAttempt.run({ url: source, at: fetchedAt, code: null, message: null });
      if (complete) this.#noteComplete.run({ url: source, at: fetchedAt });
    }).immediate();
  }

  /** Records a failed attempt (the cached records stay). */
  noteFailure(source: string, kind: CachedSourceKind, at: number, error: ErrorInfo): void {
    this.#db.transaction(() => {
      this.#upsertSource.run({ url: source, kind });
      this.#noteAttempt.run({ url: source, at, code: error.code, message: error.message.slice(0, 1000) });
    }).immediate();
  }

  /** Cached records, of the given sources or all. Rows that fail to parse are skipped. */
  load(sources?: readonly string[]): CachedRecord[] {
    const rows = sources === undefined ? this.#all.all() : sources.flatMap((s) => this.#forSource.all(s));
    const out: CachedRecord[] = [];
    for (const row of rows) {
      let fields: Record<string, string[]>;
      try {
        fields = JSON.parse(row.fields) as Record<string, string[]>;
      } catch {
        continue;
      }
      out.push({ record: { uri: row.uri, type: row.type, expires: row.expires_at, fields }, source: row.source_url, fetchedAt: row.fetched_at });
    }
    return out;
  }

  sources(): CachedSource[] {
    return this.#sources.all().map((row) => ({
      url: row.url,
      kind: row.kind,
      lastAttemptAt: row.last_attempt_at,
      lastSuccessAt: row.last_success_at,
      lastError: row.last_error_code ? { code: row.last_error_code, message: row.last_error_message ?? '' } : null,
      completeAt: row.complete_at,
      records: row.records,
      oldestFetchAt: row.oldest,
      newestFetchAt: row.newest,
    }));
  }

  /** Forgets records fetched before `before` (ms); returns how many. */
  prune(before: number): number {
    return this.#db.transaction(() => {
      const removed = this.#prune.run(before).changes;
      this.#pruneSources.run();
      return removed;
    }).immediate();
  }
}
