import type { Statement } from 'better-sqlite3';
import type { ThroughputInterval, ThroughputSeries } from '../../shared/throughput.ts';
import type { DB } from './database.ts';

interface SampleRow {
  stream: number;
  seq: number;
  start_s: number;
  end_s: number;
  bits_per_second: number;
  bytes: number;
  retransmits: number | null;
  cwnd: number | null;
  rtt_us: number | null;
  rttvar_us: number | null;
  pmtu: number | null;
  omitted: number;
  jitter_ms: number | null;
  lost_packets: number | null;
  packets: number | null;
}

/** Per-interval throughput samples: written in bulk inside the run's finishing transaction. */
export class ThroughputStore {
  readonly #insert: Statement;
  readonly #forRun: Statement<[number], SampleRow>;
  readonly #sumSeries: Statement<[number], Pick<SampleRow, 'start_s' | 'end_s' | 'bits_per_second' | 'retransmits' | 'rtt_us' | 'cwnd'>>;

  constructor(db: DB) {
    this.#insert = db.prepare(`
      INSERT INTO throughput_samples (run_id, stream, seq, start_s, end_s, bits_per_second, bytes,
        retransmits, cwnd, rtt_us, rttvar_us, pmtu, omitted, jitter_ms, lost_packets, packets)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.#forRun = db.prepare('SELECT * FROM throughput_samples WHERE run_id = ? ORDER BY stream, seq');
    this.#sumSeries = db.prepare(`
      SELECT start_s, end_s, bits_per_second, retransmits, rtt_us, cwnd FROM throughput_samples
      WHERE run_id = ? AND stream = -1 ORDER BY seq`);
  }

  /** Call inside a transaction (RunStore.finish does). */
  insert(runId: number, intervals: readonly ThroughputInterval[]): void {
    for (const i of intervals) {
      this.#insert.run(
        runId, i.stream, i.seq, i.start, i.end, i.bitsPerSecond, Math.round(i.bytes),
        i.retransmits, i.cwnd, i.rtt, i.rttvar, i.pmtu, i.omitted ? 1 : 0, i.jitterMs, i.lostPackets, i.packets,
      );
    }
  }

  intervals(runId: number): ThroughputInterval[] {
    return this.#forRun.all(runId).map((r) => ({
      seq: r.seq,
      stream: r.stream,
      start: r.start_s,
      end: r.end_s,
      bitsPerSecond: r.bits_per_second,
      bytes: r.bytes,
      retransmits: r.retransmits,
      cwnd: r.cwnd,
      rtt: r.rtt_us,
      rttvar: r.rttvar_us,
      pmtu: r.pmtu,
      omitted: r.omitted === 1,
      jitterMs: r.jitter_ms,
      lostPackets: r.lost_packets,
      packets: r.packets,
    }));
  }

  /** The summed-over-streams series, columnar, straight from the rows: what charts draw. */
  series(runId: number): ThroughputSeries {
    const series: ThroughputSeries = { start: [], end: [], bitsPerSecond: [], retransmits: [], rtt: [], cwnd: [] };
    for (const r of this.#sumSeries.iterate(runId)) {
      series.start.push(r.start_s);
      series.end.push(r.end_s);
      series.bitsPerSecond.push(r.bits_per_second);
      series.retransmits.push(r.retransmits);
      series.rtt.push(r.rtt_us);
      series.cwnd.push(r.cwnd);
    }
    return series;
  }
}
