import type Database from 'better-sqlite3';
import { TimelineStore } from '../timeline.ts';

/**
 * The compare views gained one-way delay, jitter and loss (latency runs) and round-trip delay,
 * jitter and loss (twamp and ping rtt runs). Their columnar timelines did not exist before (those
 * kinds had no metric), and appending only covers runs that finish from now on: build them for
 * the runs already stored. No schema change; the hot queries use existing primary keys.
 */
export function up(db: Database.Database): void {
  const timeline = new TimelineStore(db);
  const pairs = db.prepare("SELECT DISTINCT target_id, kind FROM runs WHERE status = 'succeeded' AND kind IN ('latency', 'twamp', 'rtt')").all() as Array<{ target_id: number; kind: 'latency' | 'twamp' | 'rtt' }>;
  for (const p of pairs) timeline.rebuild(p.target_id, p.kind);
}
