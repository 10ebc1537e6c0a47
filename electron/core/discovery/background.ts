import { WorkbenchError } from '../../shared/errors.ts';
import type { DiscoveryStore } from '../store/discovery.ts';
import { refreshCache, type DiscoveryOptions, type RefreshResult } from './discover.ts';

export interface BackgroundRefreshOptions extends Omit<DiscoveryOptions, 'cache' | 'mode' | 'signal'> {
  /** Between the end of one refresh and the start of the next. Default 30 min (LS leases renew hourly). */
  intervalMs?: number;
  /** Before the first refresh. Default: when the cache's last complete fetch becomes `intervalMs` old (now if it never had one). */
  initialDelayMs?: number;
  /** The sources for each refresh, asked anew every time (settings change); overrides `sources`. */
  sourcesFor?: () => DiscoveryOptions['sources'];
  keepMs?: number;
  onResult?: (result: RefreshResult) => void;
  onError?: (error: unknown) => void;
}

export interface BackgroundRefresh {
  /** Refreshes now (or joins the refresh in flight). */
  refreshNow(): Promise<RefreshResult>;
  /** Cancels the refresh in flight and stops the timer. */
  stop(): Promise<void>;
}

/**
 * Keeps the discovery cache fresh: one refresh at a time, never overlapping, timers unref'd so
 * they never keep the process alive, cancelled cleanly on stop.
 */
export function startBackgroundRefresh(cache: DiscoveryStore, options: BackgroundRefreshOptions = {}): BackgroundRefresh {
  const { intervalMs = 30 * 60_000, onResult, onError, sourcesFor, ...refreshOptions } = options;
  const initialDelayMs = options.initialDelayMs ?? dueIn(cache, intervalMs, (options.now ?? Date.now)());
  const controller = new AbortController();
  let timer: NodeJS.Timeout | null = null;
  let inFlight: Promise<RefreshResult> | null = null;

  const schedule = (delay: number) => {
    if (controller.signal.aborted) return;
    timer = setTimeout(() => {
      timer = null;
      void run().catch(() => {});
    }, delay);
    timer.unref?.();
  };

  const run = (): Promise<RefreshResult> => {
    if (controller.signal.aborted) return Promise.reject(new WorkbenchError('CANCELLED', 'Background refresh stopped.'));
    if (inFlight) return inFlight;
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    const sources = sourcesFor ? sourcesFor() : refreshOptions.sources;
    inFlight = refreshCache(cache, { ...refreshOptions, sources, signal: controller.signal })
      .then(
        (result) => {
          onResult?.(result);
          return result;
        },
        (error: unknown) => {
          if (!controller.signal.aborted) onError?.(error);
          throw error;
        },
      )
      .finally(() => {
        inFlight = null;
        schedule(intervalMs);
      });
    return inFlight;
  };

  schedule(initialDelayMs);
  return {
    refreshNow: run,
    stop: async () => {
      controller.abort();
      if (timer) clearTimeout(timer);
      timer = null;
      await inFlight?.catch(() => {});
    },
  };
}

/** Time until the oldest complete fetch of a cached source is `intervalMs` old; 0 when a source never had one. */
export function dueIn(cache: DiscoveryStore, intervalMs: number, now: number): number {
  const held = cache.sources().filter((s) => s.records > 0);
  if (held.length === 0 || held.some((s) => s.completeAt === null)) return 0;
  const oldest = Math.min(...held.map((s) => s.completeAt as number));
  return Math.max(0, Math.min(intervalMs, oldest + intervalMs - now));
}
