import type Database from 'better-sqlite3';
import type { HopAssessment, MtuProbe, PathHop, PingReply } from '../../../shared/path.ts';
import type { PathRun } from './identity.ts';
import type { TraceResult } from './run.ts';

/**
 * Named queries over the path tables of migration 0030 (proposed). Writes are meant to run inside
 * the run's finishing transaction (MethodOutcome.writeSamples); reads rebuild the shared types.
 */

interface HopRow {
  ttl: number;
  sent: number;
  received: number;
  loss_percent: number | null;
  rtt_last_ms: number | null;
  rtt_avg_ms: number | null;
  rtt_best_ms: number | null;
  rtt_worst_ms: number | null;
  rtt_stdev_ms: number | null;
  mtu: number | null;
  mtu_reported_by: string | null;
  asymm: number | null;
  flags: string;
  reached: number;
  note: string | null;
  loss_class: HopAssessment['lossClass'];
  forward_loss_percent: number | null;
  rate_limited_percent: number | null;
  loss_starts_here: number;
}

export interface StoredPathRun {
  runId: number;
  tool: string;
  method: string;
  paris: boolean;
  format: string;
  family: '4' | '6' | null;
  targetAddress: string | null;
  fingerprint: string;
  pathKey: string;
  hopCount: number;
  reached: boolean;
  destinationTtl: number | null;
  lossStartsAtTtl: number | null;
  localMtu: number | null;
  pathMtu: number | null;
  hopsBack: number | null;
  measuredAt: number;
  problems: string[];
}

interface PathRunRow {
  run_id: number;
  tool: string;
  method: string;
  paris: number;
  format: string;
  family: '4' | '6' | null;
  target_address: string | null;
  fingerprint: string;
  path_key: string;
  hop_count: number;
  reached: number;
  destination_ttl: number | null;
  loss_starts_at_ttl: number | null;
  local_mtu: number | null;
  path_mtu: number | null;
  hops_back: number | null;
  measured_at: number;
  problems: string;
}

function parseJsonArray(text: string): string[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

export class PathStore {
  readonly #insertRun: Database.Statement;
  readonly #insertHop: Database.Statement;
  readonly #insertResponder: Database.Statement;
  readonly #insertProbe: Database.Statement;
  readonly #insertReply: Database.Statement;
  readonly #insertMtuProbe: Database.Statement;
  readonly #run: Database.Statement<[number], PathRunRow>;
  readonly #hops: Database.Statement<[number], HopRow>;
  readonly #responders: Database.Statement<[number], { ttl: number; address: string; name: string | null; replies: number }>;
  readonly #probes: Database.Statement<[number], { ttl: number; seq: number; address: string | null; rtt_ms: number | null; flag: string | null }>;
  readonly #replies: Database.Statement<[number], { seq: number; status: PingReply['status']; rtt_ms: number | null; ttl: number | null; bytes: number | null; from_address: string | null; message: string | null; mtu: number | null }>;
  readonly #mtuProbes: Database.Statement<[number], { step: number; mtu: number; outcome: MtuProbe['outcome']; reported_mtu: number | null; from_address: string | null }>;
  readonly #historyByTarget: Database.Statement<{ targetId: number; before: number; family: string | null; limit: number }, PathRunRow>;
  readonly #historyByHost: Database.Statement<{ host: string; before: number; family: string | null; limit: number }, PathRunRow>;
  readonly #familiesOfHost: Database.Statement<[string], { family: '4' | '6' }>;
  readonly #runsThrough: Database.Statement<[string, number], { run_id: number; ttl: number }>;
  #latestRoute: Database.Statement<{ targetId: number; anyFamily: number; family: string | null }, { run_id: number; reached: number; route: string | null }> | null = null;
  readonly #db: Database.Database;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#insertRun = db.prepare(`
      INSERT INTO path_runs (run_id, tool, method, paris, format, family, target_address, fingerprint, path_key, hop_count,
        reached, destination_ttl, loss_starts_at_ttl, local_mtu, path_mtu, hops_back, measured_at, problems)
      VALUES (@runId, @tool, @method, @paris, @format, @family, @targetAddress, @fingerprint, @pathKey, @hopCount,
        @reached, @destinationTtl, @lossStartsAtTtl, @localMtu, @pathMtu, @hopsBack, @measuredAt, @problems)`);
    this.#insertHop = db.prepare(`
      INSERT INTO path_hops (run_id, ttl, sent, received, loss_percent, rtt_last_ms, rtt_avg_ms, rtt_best_ms, rtt_worst_ms,
        rtt_stdev_ms, mtu, mtu_reported_by, asymm, flags, reached, note, loss_class, forward_loss_percent, rate_limited_percent,
        loss_starts_here)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.#insertResponder = db.prepare('INSERT INTO path_responders (run_id, ttl, address, name, replies) VALUES (?, ?, ?, ?, ?)');
    this.#insertProbe = db.prepare('INSERT INTO path_probes (run_id, ttl, seq, address, rtt_ms, flag) VALUES (?, ?, ?, ?, ?, ?)');
    this.#insertReply = db.prepare(`
      INSERT INTO ping_replies (run_id, idx, seq, status, rtt_ms, ttl, bytes, from_address, message, mtu)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.#insertMtuProbe = db.prepare('INSERT INTO mtu_probes (run_id, step, mtu, outcome, reported_mtu, from_address) VALUES (?, ?, ?, ?, ?, ?)');
    this.#run = db.prepare('SELECT * FROM path_runs WHERE run_id = ?');
    this.#hops = db.prepare('SELECT * FROM path_hops WHERE run_id = ? ORDER BY ttl');
    this.#responders = db.prepare('SELECT ttl, address, name, replies FROM path_responders WHERE run_id = ? ORDER BY ttl, replies DESC, address');
    this.#probes = db.prepare('SELECT ttl, seq, address, rtt_ms, flag FROM path_probes WHERE run_id = ? ORDER BY ttl, seq');
    this.#replies = db.prepare('SELECT seq, status, rtt_ms, ttl, bytes, from_address, message, mtu FROM ping_replies WHERE run_id = ? ORDER BY idx');
    this.#mtuProbes = db.prepare('SELECT step, mtu, outcome, reported_mtu, from_address FROM mtu_probes WHERE run_id = ? ORDER BY step');
    // Route history comes from trace runs only: the tracepath inside an mtu run stops where PMTU
    // discovery stops, which is not a route observation.
    this.#historyByTarget = db.prepare(`
      SELECT p.* FROM runs r JOIN path_runs p ON p.run_id = r.id
      WHERE r.target_id = @targetId AND r.kind = 'trace' AND r.id < @before AND (@family IS NULL OR p.family = @family)
      ORDER BY r.id DESC LIMIT @limit`);
    this.#historyByHost = db.prepare(`
      SELECT p.* FROM runs r JOIN path_runs p ON p.run_id = r.id
      WHERE r.target_id IN (SELECT id FROM targets WHERE host = @host) AND r.kind = 'trace' AND r.id < @before
        AND (@family IS NULL OR p.family = @family)
      ORDER BY r.id DESC LIMIT @limit`);
    this.#familiesOfHost = db.prepare(`
      SELECT p.family FROM runs r JOIN path_runs p ON p.run_id = r.id
      WHERE r.target_id IN (SELECT id FROM targets WHERE host = ?) AND r.kind = 'trace' AND p.family IS NOT NULL
      GROUP BY p.family ORDER BY max(r.id) DESC`);
    this.#runsThrough = db.prepare('SELECT run_id, ttl FROM path_responders WHERE address = ? ORDER BY run_id DESC LIMIT ?');
  }

  /** Call inside a transaction. */
  insertTrace(runId: number, measuredAt: number, result: TraceResult): void {
    const { trace, assessment } = result;
    this.#insertRun.run({
      runId,
      tool: result.tool,
      method: result.method,
      paris: result.paris ? 1 : 0,
      format: trace.format,
      family: trace.targetAddress ? (trace.targetAddress.includes(':') ? '6' : '4') : null,
      targetAddress: trace.targetAddress,
      fingerprint: result.fingerprint,
      pathKey: result.pathKey,
      hopCount: trace.hops.length,
      reached: trace.reached ? 1 : 0,
      destinationTtl: assessment.destinationTtl,
      lossStartsAtTtl: assessment.lossStartsAtTtl,
      localMtu: trace.localMtu,
      pathMtu: trace.pathMtu ?? assessment.mtu.final,
      hopsBack: trace.hopsBack,
      measuredAt,
      problems: JSON.stringify(trace.problems),
    });
    const byTtl = new Map(assessment.hops.map((a) => [a.ttl, a]));
    for (const hop of trace.hops) {
      const a = byTtl.get(hop.ttl);
      this.#insertHop.run(
        runId, hop.ttl, hop.sent, hop.received, hop.lossPercent,
        hop.rtt?.last ?? null, hop.rtt?.avg ?? null, hop.rtt?.best ?? null, hop.rtt?.worst ?? null, hop.rtt?.stdev ?? null,
        hop.mtu, hop.mtuReportedBy, hop.asymm, JSON.stringify(hop.flags), hop.reached ? 1 : 0, hop.note,
        a?.lossClass ?? 'none', a?.forwardLossPercent ?? null, a?.rateLimitedPercent ?? null, a?.lossStartsHere ? 1 : 0,
      );
      for (const r of hop.responders) this.#insertResponder.run(runId, hop.ttl, r.address, r.name, r.replies);
      hop.probes.forEach((p, seq) => this.#insertProbe.run(runId, hop.ttl, seq, p.address, p.rttMs, p.flag));
    }
  }

  insertPingReplies(runId: number, replies: readonly PingReply[]): void {
    replies.forEach((r, idx) => this.#insertReply.run(runId, idx, r.seq, r.status, r.rttMs, r.ttl, r.bytes, r.from, r.message, r.mtu));
  }

  insertMtuProbes(runId: number, probes: readonly MtuProbe[]): void {
    for (const p of probes) this.#insertMtuProbe.run(runId, p.step, p.mtu, p.outcome, p.reportedMtu, p.from);
  }

  pathRun(runId: number): StoredPathRun | null {
    const row = this.#run.get(runId);
    return row ? toStoredRun(row) : null;
  }

  /** The hops of a stored trace, rebuilt, with their stored assessment. */
  hops(runId: number): { hops: PathHop[]; assessment: HopAssessment[] } {
    const responders = this.#responders.all(runId);
    const probes = this.#probes.all(runId);
    const hops: PathHop[] = [];
    const assessment: HopAssessment[] = [];
    for (const row of this.#hops.all(runId)) {
      const flags = parseJsonArray(row.flags);
      hops.push({
        ttl: row.ttl,
        responders: responders.filter((r) => r.ttl === row.ttl).map((r) => ({ address: r.address, name: r.name, replies: r.replies })),
        probes: probes.filter((p) => p.ttl === row.ttl).map((p) => ({ address: p.address, rttMs: p.rtt_ms, flag: p.flag })),
        sent: row.sent,
        received: row.received,
        lossPercent: row.loss_percent,
        rtt: row.received > 0 ? { last: row.rtt_last_ms, avg: row.rtt_avg_ms, best: row.rtt_best_ms, worst: row.rtt_worst_ms, stdev: row.rtt_stdev_ms } : null,
        mtu: row.mtu,
        mtuReportedBy: row.mtu_reported_by,
        asymm: row.asymm,
        flags,
        reached: row.reached === 1,
        note: row.note,
      });
      assessment.push({
        ttl: row.ttl,
        lossClass: row.loss_class,
        lossPercent: row.loss_percent,
        forwardLossPercent: row.forward_loss_percent,
        rateLimitedPercent: row.rate_limited_percent,
        lossStartsHere: row.loss_starts_here === 1,
        unreachable: flags.find((f) => f !== '!' && !f.startsWith('!F')) ?? null,
      });
    }
    return { hops, assessment };
  }

  pingReplies(runId: number): PingReply[] {
    return this.#replies.all(runId).map((r) => ({ seq: r.seq, status: r.status, rttMs: r.rtt_ms, ttl: r.ttl, bytes: r.bytes, from: r.from_address, message: r.message, mtu: r.mtu }));
  }

  mtuProbes(runId: number): MtuProbe[] {
    return this.#mtuProbes.all(runId).map((p) => ({ step: p.step, mtu: p.mtu, outcome: p.outcome, reportedMtu: p.reported_mtu, from: p.from_address }));
  }

  /**
   * The trace runs to one target, newest first (keyset: runs below `before`), each as a PathRun
   * ready for detectPathChanges. Pass `family` to get one route series: an IPv4 and an IPv6 path
   * are never the same route, so they must not be diffed against each other.
   */
  history(targetId: number, options: HistoryOptions = {}): StoredPathHistoryRun[] {
    return this.#withHops(this.#historyByTarget.all({ targetId, ...historyParams(options) }));
  }

  /** Like history, over every target with this host name (any port). */
  historyForHost(host: string, options: HistoryOptions = {}): StoredPathHistoryRun[] {
    return this.#withHops(this.#historyByHost.all({ host, ...historyParams(options) }));
  }

  /** The address families a host's trace runs used, the most recently traced first. */
  familiesForHost(host: string): Array<'4' | '6'> {
    return this.#familiesOfHost.all(host).map((r) => r.family);
  }

  #withHops(rows: PathRunRow[]): StoredPathHistoryRun[] {
    return rows.map((row) => {
      const stored = toStoredRun(row);
      return { runId: row.run_id, at: row.measured_at, stored, path: { reached: stored.reached, hops: this.hops(row.run_id).hops } };
    });
  }

  /**
   * The newest succeeded trace run to a target, with the route fingerprint recorded for it
   * (runs.path_fingerprint, migration 0020; the strict one when that column is empty), for
   * routeFingerprint. With `family`, only traces over that family (null: family unknown).
   * Prepared lazily: needs the runs.path_fingerprint column.
   */
  latestRoute(targetId: number, family?: '4' | '6' | null): { runId: number; path: PathRun['path']; fingerprint: string } | null {
    this.#latestRoute ??= this.#db.prepare(`
      SELECT p.run_id, p.reached, coalesce(r.path_fingerprint, p.fingerprint) AS route FROM runs r JOIN path_runs p ON p.run_id = r.id
      WHERE r.target_id = @targetId AND r.kind = 'trace' AND r.status = 'succeeded' AND (@anyFamily = 1 OR p.family IS @family)
      ORDER BY r.id DESC LIMIT 1`);
    const row = this.#latestRoute.get({ targetId, anyFamily: family === undefined ? 1 : 0, family: family ?? null });
    if (!row || row.route === null) return null;
    return { runId: row.run_id, fingerprint: row.route, path: { reached: row.reached === 1, hops: this.hops(row.run_id).hops } };
  }

  /** Runs whose path went through `address` (newest first), and at which TTL. */
  runsThrough(address: string, limit = 200): Array<{ runId: number; ttl: number }> {
    return this.#runsThrough.all(address.toLowerCase(), limit).map((r) => ({ runId: r.run_id, ttl: r.ttl }));
  }
}

export interface HistoryOptions {
  limit?: number;
  before?: number;
  family?: '4' | '6';
}

export type StoredPathHistoryRun = PathRun & { runId: number; stored: StoredPathRun };

function historyParams(options: HistoryOptions): { before: number; family: string | null; limit: number } {
  return { before: options.before ?? Number.MAX_SAFE_INTEGER, family: options.family ?? null, limit: Math.min(options.limit ?? 200, 2000) };
}

function toStoredRun(row: PathRunRow): StoredPathRun {
  return {
    runId: row.run_id,
    tool: row.tool,
    method: row.method,
    paris: row.paris === 1,
    format: row.format,
    family: row.family,
    targetAddress: row.target_address,
    fingerprint: row.fingerprint,
    pathKey: row.path_key,
    hopCount: row.hop_count,
    reached: row.reached === 1,
    destinationTtl: row.destination_ttl,
    lossStartsAtTtl: row.loss_starts_at_ttl,
    localMtu: row.local_mtu,
    pathMtu: row.path_mtu,
    hopsBack: row.hops_back,
    measuredAt: row.measured_at,
    problems: parseJsonArray(row.problems),
  };
}
