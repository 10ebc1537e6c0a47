import type { HopChange, PathDiff, PathSegment } from '../../../../electron/shared/path.ts';

/**
 * Naming the distinct paths of a history ("path A", "path B") from the segment keys paths.history
 * returns ("198.18.1.1 > 198.18.2.2,198.18.4.2 > * > 198.18.9.1", " > ?" when not reached). Two
 * keys are the same route when they have the same length and every hop either is "*" (unknown) or
 * shares an address, as the core's diffPaths reads them.
 */

interface KeyHop {
  addresses: string[];
  flag: string;
}

function parseKey(key: string): { hops: KeyHop[]; reached: boolean } {
  const parts = key === '' ? [] : key.split(' > ');
  const reached = parts[parts.length - 1] !== '?';
  if (!reached) parts.pop();
  return {
    reached,
    hops: parts.map((p) => {
      const bang = p.indexOf('!');
      const body = bang >= 0 ? p.slice(0, bang) : p;
      return { addresses: body === '*' || body === '' ? [] : body.split(','), flag: bang >= 0 ? p.slice(bang) : '' };
    }),
  };
}

export function sameRoute(a: string, b: string): boolean {
  const x = parseKey(a);
  const y = parseKey(b);
  if (x.reached !== y.reached || x.hops.length !== y.hops.length) return false;
  return x.hops.every((h, i) => {
    const o = y.hops[i];
    if (!o || h.flag !== o.flag) return false;
    if (h.addresses.length === 0 || o.addresses.length === 0) return true;
    return h.addresses.some((address) => o.addresses.includes(address));
  });
}

export function letter(index: number): string {
  let n = index;
  let out = '';
  do {
    out = String.fromCharCode(65 + (n % 26)) + out;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return out;
}

/** One letter per segment: segments on the same route share it, the first route is "A". */
export function routeLetters(segments: readonly Pick<PathSegment, 'key'>[]): string[] {
  const routes: string[] = [];
  return segments.map((s) => {
    let i = routes.findIndex((k) => sameRoute(k, s.key));
    if (i < 0) {
      routes.push(s.key);
      i = routes.length - 1;
    }
    return letter(i);
  });
}

/** The hops a diff says changed, each as one line of text. */
export function describeHopChange(h: HopChange): string {
  const list = (a: string[] | null) => (a === null ? '—' : a.length === 0 ? '*' : a.join(', '));
  switch (h.status) {
    case 'changed':
      return `hop ${h.ttl}: ${list(h.before)} → ${list(h.after)}`;
    case 'added':
      return `hop ${h.ttl} added: ${list(h.after)}`;
    case 'removed':
      return `hop ${h.ttl} removed: ${list(h.before)}`;
    default:
      return `hop ${h.ttl}: ${list(h.after ?? h.before)}`;
  }
}

export function changedHops(diff: PathDiff): HopChange[] {
  return diff.hops.filter((h) => h.status === 'changed' || h.status === 'added' || h.status === 'removed');
}

/** One sentence for a change: what kind, where, and reachability. */
export function describeDiff(diff: PathDiff): string {
  const hops = changedHops(diff);
  const parts: string[] = [];
  if (diff.kind === 'route') parts.push(`route changed at hop${hops.length > 1 ? 's' : ''} ${hops.map((h) => h.ttl).join(', ')}`);
  if (diff.lengthBefore !== diff.lengthAfter) parts.push(`${diff.lengthBefore} → ${diff.lengthAfter} hops`);
  if (diff.reachedBefore !== diff.reachedAfter) parts.push(diff.reachedAfter ? 'the destination answers again' : 'the destination stopped answering');
  else if (diff.kind === 'reachability') parts.push('an unreachable annotation changed');
  return parts.join('; ') || 'no change';
}
