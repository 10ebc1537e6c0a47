import type Database from 'better-sqlite3';

/**
 * One-way latency (OWAMP), round trip (TWAMP, TWAMP-Light) and imported owping/twping results.
 * - oneway_sessions: one row per test session of a run ("to", "from", or "round-trip"), with the
 *   headline figures as columns for queries across runs, and the whole summary as JSON.
 * - oneway_packets: one row per OWAMP record in arrival order (duplicates again, lost packets
 *   with recv NULL). Times are nanoseconds after the session's Start Time, so they stay exact
 *   JavaScript numbers; start_unix_ns/start_ntp give the absolute origin.
 * - twamp_packets: the same for round-trip records (t1..t4 and the derived delays).
 * Error estimates are kept in their 16-bit wire form (S bit, scale, multiplier); TTL NULL means
 * "could not be read" (Node.js receivers), as distinct from 255 reported by a peer.
 */
export function up(db: Database.Database): void {
  db.exec(`
    CREATE TABLE oneway_sessions (
      run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
      session INTEGER NOT NULL CHECK (session >= 0),
      direction TEXT NOT NULL CHECK (direction IN ('to', 'from', 'round-trip')),
      protocol TEXT NOT NULL CHECK (protocol IN ('owamp', 'twamp', 'twamp-light', 'owping', 'twping')),
      sid TEXT CHECK (sid IS NULL OR (length(sid) = 32 AND sid NOT GLOB '*[^0-9a-f]*')),
      sender_address TEXT,
      sender_port INTEGER CHECK (sender_port IS NULL OR sender_port BETWEEN 0 AND 65535),
      receiver_address TEXT,
      receiver_port INTEGER CHECK (receiver_port IS NULL OR receiver_port BETWEEN 0 AND 65535),
      start_unix_ns INTEGER NOT NULL,
      start_ntp TEXT NOT NULL CHECK (start_ntp NOT GLOB '*[^0-9]*'),
      packets INTEGER NOT NULL CHECK (packets >= 0),
      padding INTEGER NOT NULL CHECK (padding >= 0),
      loss_timeout_s REAL NOT NULL,
      dscp INTEGER CHECK (dscp IS NULL OR dscp BETWEEN 0 AND 63),
      schedule TEXT NOT NULL CHECK (json_valid(schedule)),
      next_seqno INTEGER NOT NULL,
      skips TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(skips)),
      record_source TEXT NOT NULL CHECK (record_source IN ('server', 'client', 'tool')),
      sent INTEGER NOT NULL,
      lost INTEGER NOT NULL,
      duplicates INTEGER NOT NULL,
      delay_min_s REAL,
      delay_median_s REAL,
      delay_max_s REAL,
      jitter_s REAL,
      loss_upper REAL,
      clock_sync INTEGER NOT NULL CHECK (clock_sync IN (0, 1)),
      schedule_p99_us REAL,
      summary TEXT NOT NULL CHECK (json_valid(summary)),
      PRIMARY KEY (run_id, session)
    ) STRICT;
    CREATE INDEX oneway_sessions_by_direction ON oneway_sessions (direction, run_id);

    CREATE TABLE oneway_packets (
      run_id INTEGER NOT NULL,
      session INTEGER NOT NULL,
      idx INTEGER NOT NULL,
      seq INTEGER NOT NULL CHECK (seq BETWEEN 0 AND 4294967295),
      send_offset_ns INTEGER NOT NULL,
      recv_offset_ns INTEGER,
      delay_s REAL,
      send_err INTEGER NOT NULL CHECK (send_err BETWEEN 0 AND 65535),
      recv_err INTEGER NOT NULL CHECK (recv_err BETWEEN 0 AND 65535),
      ttl INTEGER CHECK (ttl IS NULL OR ttl BETWEEN 0 AND 255),
      PRIMARY KEY (run_id, session, idx),
      FOREIGN KEY (run_id, session) REFERENCES oneway_sessions (run_id, session) ON DELETE CASCADE
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE twamp_packets (
      run_id INTEGER NOT NULL,
      session INTEGER NOT NULL,
      idx INTEGER NOT NULL,
      sender_seq INTEGER NOT NULL CHECK (sender_seq BETWEEN 0 AND 4294967295),
      reflector_seq INTEGER CHECK (reflector_seq IS NULL OR reflector_seq BETWEEN 0 AND 4294967295),
      send_offset_ns INTEGER NOT NULL,
      reflector_recv_offset_ns INTEGER,
      reflector_send_offset_ns INTEGER,
      recv_offset_ns INTEGER,
      rtt_s REAL,
      forward_s REAL,
      backward_s REAL,
      processing_s REAL,
      sender_err INTEGER NOT NULL CHECK (sender_err BETWEEN 0 AND 65535),
      reflector_err INTEGER NOT NULL CHECK (reflector_err BETWEEN 0 AND 65535),
      recv_err INTEGER NOT NULL CHECK (recv_err BETWEEN 0 AND 65535),
      sender_ttl INTEGER CHECK (sender_ttl IS NULL OR sender_ttl BETWEEN 0 AND 255),
      reflected_ttl INTEGER CHECK (reflected_ttl IS NULL OR reflected_ttl BETWEEN 0 AND 255),
      PRIMARY KEY (run_id, session, idx),
      FOREIGN KEY (run_id, session) REFERENCES oneway_sessions (run_id, session) ON DELETE CASCADE
    ) STRICT, WITHOUT ROWID;
  `);
}
