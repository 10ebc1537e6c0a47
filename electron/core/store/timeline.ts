import { metricsFor, type Metric } from '../../shared/compare.ts';
import type { RunKind } from '../../shared/runs.ts';
import { runValueSql } from '../compare/metrics.ts';
import type { Statement } from 'better-sqlite3';
import type { DB } from './database.ts';

/** Runs per chunk: small enough that appending one run rewrites a few tens of kB. */
export const CHUNK_POINTS = 512;

/** The metrics a kind's timeline carries, in a fixed order (part of the chunk layout). */
export const metricsOf = (kind: RunKind): Metric[] => metricsFor(kind);

/** Fields per point: created_at, run id, family (4, 6 or 0), route hash (NaN when unknown), then the metrics. */
const BASE_FIELDS = 4;
export const layoutOf = (kind: RunKind): string => ['x', 'run', 'family', 'route', ...metricsOf(kind)].join(',');

/** A route fingerprint as a number that changes when the route does (FNV-1a, 32 bit). */
export function routeHash(fingerprint: string | null): number {
  if (fingerprint === null) return Number.NaN;
  let h = 0x811c9dc5;
  for (let i = 0; i < fingerprint.length; i += 1) {
    h ^= fingerprint.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export interface TimelineColumns {
  x: Float64Array;
  runIds: Float64Array;
  family: Float64Array;
  route: Float64Array;
  values: Record<string, Float64Array>;
}

export interface TimeRange {
  from?: number;
  to?: number;
}

/**
 * The chunks of a host's timeline (@host, @kind; every host's without `byHost`), in time order per
 * target, cut to those that overlap [@from, @to) by their stored first and last x: a target's
 * chunks hold its runs in time order.
 */
export function timelineChunkSql(range: TimeRange, byHost = true): string {
  const where = [...(byHost ? ['c.target_id IN (SELECT id FROM targets WHERE host = @host)'] : []), 'c.kind = @kind'];
  if (range.from !== undefined) where.push('c.last_x >= @from');
  if (range.to !== undefined) where.push('c.first_x < @to');
  return `SELECT c.target_id, c.layout, c.n, c.data FROM timeline_chunks c WHERE ${where.join(' AND ')} ORDER BY c.target_id, c.seq`;
}

interface ChunkRow {
  seq: number;
  n: number;
  last_x: number;
  data: Buffer;
}

/**
 * Maintains and reads the columnar timelines. Every write happens inside the caller's
 * transaction (RunStore.finish / delete), so chunks never disagree with the runs table.
 */
export class TimelineStore {
  readonly #db: DB;
  readonly #statements = new Map<string, Statement<unknown[]>>();

  constructor(db: DB) {
    this.#db = db;
  }

  #prepare(sql: string): Statement<unknown[]> {
    let s = this.#statements.get(sql);
    if (!s) {
      s = this.#db.prepare<unknown[]>(sql);
      this.#statements.set(sql, s);
    }
    return s;
  }

  #pointSql(kind: RunKind): string {
    const metrics = metricsOf(kind).map((m) => runValueSql(m, kind));
    return `SELECT r.created_at, r.id, CASE r.family_used WHEN '4' THEN 4 WHEN '6' THEN 6 ELSE 0 END, r.path_fingerprint${metrics.map((m) => `, ${m}`).join('')} FROM runs r`;
  }

  #encode(rows: unknown[][], kind: RunKind): Float64Array {
    const fields = BASE_FIELDS + metricsOf(kind).length;
    const out = new Float64Array(rows.length * fields);
    rows.forEach((row, i) => {
      const o = i * fields;
      out[o] = Number(row[0]);
      out[o + 1] = Number(row[1]);
      out[o + 2] = Number(row[2]);
      out[o + 3] = routeHash((row[3] as string | null) ?? null);
      for (let m = 4; m < fields; m += 1) {
        const v = row[m];
        out[o + m] = typeof v === 'number' && Number.isFinite(v) ? v : Number.NaN;
      }
    });
    return out;
  }

  #write(targetId: number, kind: RunKind, seq: number, points: Float64Array): void {
    const fields = BASE_FIELDS + metricsOf(kind).length;
    const n = points.length / fields;
    this.#prepare(
        `INSERT INTO timeline_chunks (target_id, kind, seq, layout, n, first_x, last_x, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (target_id, kind, seq) DO UPDATE SET layout = excluded.layout, n = excluded.n, first_x = excluded.first_x, last_x = excluded.last_x, data = excluded.data`,
    ).run(targetId, kind, seq, layoutOf(kind), n, points[0] ?? 0, points[(n - 1) * fields] ?? 0, Buffer.from(points.buffer, points.byteOffset, points.byteLength));
  }

  /** Adds a run that just succeeded; call inside the finishing transaction. */
  append(runId: number): void {
    const run = this.#prepare("SELECT target_id, kind, created_at FROM runs WHERE id = ? AND status = 'succeeded'").get(runId) as { target_id: number; kind: RunKind; created_at: number } | undefined;
    if (!run || metricsOf(run.kind).length === 0) return;
    const last = this.#prepare('SELECT seq, n, last_x, data FROM timeline_chunks WHERE target_id = ? AND kind = ? ORDER BY seq DESC LIMIT 1').get(run.target_id, run.kind) as ChunkRow | undefined;
    const point = this.#encode(this.#prepare(`${this.#pointSql(run.kind)} WHERE r.id = ?`).raw(true).all(runId) as unknown[][], run.kind);
    if (last && run.created_at < last.last_x) {
      // A run created earlier finished later: keep time order by rebuilding this timeline.
      this.rebuild(run.target_id, run.kind);
      return;
    }
    if (!last || last.n >= CHUNK_POINTS) {
      this.#write(run.target_id, run.kind, last ? last.seq + 1 : 0, point);
      return;
    }
    const existing = new Float64Array(last.data.buffer.slice(last.data.byteOffset, last.data.byteOffset + last.data.byteLength));
    const merged = new Float64Array(existing.length + point.length);
    merged.set(existing);
    merged.set(point, existing.length);
    this.#write(run.target_id, run.kind, last.seq, merged);
  }

  /** Recomputes one target's timeline for one kind from the runs table. */
  rebuild(targetId: number, kind: RunKind): void {
    this.#db.prepare('DELETE FROM timeline_chunks WHERE target_id = ? AND kind = ?').run(targetId, kind);
    if (metricsOf(kind).length === 0) return;
    const rows = this.#db.prepare(`${this.#pointSql(kind)} WHERE r.target_id = ? AND r.kind = ? AND r.status = 'succeeded' ORDER BY r.created_at, r.id`).raw(true).all(targetId, kind) as unknown[][];
    for (let start = 0, seq = 0; start < rows.length; start += CHUNK_POINTS, seq += 1) this.#write(targetId, kind, seq, this.#encode(rows.slice(start, start + CHUNK_POINTS), kind));
  }

  /** Rebuilds every timeline (after a migration, a bulk import, or a layout change). */
  rebuildAll(): void {
    const pairs = this.#db.prepare("SELECT DISTINCT target_id, kind FROM runs WHERE status = 'succeeded'").all() as Array<{ target_id: number; kind: RunKind }>;
    this.#db.exec('DELETE FROM timeline_chunks');
    for (const p of pairs) this.rebuild(p.target_id, p.kind);
  }

  /**
   * The timelines of all targets with this host name (of every target: null), merged in time
   * order unless `ordered` is false. With a range, only the chunks that overlap it are read
   * (points outside it still need the caller's filter).
   */
  read(host: string | null, kind: RunKind, range: TimeRange = {}, { ordered = true } = {}): TimelineColumns {
    const stale = (
      host === null
        ? this.#prepare('SELECT DISTINCT target_id FROM timeline_chunks WHERE kind = ? AND layout != ?').pluck().all(kind, layoutOf(kind))
        : this.#prepare('SELECT DISTINCT target_id FROM timeline_chunks WHERE target_id IN (SELECT id FROM targets WHERE host = ?) AND kind = ? AND layout != ?').pluck().all(host, kind, layoutOf(kind))
    ) as number[];
    for (const targetId of stale) this.rebuild(targetId, kind);
    const metrics = metricsOf(kind);
    const fields = BASE_FIELDS + metrics.length;
    const chunks = this.#prepare(timelineChunkSql(range, host !== null))
      .raw(true)
      .all({ ...(host !== null ? { host } : {}), kind, ...(range.from !== undefined ? { from: range.from } : {}), ...(range.to !== undefined ? { to: range.to } : {}) }) as Array<[number, string, number, Buffer]>;
    const total = chunks.reduce((a, [, , n]) => a + n, 0);
    const packed = new Float64Array(total * fields);
    let offset = 0;
    for (const [, , n, data] of chunks) {
      packed.set(new Float64Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)), offset);
      offset += n * fields;
    }
    const targets = new Set(chunks.map(([t]) => t)).size;
    let order: Uint32Array | null = null;
    if (ordered && targets > 1) {
      order = new Uint32Array(total);
      for (let i = 0; i < total; i += 1) order[i] = i;
      order.sort((a, b) => (packed[a * fields] ?? 0) - (packed[b * fields] ?? 0));
    }
    const column = (f: number) => {
      const out = new Float64Array(total);
      if (order) for (let i = 0; i < total; i += 1) out[i] = packed[(order[i] ?? 0) * fields + f] ?? Number.NaN;
      else for (let i = 0; i < total; i += 1) out[i] = packed[i * fields + f] ?? Number.NaN;
      return out;
    };
    const values: Record<string, Float64Array> = {};
    metrics.forEach((m, i) => (values[m] = column(BASE_FIELDS + i)));
    return { x: column(0), runIds: column(1), family: column(2), route: column(3), values };
  }
}
