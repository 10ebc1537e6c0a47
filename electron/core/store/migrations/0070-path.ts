import type Database from 'better-sqlite3';

/**
 * Path measurements (run kinds trace, rtt, mtu). PROPOSED: not yet registered in index.ts.
 *
 * - path_runs: one row per trace (or tracepath inside an mtu run): the path's identity, so the
 *   history of a target (runs_by_target, then this) and "which runs saw this path" are index scans.
 * - path_hops: one row per TTL with the counts, RTT statistics, MTU and the loss assessment
 *   (loss_class, forward_loss_percent) computed when the run finished.
 * - path_responders: the addresses that answered at each hop (several under ECMP), indexed by
 *   address to find every run that went through a router.
 * - path_probes: per-probe results for the tools that print them (traceroute, tracepath, tracert).
 * - ping_replies: per-echo results of rtt runs; mtu_probes: the steps of a DF size search.
 */
export function up(db: Database.Database): void {
  db.exec(`
    CREATE TABLE path_runs (
      run_id INTEGER PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
      tool TEXT NOT NULL CHECK (tool IN ('traceroute', 'tracepath', 'mtr')),
      method TEXT NOT NULL CHECK (method IN ('udp', 'icmp', 'tcp')),
      paris INTEGER NOT NULL CHECK (paris IN (0, 1)),
      format TEXT NOT NULL,
      family TEXT CHECK (family IS NULL OR family IN ('4', '6')),
      target_address TEXT,
      fingerprint TEXT NOT NULL CHECK (length(fingerprint) = 16),
      path_key TEXT NOT NULL,
      hop_count INTEGER NOT NULL CHECK (hop_count BETWEEN 0 AND 255),
      reached INTEGER NOT NULL CHECK (reached IN (0, 1)),
      destination_ttl INTEGER,
      loss_starts_at_ttl INTEGER,
      local_mtu INTEGER,
      path_mtu INTEGER,
      hops_back INTEGER,
      measured_at INTEGER NOT NULL,
      problems TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(problems))
    ) STRICT;
    CREATE INDEX path_runs_by_fingerprint ON path_runs (fingerprint, run_id);

    CREATE TABLE path_hops (
      run_id INTEGER NOT NULL REFERENCES path_runs (run_id) ON DELETE CASCADE,
      ttl INTEGER NOT NULL CHECK (ttl BETWEEN 1 AND 255),
      sent INTEGER NOT NULL CHECK (sent >= 0),
      received INTEGER NOT NULL CHECK (received >= 0),
      loss_percent REAL CHECK (loss_percent IS NULL OR loss_percent BETWEEN 0 AND 100),
      rtt_last_ms REAL,
      rtt_avg_ms REAL,
      rtt_best_ms REAL,
      rtt_worst_ms REAL,
      rtt_stdev_ms REAL,
      mtu INTEGER CHECK (mtu IS NULL OR mtu BETWEEN 68 AND 65536),
      mtu_reported_by TEXT,
      asymm INTEGER,
      flags TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(flags)),
      reached INTEGER NOT NULL CHECK (reached IN (0, 1)),
      note TEXT,
      loss_class TEXT NOT NULL CHECK (loss_class IN ('none', 'icmpRateLimited', 'forwardingLoss', 'noReply', 'unverified')),
      forward_loss_percent REAL,
      rate_limited_percent REAL,
      loss_starts_here INTEGER NOT NULL DEFAULT 0 CHECK (loss_starts_here IN (0, 1)),
      PRIMARY KEY (run_id, ttl)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE path_responders (
      run_id INTEGER NOT NULL,
      ttl INTEGER NOT NULL,
      address TEXT NOT NULL,
      name TEXT,
      replies INTEGER NOT NULL CHECK (replies >= 0),
      PRIMARY KEY (run_id, ttl, address),
      FOREIGN KEY (run_id, ttl) REFERENCES path_hops (run_id, ttl) ON DELETE CASCADE
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX path_responders_by_address ON path_responders (address, run_id);

    CREATE TABLE path_probes (
      run_id INTEGER NOT NULL,
      ttl INTEGER NOT NULL,
      seq INTEGER NOT NULL CHECK (seq >= 0),
      address TEXT,
      rtt_ms REAL CHECK (rtt_ms IS NULL OR rtt_ms >= 0),
      flag TEXT,
      PRIMARY KEY (run_id, ttl, seq),
      FOREIGN KEY (run_id, ttl) REFERENCES path_hops (run_id, ttl) ON DELETE CASCADE
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE ping_replies (
      run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
      idx INTEGER NOT NULL CHECK (idx >= 0),
      seq INTEGER NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('reply', 'duplicate', 'timeout', 'error')),
      rtt_ms REAL CHECK (rtt_ms IS NULL OR rtt_ms >= 0),
      ttl INTEGER,
      bytes INTEGER,
      from_address TEXT,
      message TEXT,
      mtu INTEGER,
      PRIMARY KEY (run_id, idx)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE mtu_probes (
      run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
      step INTEGER NOT NULL CHECK (step >= 1),
      mtu INTEGER NOT NULL,
      outcome TEXT NOT NULL CHECK (outcome IN ('fits', 'tooBig', 'noReply', 'error')),
      reported_mtu INTEGER,
      from_address TEXT,
      PRIMARY KEY (run_id, step)
    ) STRICT, WITHOUT ROWID;
  `);
}
