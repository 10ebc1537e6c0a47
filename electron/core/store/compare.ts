import type { Metric } from '../../shared/compare.ts';
import type { RunKind } from '../../shared/runs.ts';
import { PACKET_DIRECTION, runValueSql, SAMPLE_VALUE_SQL } from '../compare/metrics.ts';
import type { PathLike, PathRun } from '../measure/trace/identity.ts';
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
 * Per-packet series of a session, by run and direction (@run run id, @direction direction): send offset
 * (ns) and delay (s), NULL when lost. Both walk the packets' primary key in order.
 */
export const PACKET_SERIES_SQL = {
  latency: 'SELECT p.send_offset_ns, p.delay_s FROM oneway_packets p WHERE p.run_id = @run AND p.session = (SELECT o.session FROM oneway_sessions o WHERE o.run_id = @run AND o.direction = @direction) ORDER BY p.idx',
  twamp: 'SELECT p.send_offset_ns, p.rtt_s FROM twamp_packets p WHERE p.run_id = @run AND p.session = (SELECT o.session FROM oneway_sessions o WHERE o.run_id = @run AND o.direction = @direction) ORDER BY p.idx',
} as const;

/** A throughput run's per-interval sums (stream −1) of one sample value, omitted intervals left out. */
export const runSeriesSql = (value: string) => `SELECT s.end_s AS x, ${value} AS y FROM throughput_samples s WHERE s.run_id = ? AND s.stream = -1 AND s.omitted = 0 ORDER BY s.seq`;

/** A ping run's echo replies in order: icmp_seq and RTT (ms). */
export const PING_SERIES_SQL = "SELECT p.seq, p.rtt_ms FROM ping_replies p WHERE p.run_id = ? AND p.status = 'reply' ORDER BY p.idx";

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

  /** One throughput run's per-interval series (sum over streams). */
  runSeries(runId: number, metric: Metric): Column {
    const value = SAMPLE_VALUE_SQL[metric];
    if (value === undefined) return fill([]);
    const stmt = this.#prepare(runSeriesSql(value)).raw(true);
    const rows = stmt.all(runId) as Array<[number, number | null]>;
    return fill(rows.map(([x, y]) => [x, y, runId, null] as const));
  }

  /**
   * One OWAMP/TWAMP session's per-packet delays: x = send time (s after the session start),
   * y = one-way delay or round-trip time (ms). Lost packets are left out; packets come in
   * arrival order, so a reordered one is put back in send order.
   */
  packetSeries(runId: number, kind: 'latency' | 'twamp', metric: Metric): Column {
    const direction = PACKET_DIRECTION[metric];
    if (direction === undefined) return fill([]);
    return streamColumn(this.#prepare(PACKET_SERIES_SQL[kind]).raw(true).iterate({ run: runId, direction }) as Iterable<[number, number | null]>, runId, 1e-9, 1000);
  }

  /** A ping run's replies: x = (seq − first seq) × interval (s), y = RTT (ms); timeouts and duplicates left out. */
  pingSeries(runId: number, intervalSeconds: number): Column {
    const rows = this.#prepare(PING_SERIES_SQL).raw(true).iterate(runId) as Iterable<[number, number | null]>;
    const column = streamColumn(rows, runId, 1, 1);
    const first = column.x[0] ?? 0;
    for (let i = 0; i < column.x.length; i += 1) column.x[i] = ((column.x[i] ?? 0) - first) * intervalSeconds;
    return column;
  }

  /** The metric's value for every finished run in a group. */
  groupValues(group: GroupQuery, kind: RunKind, metric: Metric): Column {
    const { sql, params } = groupValuesSql(group, kind, metric);
    return fill(this.#prepare(sql).raw(true).all(params) as Array<readonly [number, number | null, number, string | null]>);
  }

  /**
   * The traces to a host where its route can have changed, oldest first, with the hops and
   * responders path identity needs (PathLike): per family, the first trace and each one whose
   * stored fingerprint differs from the previous trace's. A trace on the same strict path as the
   * one before it cannot start a change, so its hops are never read.
   */
  routeTraces(host: string): StoredTrace[] {
    const last = new Map<string, string>();
    const kept = new Map<number, StoredTrace>();
    for (const [runId, at, family, reached, fingerprint] of this.#prepare(TRACE_RUNS_SQL).raw(true).iterate(host) as Iterable<[number, number, '4' | '6' | null, number, string]>) {
      if (last.get(family ?? '') === fingerprint) continue;
      last.set(family ?? '', fingerprint);
      kept.set(runId, { runId, at, family, path: { reached: reached === 1, hops: [] } });
    }
    if (kept.size === 0) return [];
    const hops = this.#prepare(TRACE_HOPS_SQL).raw(true).iterate(JSON.stringify([...kept.keys()])) as Iterable<[number, number, string | null, number, string | null]>;
    for (const [runId, ttl, flags, reached, addresses] of hops) {
      const parsed = flags ? (JSON.parse(flags) as unknown) : [];
      kept.get(runId)?.path.hops.push({
        ttl,
        flags: Array.isArray(parsed) ? parsed.filter((f): f is string => typeof f === 'string') : [],
        reached: reached === 1,
        responders: addresses ? addresses.split(' ').map((address) => ({ address })) : [],
      });
    }
    return [...kept.values()];
  }

  /** Every diagnosis of a host with a verdict, oldest first: when it finished and its expected ceiling (bit/s). */
  ceilings(host: string, range: { from?: number; to?: number }): Column {
    const rows = this.#prepare(CEILINGS_SQL).raw(true).all(host) as Array<[number, number | null, number]>;
    return fill(rows.filter(([x]) => (range.from === undefined || x >= range.from) && (range.to === undefined || x < range.to)).map(([x, y, id]) => [x, y, id, null] as const));
  }
}

type Hop = PathLike['hops'][number];
export type StoredTrace = PathRun & { runId: number; family: '4' | '6' | null; path: { reached: boolean; hops: Hop[] } };

/**
 * A host's trace runs (path_runs via its targets' runs) in time order, with their stored strict
 * fingerprint. Trace runs only, as the path history: an mtu run's tracepath stops where PMTU
 * discovery stops, which is not a route observation.
 */
export const TRACE_RUNS_SQL = `SELECT p.run_id, p.measured_at, p.family, p.reached, p.fingerprint
  FROM runs r JOIN path_runs p ON p.run_id = r.id
  WHERE r.target_id IN (SELECT id FROM targets WHERE host = ?) AND r.kind = 'trace'
  ORDER BY p.measured_at, r.id`;

/** The hops of some traces (a JSON array of run ids), each with its responders' addresses. */
export const TRACE_HOPS_SQL = `SELECT h.run_id, h.ttl, h.flags, h.reached,
    (SELECT group_concat(pr.address, ' ') FROM path_responders pr WHERE pr.run_id = h.run_id AND pr.ttl = h.ttl)
  FROM path_hops h WHERE h.run_id IN (SELECT value FROM json_each(?))
  ORDER BY h.run_id, h.ttl`;

/** A host's verdicts by the diagnoses' per-host index: finish time, expected ceiling, diagnosis id. */
export const CEILINGS_SQL =
  "SELECT coalesce(d.finished_at, d.created_at), json_extract(d.verdict, '$.ceilings.expected'), d.id FROM diagnoses d WHERE d.host = ? AND d.verdict IS NOT NULL ORDER BY d.id";

/**
 * The SQL (and its bound parameters) of a group's per-run values: one text per combination of
 * filters, so prepared statements stay few whatever the run ids; the ids go in as one JSON array.
 */
export function groupValuesSql(group: GroupQuery, kind: RunKind, metric: Metric): { sql: string; params: Record<string, string | number> } {
  const where = ['+r.kind = @kind', "+r.status = 'succeeded'"];
  const params: Record<string, string | number> = { kind };
  if (group.runIds?.length) {
    where.push('r.id IN (SELECT value FROM json_each(@runIds))');
    params.runIds = JSON.stringify(group.runIds.map((id) => Number(id)));
  }
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
  return { sql: `SELECT r.created_at, ${runValueSql(metric, kind)}, r.id, NULL FROM runs r WHERE ${where.join(' AND ')} ORDER BY r.id`, params };
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

/**
 * Rows streamed into growing typed columns (no row objects kept): x·xScale, y·yScale, rows
 * without a finite y skipped. Sorted by x when the rows were not (reordered packets).
 */
function streamColumn(rows: Iterable<readonly [number, number | null]>, runId: number, xScale: number, yScale: number): Column {
  let x = new Float64Array(1024);
  let y = new Float64Array(1024);
  let n = 0;
  let sorted = true;
  for (const [rx, ry] of rows) {
    if (ry === null || !Number.isFinite(ry)) continue;
    if (n === x.length) {
      const grow = (a: Float64Array) => {
        const b = new Float64Array(a.length * 2);
        b.set(a);
        return b;
      };
      x = grow(x);
      y = grow(y);
    }
    x[n] = rx * xScale;
    y[n] = ry * yScale;
    if (n > 0 && (x[n] ?? 0) < (x[n - 1] ?? 0)) sorted = false;
    n += 1;
  }
  x = x.subarray(0, n);
  y = y.subarray(0, n);
  if (!sorted) {
    const order = Uint32Array.from({ length: n }, (_, i) => i).sort((a, b) => (x[a] ?? 0) - (x[b] ?? 0) || a - b);
    x = Float64Array.from(order, (i) => x[i] ?? 0);
    y = Float64Array.from(order, (i) => y[i] ?? 0);
  }
  return { x, y, runIds: new Float64Array(n).fill(runId), fingerprints: new Array<string | null>(n).fill(null) };
}
