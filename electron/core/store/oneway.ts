import type { Statement } from 'better-sqlite3';
import type { SessionPackets } from '../../shared/latency.ts';
import {
  ONEWAY_PACKET_COLUMNS,
  ONEWAY_SESSION_COLUMNS,
  TWAMP_PACKET_COLUMNS,
  onewayPacketRows,
  onewaySessionRow,
  twampPacketRows,
  twampSessionRow,
  type SqlValue,
  type StoredOneWaySession,
  type StoredTwampSession,
} from '../measure/oneway/rows.ts';
import type { DB } from './database.ts';

const insertSql = (table: string, columns: readonly string[]) => `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;

/** OWAMP/TWAMP sessions and their per-packet records (migration 0080). */
export class OnewayStore {
  readonly #db: DB;
  readonly #session: Statement<SqlValue[]>;
  readonly #oneway: Statement<SqlValue[]>;
  readonly #twamp: Statement<SqlValue[]>;

  constructor(db: DB) {
    this.#db = db;
    this.#session = db.prepare(insertSql('oneway_sessions', ONEWAY_SESSION_COLUMNS));
    this.#oneway = db.prepare(insertSql('oneway_packets', ONEWAY_PACKET_COLUMNS));
    this.#twamp = db.prepare(insertSql('twamp_packets', TWAMP_PACKET_COLUMNS));
  }

  /** Call inside the run's finishing transaction. protocol owping: records read from a system owping. */
  insertOwamp(runId: number, sessions: readonly StoredOneWaySession[], protocol: 'owamp' | 'owping' = 'owamp'): void {
    sessions.forEach((result, index) => {
      this.#session.run(...onewaySessionRow(runId, index, protocol, result));
      for (const row of onewayPacketRows(runId, index, result)) this.#oneway.run(...row);
    });
  }

  insertTwamp(runId: number, result: StoredTwampSession): void {
    this.#session.run(...twampSessionRow(runId, 0, result));
    for (const row of twampPacketRows(runId, 0, result)) this.#twamp.run(...row);
  }

  /** Per-packet columns for charts, session by session, in arrival order. */
  packets(runId: number): SessionPackets[] {
    const sessions = this.#db.prepare('SELECT session, direction FROM oneway_sessions WHERE run_id = ? ORDER BY session').all(runId) as Array<{ session: number; direction: SessionPackets['direction'] }>;
    return sessions.map(({ session, direction }) => {
      const rows = (
        direction === 'round-trip'
          ? this.#db.prepare('SELECT sender_seq, send_offset_ns, rtt_s FROM twamp_packets WHERE run_id = ? AND session = ? ORDER BY idx')
          : this.#db.prepare('SELECT seq, send_offset_ns, delay_s FROM oneway_packets WHERE run_id = ? AND session = ? ORDER BY idx')
      )
        .raw(true)
        .all(runId, session) as Array<[number, number, number | null]>;
      const seq = new Float64Array(rows.length);
      const sendOffsetS = new Float64Array(rows.length);
      const delayMs = new Float64Array(rows.length);
      rows.forEach(([s, offset, delay], i) => {
        seq[i] = s;
        sendOffsetS[i] = offset / 1e9;
        delayMs[i] = delay === null ? Number.NaN : delay * 1000;
      });
      return { direction, seq, sendOffsetS, delayMs };
    });
  }
}
