import type { Locator } from '../../shared/hosts.ts';
import { hostProblem, parseTarget } from '../../shared/target.ts';

/** Default ports by service type (ls-registration-daemon Services/*.pm), then by URL scheme. */
const TYPE_PORTS: Record<string, number> = {
  owamp: 861,
  twamp: 862,
  bwctl: 4823,
  ndt: 7123,
  npad: 8000,
  gridftp: 2811,
};
const SCHEME_PORTS: Record<string, number> = { http: 80, https: 443 };
const LOCATOR_URL = /^([A-Za-z][A-Za-z0-9+.-]{0,15}):\/\/(\[[0-9A-Fa-f:.]+\]|[^\/?#:@\[\]\s]+)(?::(\d{1,5}))?(?:[/?#][^\s]*)?$/;

export type LocatorOutcome = { ok: true; locator: Locator } | { ok: false; reason: 'invalid-locator' };

/**
 * Parses a service-locator: `tcp://host:861`, `tcp://[2001:db8::1]:861`, `https://host/pscheduler`,
 * `http://host:8085/...`, or a bare host name (old traceroute/ping records). Its host must pass
 * exactly the check a typed-in target does, so option-like or malformed hosts never get through
 * (`isValidHost` is hostProblem() === null, or a memo of it).
 */
export function parseLocator(text: string, serviceType: string, isValidHost: (host: string) => boolean = (h) => hostProblem(h) === null): LocatorOutcome {
  const type = serviceType.toLowerCase();
  if (!text.includes('://')) {
    try {
      const target = parseTarget(text);
      const port = target.port ?? TYPE_PORTS[type] ?? null;
      return { ok: true, locator: { url: text, scheme: '', host: target.host.toLowerCase(), port } };
    } catch {
      return { ok: false, reason: 'invalid-locator' };
    }
  }
  // scheme://host[:port][/path...], the only shapes locators take; no userinfo, no percent-encoding.
  const match = LOCATOR_URL.exec(text);
  if (!match) return { ok: false, reason: 'invalid-locator' };
  const scheme = (match[1] as string).toLowerCase();
  const raw = match[2] as string;
  const host = (raw.startsWith('[') ? raw.slice(1, -1) : raw).toLowerCase();
  if (!isValidHost(host) || (raw.startsWith('[') && !host.includes(':'))) return { ok: false, reason: 'invalid-locator' };
  const port = match[3] !== undefined ? Number(match[3]) : (TYPE_PORTS[type] ?? SCHEME_PORTS[scheme] ?? null);
  if (port !== null && (port < 1 || port > 65535)) return { ok: false, reason: 'invalid-locator' };
  return { ok: true, locator: { url: text, scheme, host, port } };
}
