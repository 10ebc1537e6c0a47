import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { secondsToInterval } from '../../electron/core/measure/oneway/ntp.ts';
import { RecordLog, toOneWayRecords } from '../../electron/core/measure/oneway/records.ts';
import {
  ONEWAY_PACKET_COLUMNS,
  ONEWAY_SESSION_COLUMNS,
  onewayPacketRows,
  onewaySessionRow,
  TWAMP_PACKET_COLUMNS,
  twampPacketRows,
  twampSessionRow,
} from '../../electron/core/measure/oneway/rows.ts';
import type { OneWaySessionResult } from '../../electron/core/measure/oneway/session-result.ts';
import { summarizeOneWay } from '../../electron/core/measure/oneway/stats.ts';
import type { TwampRunResult } from '../../electron/core/measure/twamp/client.ts';
import { toTwampRecords, TwampRecordLog } from '../../electron/core/measure/twamp/records.ts';
import { summarizeRoundTrip } from '../../electron/core/measure/twamp/stats.ts';
import { openDatabase } from '../../electron/core/store/database.ts';

const START = 0xeeacd3e3_00000000n;

function database() {
  const db = openDatabase(':memory:');
  db.prepare('INSERT INTO targets (id, host, port, created_at) VALUES (1, ?, NULL, 0)').run('127.0.0.1');
  db.prepare("INSERT INTO runs (id, kind, target_id, options, status, created_at) VALUES (7, 'latency', 1, '{}', 'succeeded', 0)").run();
  return db;
}

const insert = (db: Database.Database, table: string, columns: readonly string[]) =>
  db.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);

function oneWayResult(): OneWaySessionResult {
  const log = new RecordLog(10);
  log.push({ seq: 0, sendTime: START + secondsToInterval(0.01), recvTime: START + secondsToInterval(0.0101), sendError: 1, recvError: 1, ttl: -1 });
  log.push({ seq: 1, sendTime: START + secondsToInterval(0.02), recvTime: 0n, sendError: 1, recvError: 1, ttl: 255 });
  return {
    direction: 'from',
    sid: '7f000001eeacd4241dd51b4fb66dcb82',
    sender: { address: '127.0.0.1', port: 9193 },
    receiver: { address: '127.0.0.1', port: 9448 },
    startTimeNtp: START.toString(),
    startUnixMs: 0,
    packets: 2,
    schedule: [{ type: 'fixed', seconds: 0.01 }],
    paddingLength: 0,
    lossTimeoutSeconds: 2,
    dscp: null,
    nextSeqno: 2,
    skips: [],
    recordSource: 'client',
    discarded: null,
    records: toOneWayRecords(log, START),
    summary: summarizeOneWay(log),
    senderTiming: null,
  };
}

describe('one-way tables (migration 0080-oneway)', () => {
  it('stores a one-way session and its packets, NULL for lost and unreadable TTL, exact offsets', () => {
    const db = database();
    const result = oneWayResult();
    insert(db, 'oneway_sessions', ONEWAY_SESSION_COLUMNS).run(...onewaySessionRow(7, 0, 'owamp', result));
    const packet = insert(db, 'oneway_packets', ONEWAY_PACKET_COLUMNS);
    for (const row of onewayPacketRows(7, 0, result)) packet.run(...row);
    const session = db.prepare('SELECT * FROM oneway_sessions').get() as Record<string, unknown>;
    expect(session).toMatchObject({ direction: 'from', protocol: 'owamp', sent: 2, lost: 1, clock_sync: 0, start_ntp: START.toString() });
    expect(JSON.parse(session.summary as string).sent).toBe(2);
    const rows = db.prepare('SELECT * FROM oneway_packets ORDER BY idx').all() as Array<Record<string, unknown>>;
    expect(rows[0]).toMatchObject({ seq: 0, ttl: null });
    expect(Math.abs((rows[0]!.send_offset_ns as number) - 10_000_000)).toBeLessThanOrEqual(1);
    expect(Math.abs((rows[0]!.recv_offset_ns as number) - 10_100_000)).toBeLessThanOrEqual(1);
    expect(rows[0]!.delay_s as number).toBeCloseTo(0.0001, 9);
    expect(rows[1]).toMatchObject({ seq: 1, recv_offset_ns: null, delay_s: null, ttl: null });
    db.prepare('DELETE FROM runs WHERE id = 7').run();
    expect(db.prepare('SELECT count(*) AS n FROM oneway_packets').get()).toEqual({ n: 0 });
  });

  it('stores round-trip records', () => {
    const db = database();
    const log = new TwampRecordLog(4);
    log.push({ senderSeq: 0, reflectorSeq: 0, t1: START, t2: START + 100n, t3: START + 150n, t4: START + 300n, senderError: 1, reflectorError: 1, receiveError: 1, senderTtl: 254, reflectedTtl: -1 });
    log.push({ senderSeq: 1, reflectorSeq: 0, t1: START + 1000n, t2: 0n, t3: 0n, t4: 0n, senderError: 1, reflectorError: 1, receiveError: 1, senderTtl: 255, reflectedTtl: 255 });
    const result = {
      protocol: 'twamp',
      sid: null,
      sender: { address: '127.0.0.1', port: 1 },
      reflector: { address: '127.0.0.1', port: 2 },
      startTimeNtp: START.toString(),
      packets: 2,
      paddingLength: 27,
      lossTimeoutSeconds: 1,
      schedule: [],
      nextSeqno: 2,
      skips: [],
      records: toTwampRecords(log, START),
      summary: summarizeRoundTrip(log),
      senderTiming: { p99Us: 12 },
    } as unknown as TwampRunResult;
    insert(db, 'oneway_sessions', ONEWAY_SESSION_COLUMNS).run(...twampSessionRow(7, 0, result));
    const packet = insert(db, 'twamp_packets', TWAMP_PACKET_COLUMNS);
    for (const row of twampPacketRows(7, 0, result)) packet.run(...row);
    const rows = db.prepare('SELECT sender_seq, reflector_seq, rtt_s, sender_ttl, reflected_ttl FROM twamp_packets ORDER BY idx').all() as Array<Record<string, unknown>>;
    expect(rows[0]).toMatchObject({ sender_seq: 0, reflector_seq: 0, sender_ttl: 254, reflected_ttl: null });
    expect(rows[0]!.rtt_s as number).toBeCloseTo(250 / 2 ** 32, 15);
    expect(rows[1]).toMatchObject({ sender_seq: 1, reflector_seq: null, rtt_s: null, sender_ttl: null });
    expect(db.prepare('SELECT lost, direction FROM oneway_sessions').get()).toEqual({ lost: 1, direction: 'round-trip' });
  });

  it('refuses rows that break the constraints', () => {
    const db = database();
    const row = onewaySessionRow(7, 0, 'owamp', oneWayResult());
    const bad = [...row];
    bad[2] = 'sideways';
    expect(() => insert(db, 'oneway_sessions', ONEWAY_SESSION_COLUMNS).run(...bad)).toThrow(/CHECK/);
  });
});
