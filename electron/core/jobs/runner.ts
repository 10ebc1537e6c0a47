import { WorkbenchError } from '../../shared/errors.ts';

/**
 * The job queue. Each job declares locks; a lock is held shared or exclusive, like a
 * readers-writer lock. That expresses the measurement rules: a throughput test holds the local
 * link exclusively (two at once corrupt each other, and OWAMP loss is an artefact while iperf3
 * fills the link), latency tests share it, and a remote server is held exclusively by one
 * throughput test at a time.
 */
export interface Lock {
  name: string;
  mode: 'shared' | 'exclusive';
}

export interface Job {
  id: number;
  locks: Lock[];
  /** The signal aborts on cancel (reason: CANCELLED) or when `timeoutMs` passes (reason: TIMEOUT). */
  run(signal: AbortSignal): Promise<void | { retryAfterMs: number }>;
  /**
   * Called instead of run() when the job is cancelled before it started (or while waiting to
   * retry); also when run() asked for a retry after its signal was aborted, with that signal (its
   * reason tells cancel, timeout and shutdown apart). The job must record its end here.
   */
  cancelledWhileQueued(aborted?: AbortSignal): void;
  timeoutMs?: number;
}

interface Held {
  shared: number;
  exclusive: boolean;
}

export interface JobRunnerOptions {
  /** A job whose run() or end handler threw (e.g. its outcome could not be stored). */
  onJobError?(id: number, error: unknown): void;
}

export class JobRunner {
  readonly #onJobError: (id: number, error: unknown) => void;
  readonly #queue: Job[] = [];
  readonly #running = new Map<number, { job: Job; controller: AbortController; done: Promise<void> }>();
  readonly #held = new Map<string, Held>();
  /** Jobs waiting out a retry delay, holding no locks. */
  readonly #waiting = new Map<number, { job: Job; timer: ReturnType<typeof setTimeout> }>();
  #closed = false;

  constructor(options: JobRunnerOptions = {}) {
    this.#onJobError = options.onJobError ?? ((id, error) => console.error(`Job ${id} failed outside its measurement:`, error));
  }

  submit(job: Job): void {
    if (this.#closed) {
      job.cancelledWhileQueued();
      return;
    }
    this.#queue.push(job);
    this.#pump();
  }

  cancel(id: number): boolean {
    const waiting = this.#waiting.get(id);
    if (waiting) {
      clearTimeout(waiting.timer);
      this.#waiting.delete(id);
      waiting.job.cancelledWhileQueued();
      return true;
    }
    const queued = this.#queue.findIndex((j) => j.id === id);
    if (queued !== -1) {
      const [job] = this.#queue.splice(queued, 1);
      job?.cancelledWhileQueued();
      return true;
    }
    const running = this.#running.get(id);
    if (!running) return false;
    running.controller.abort(new WorkbenchError('CANCELLED', 'The run was cancelled.'));
    return true;
  }

  get runningIds(): number[] {
    return [...this.#running.keys()];
  }

  get queuedIds(): number[] {
    return [...this.#queue.map((j) => j.id), ...this.#waiting.keys()];
  }

  /** Cancels everything and waits until every job has finished storing its outcome. */
  async shutdown(): Promise<void> {
    this.#closed = true;
    for (const job of this.#queue.splice(0)) job.cancelledWhileQueued();
    for (const [id, w] of this.#waiting) {
      clearTimeout(w.timer);
      this.#waiting.delete(id);
      w.job.cancelledWhileQueued();
    }
    const pending = [...this.#running.values()];
    for (const r of pending) r.controller.abort(new WorkbenchError('CANCELLED', 'The workbench is shutting down.'));
    await Promise.allSettled(pending.map((r) => r.done));
  }

  #report(id: number, error: unknown): void {
    try {
      this.#onJobError(id, error);
    } catch {
      // the reporter itself failing must not break the queue
    }
  }

  #canAcquire(locks: Lock[]): boolean {
    return locks.every((lock) => {
      const held = this.#held.get(lock.name);
      if (!held) return true;
      return lock.mode === 'shared' ? !held.exclusive : !held.exclusive && held.shared === 0;
    });
  }

  #acquire(locks: Lock[], delta: 1 | -1): void {
    for (const lock of locks) {
      const held = this.#held.get(lock.name) ?? { shared: 0, exclusive: false };
      if (lock.mode === 'shared') held.shared += delta;
      else held.exclusive = delta === 1;
      if (held.shared === 0 && !held.exclusive) this.#held.delete(lock.name);
      else this.#held.set(lock.name, held);
    }
  }

  #pump(): void {
    // First come, first served, but a job whose locks are free may pass one that waits.
    for (let i = 0; i < this.#queue.length; ) {
      const job = this.#queue[i];
      if (!job || !this.#canAcquire(job.locks)) {
        i += 1;
        continue;
      }
      this.#queue.splice(i, 1);
      this.#start(job);
    }
  }

  #start(job: Job): void {
    this.#acquire(job.locks, 1);
    const controller = new AbortController();
    const timeout = job.timeoutMs === undefined ? null : setTimeout(() => controller.abort(new WorkbenchError('TIMEOUT', `The run took longer than its ${Math.round((job.timeoutMs ?? 0) / 1000)} s limit.`)), job.timeoutMs);
    const done = (async () => {
      let retry: void | { retryAfterMs: number } = undefined;
      try {
        retry = await job.run(controller.signal);
      } catch (error) {
        this.#report(job.id, error);
      } finally {
        if (timeout) clearTimeout(timeout);
        this.#acquire(job.locks, -1);
        this.#running.delete(job.id);
        if (retry && !this.#closed && !controller.signal.aborted) {
          // Wait without holding locks, so other jobs can use the link meanwhile.
          const timer = setTimeout(() => {
            this.#waiting.delete(job.id);
            this.#queue.push(job);
            this.#pump();
          }, retry.retryAfterMs);
          this.#waiting.set(job.id, { job, timer });
        } else if (retry) {
          // Busy reply and abort at the same moment: no retry, but the job must still end.
          try {
            job.cancelledWhileQueued(controller.signal);
          } catch (error) {
            this.#report(job.id, error);
          }
        }
        if (!this.#closed) this.#pump();
      }
    })();
    this.#running.set(job.id, { job, controller, done });
  }
}
