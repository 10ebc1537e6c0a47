import type { Metric } from '../../shared/compare.ts';
import type { RunKind } from '../../shared/runs.ts';
import { RUN_VALUE_SQL, SAMPLE_VALUE_SQL } from '../compare/metrics.ts';
import type { DB } from './database.ts';

export interface Column {
  x: Float64Array;
  y: Float64Array;
  runIds: Float64Array;
  fingerprints: Array<string | null>;
}

export interface GroupQuery {
  runIds?: number[];
  tag?: string;
  host?: string;
  family?: '4' | '6';
  from?: number;
  to?: number;
}

/**
 * The compare views' queries. Rows stream straight into typed arrays (no array of objects),
 * and each query is answered from an index: per-run values by target, samples by run.
 */
export class CompareStore {
  readonly #db: DB;
  readonly #cache = new Map<string, ReturnType<DB['prepare']>>();

  constructor(db: DB) {
    this.#db = db;
  }

  #prepare(sql: string) {
    let s = this.#cache.get(sql);
    if (!s) {
      s = this.#db.prepare(sql);
      this.#cache.set(sql, s);
    }
    return s;
  }

  /** One run's per-interval series (sum over streams). */
  runSeries(runId: number, metric: Metric): Column {
    const stmt = this.#prepare(`SELECT s.end_s AS x, ${SAMPLE_VALUE_SQL[metric]} AS y FROM throughput_samples s WHERE s.run_id = ? AND s.stream = -1 AND s.omitted = 0 ORDER BY s.seq`).raw(true);
    const rows = stmt.all(runId) as Array<[number, number | null]>;
    return fill(rows.map(([x, y]) => [x, y, runId, null] as const));
  }

  /** The metric's value for every finished run in a group. */
  groupValues(group: GroupQuery, kind: RunKind, metric: Metric): Column {
    const where = ['+r.kind = @kind', "+r.status = 'succeeded'"];
    const params: Record<string, string | number> = { kind };
    if (group.runIds?.length) where.push(`r.id IN (${group.runIds.map((id) => Number(id)).join(',')})`);
    if (group.tag !== undefined) {
      where.push('r.id IN (SELECT run_id FROM run_tags WHERE tag = @tag)');
      params.tag = group.tag;
    }
    if (group.host !== undefined) {
      where.push('r.target_id IN (SELECT id FROM targets WHERE host = @host)');
      params.host = group.host;
    }
    // With a host, its per-target index is the selective one; keep the others out of the plan.
    const plus = group.host !== undefined ? '+' : '';
    if (group.family !== undefined) {
      where.push(`${plus}r.family_used = @family`);
      params.family = group.family;
    }
    if (group.from !== undefined) {
      where.push(`${plus}r.created_at >= @from`);
      params.from = group.from;
    }
    if (group.to !== undefined) {
      where.push(`${plus}r.created_at < @to`);
      params.to = group.to;
    }
    const stmt = this.#prepare(`SELECT r.created_at, ${RUN_VALUE_SQL[metric]}, r.id, NULL FROM runs r WHERE ${where.join(' AND ')} ORDER BY r.id`).raw(true);
    return fill(stmt.all(params) as Array<readonly [number, number | null, number, string | null]>);
  }
}

/** Rows → typed columns, skipping rows without a value. */
function fill(rows: ReadonlyArray<readonly [number, number | null, number, string | null]>): Column {
  const x = new Float64Array(rows.length);
  const y = new Float64Array(rows.length);
  const ids = new Float64Array(rows.length);
  const fingerprints: Array<string | null> = [];
  let n = 0;
  for (const [rx, ry, id, fp] of rows) {
    if (ry === null || !Number.isFinite(ry)) continue;
    x[n] = rx;
    y[n] = ry;
    ids[n] = id;
    fingerprints.push(fp);
    n += 1;
  }
  return { x: x.subarray(0, n), y: y.subarray(0, n), runIds: ids.subarray(0, n), fingerprints };
}
