import { WorkbenchError } from '../../shared/errors.ts';
import type { DiscoveryStore } from '../store/discovery.ts';
import { refreshCache, type DiscoveryOptions, type RefreshResult } from './discover.ts';

export interface BackgroundRefreshOptions extends Omit<DiscoveryOptions, 'cache' | 'mode' | 'signal'> {
  /** Between the end of one refresh and the start of the next. Default 30 min (LS leases renew hourly). */
  intervalMs?: number;
  /** Before the first refresh. Default 0. */
  initialDelayMs?: number;
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
  const { intervalMs = 30 * 60_000, initialDelayMs = 0, onResult, onError, ...refreshOptions } = options;
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
    inFlight = refreshCache(cache, { ...refreshOptions, signal: controller.signal })
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
