import { ipFamily } from '../../shared/ip.ts';

/**
 * One spelling per address, so hop addresses match registered ones: IPv4 as is (ip.ts accepts only
 * the dotted-decimal form), IPv6 lower-cased and compressed (RFC 5952, via the URL parser), zone dropped.
 * Returns null for anything that is not an IP literal.
 */
export function canonicalIp(text: string): string | null {
  const family = ipFamily(text);
  if (family === 4) return text;
  if (family !== 6) return null;
  const bare = text.includes('%') ? text.slice(0, text.indexOf('%')) : text;
  try {
    return new URL(`http://[${bare}]/`).hostname.slice(1, -1);
  } catch {
    return null;
  }
}

/** For canonical addresses (canonicalIp): those many unrelated hosts share (private, loopback, link-local, CGN), never evidence of identity. */
export function isSharedAddress(ip: string): boolean {
  if (!ip.includes(':')) {
    const [a = 0, b = 0] = ip.split('.').map(Number);
    return a === 10 || a === 127 || a === 0 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127);
  }
  const lower = ip.toLowerCase();
  return lower === '::1' || lower === '::' || /^f[cd]/.test(lower) || /^fe[89ab]/.test(lower);
}
