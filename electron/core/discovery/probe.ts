import { connect } from 'node:net';
import type { HostView, Reachability } from '../../shared/hosts.ts';
import { isValidHost } from '../../shared/target.ts';

/*
 * Optional reachability: TCP connect time to a host's service port. Bounded three ways: per attempt,
 * in total, and in concurrency. Only validated hosts are ever dialled; nothing is sent, the socket is
 * closed as soon as it connects.
 */

export interface ProbeOptions {
  /** Which service's port to try first (the query's first service type). */
  serviceType?: string;
  concurrency?: number;
  attemptMs?: number;
  budgetMs?: number;
  signal?: AbortSignal;
  /** A last gate on what may be dialled (tests allow only loopback). */
  allow?: (host: string) => boolean;
  /** The TCP connect (tests replace it to observe concurrency and the budget). */
  dial?: typeof connectTime;
}

const PREFERRED = ['pscheduler', 'owamp', 'twamp', 'bwctl'];

/** The host and port to dial for a host: its locator for the wanted service type, else a well-known one. */
export function probeTarget(host: HostView, serviceType?: string): { host: string; port: number } | null {
  const order = serviceType ? [serviceType.toLowerCase(), ...PREFERRED] : PREFERRED;
  for (const type of [...order, null]) {
    for (const service of host.services) {
      if (type !== null && service.type !== type) continue;
      const locator = service.locators.find((l) => l.port !== null && isValidHost(l.host));
      if (locator && locator.port !== null) return { host: locator.host, port: locator.port };
    }
  }
  return null;
}

export function connectTime(host: string, port: number, timeoutMs: number, signal: AbortSignal): Promise<Reachability> {
  return new Promise((resolve) => {
    if (!isValidHost(host)) {
      resolve({ host, port, connectMs: null, error: 'refused to dial an invalid host' });
      return;
    }
    const started = performance.now();
    const socket = connect({ host, port, timeout: timeoutMs });
    let settled = false;
    const finish = (connectMs: number | null, error: string | null) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve({ host, port, connectMs, error });
    };
    const onAbort = () => finish(null, 'stopped: probe time budget spent');
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => finish(Math.round((performance.now() - started) * 100) / 100, null));
    socket.once('timeout', () => finish(null, `no answer within ${timeoutMs} ms`));
    socket.once('error', (error: NodeJS.ErrnoException) => finish(null, error.code ?? error.message));
  });
}

/** Probes hosts with bounded concurrency and total time; returns reachability by host id. */
export async function probeHosts(hosts: readonly HostView[], options: ProbeOptions = {}): Promise<Map<string, Reachability>> {
  const concurrency = Math.max(1, Math.min(options.concurrency ?? 16, 64));
  const attemptMs = options.attemptMs ?? 2000;
  const budget = AbortSignal.timeout(Math.round(options.budgetMs ?? 5000));
  const signal = options.signal ? AbortSignal.any([budget, options.signal]) : budget;
  const dial = options.dial ?? connectTime;
  const jobs: { id: string; host: string; port: number }[] = [];
  const results = new Map<string, Reachability>();
  for (const host of hosts) {
    const target = probeTarget(host, options.serviceType);
    if (!target) continue;
    if (options.allow && !options.allow(target.host)) {
      results.set(host.id, { ...target, connectMs: null, error: 'not probed (not allowed)' });
      continue;
    }
    jobs.push({ id: host.id, ...target });
  }
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++] as (typeof jobs)[number];
      results.set(job.id, await dial(job.host, job.port, attemptMs, signal));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, worker));
  return results;
}
