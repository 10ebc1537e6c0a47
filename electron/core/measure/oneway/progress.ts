/**
 * Live progress of a one-way or round-trip run, for a UI drawing delay over time while it runs.
 * Packet results are batched (every `intervalMs`, default 100 ms) so a 1000 packets/s test emits
 * ten events a second, not a thousand.
 */

export type OnewayPhase = 'connecting' | 'negotiating' | 'waiting-for-start' | 'testing' | 'stopping' | 'fetching' | 'done';

export type ProgressSession = 'to' | 'from' | 'round-trip';

export interface PacketBatch {
  seq: number[];
  /** Send time, seconds after the session's Start Time. */
  sendOffset: number[];
  /** One-way delay or round-trip time (s); null = lost. */
  delay: Array<number | null>;
}

export type OnewayProgress =
  | { type: 'phase'; phase: OnewayPhase; elapsed: number; fraction: number | null }
  | {
      type: 'packets';
      session: ProgressSession;
      elapsed: number;
      fraction: number | null;
      /** Packets we have sent in this session so far (0 when the peer sends). */
      sent: number;
      /** Results known so far in this session (received / lost). */
      received: number;
      lost: number;
      batch: PacketBatch;
    };

interface SessionCounters {
  sent: number;
  received: number;
  lost: number;
  batch: PacketBatch;
  dirty: boolean;
}

export class ProgressReporter {
  readonly #emit: (progress: OnewayProgress) => void;
  readonly #startedAt = process.hrtime.bigint();
  readonly #sessions = new Map<ProgressSession, SessionCounters>();
  #expectedSeconds: number | null = null;
  #timer: NodeJS.Timeout | null = null;

  readonly intervalMs: number;

  constructor(emit: ((progress: OnewayProgress) => void) | undefined, intervalMs = 100) {
    this.intervalMs = intervalMs;
    this.#emit = (progress) => {
      try {
        emit?.(progress);
      } catch {
        // a listener's failure must not break the measurement
      }
    };
  }

  get elapsed(): number {
    return Number(process.hrtime.bigint() - this.#startedAt) / 1e9;
  }

  /** Sets the expected total duration so events carry a fraction done. */
  expect(seconds: number): void {
    this.#expectedSeconds = seconds > 0 ? seconds : null;
  }

  fraction(): number | null {
    return this.#expectedSeconds === null ? null : Math.min(1, this.elapsed / this.#expectedSeconds);
  }

  phase(phase: OnewayPhase): void {
    this.flush();
    this.#emit({ type: 'phase', phase, elapsed: this.elapsed, fraction: phase === 'done' ? 1 : this.fraction() });
  }

  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => this.flush(), this.intervalMs);
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.flush();
  }

  sent(session: ProgressSession): void {
    const counters = this.#counters(session);
    counters.sent += 1;
    counters.dirty = true;
  }

  packet(session: ProgressSession, seq: number, sendOffset: number, delay: number | null): void {
    const counters = this.#counters(session);
    if (delay === null) counters.lost += 1;
    else counters.received += 1;
    counters.batch.seq.push(seq);
    counters.batch.sendOffset.push(sendOffset);
    counters.batch.delay.push(delay);
    counters.dirty = true;
  }

  flush(): void {
    for (const [session, counters] of this.#sessions) {
      if (!counters.dirty) continue;
      const batch = counters.batch;
      counters.batch = { seq: [], sendOffset: [], delay: [] };
      counters.dirty = false;
      this.#emit({
        type: 'packets',
        session,
        elapsed: this.elapsed,
        fraction: this.fraction(),
        sent: counters.sent,
        received: counters.received,
        lost: counters.lost,
        batch,
      });
    }
  }

  #counters(session: ProgressSession): SessionCounters {
    let counters = this.#sessions.get(session);
    if (!counters) {
      counters = { sent: 0, received: 0, lost: 0, batch: { seq: [], sendOffset: [], delay: [] }, dirty: false };
      this.#sessions.set(session, counters);
    }
    return counters;
  }
}
