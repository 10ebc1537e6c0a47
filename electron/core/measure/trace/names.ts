import { lookupService } from 'node:dns/promises';
import type { PathHop } from '../../../shared/path.ts';
import { asHostName } from './text.ts';

/**
 * Reverse DNS for hop addresses, off unless asked for: the tools always run with -n (uniform
 * output, no DNS wait inside the trace, no leaking every hop to the resolver by default), and names
 * are looked up here afterwards, bounded in time and number, and kept only if they are valid names.
 */

export type ReverseLookup = (address: string) => Promise<string | null>;

/** getnameinfo (honours /etc/hosts, like the tools themselves). */
export const systemReverseLookup: ReverseLookup = async (address) => {
  const { hostname } = await lookupService(address, 0);
  return hostname;
};

export interface NameOptions {
  lookup?: ReverseLookup;
  timeoutMs?: number;
  concurrency?: number;
  maxLookups?: number;
  signal?: AbortSignal;
}

export async function resolveHopNames(hops: PathHop[], options: NameOptions = {}): Promise<PathHop[]> {
  const lookup = options.lookup ?? systemReverseLookup;
  const timeoutMs = options.timeoutMs ?? 2000;
  const addresses = [...new Set(hops.flatMap((h) => h.responders.filter((r) => r.name === null).map((r) => r.address)))].slice(0, options.maxLookups ?? 128);
  const names = new Map<string, string>();
  let next = 0;
  const worker = async () => {
    while (next < addresses.length && !options.signal?.aborted) {
      const address = addresses[next];
      next += 1;
      if (address === undefined) break;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), timeoutMs);
      });
      try {
        const name = await Promise.race([lookup(address).catch(() => null), timeout]);
        const valid = asHostName(name);
        if (valid !== null) names.set(address, valid);
      } finally {
        clearTimeout(timer);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 8, addresses.length) }, worker));
  return hops.map((h) => ({ ...h, responders: h.responders.map((r) => (r.name === null && names.has(r.address) ? { ...r, name: names.get(r.address) ?? null } : r)) }));
}
