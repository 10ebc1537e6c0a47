import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_COOKIE = 'psw_token';

/**
 * Request checks for the loopback bridge: the Host header must name our own loopback address
 * (DNS rebinding), a browser Origin must be ours (cross-site requests), and the token must match
 * (other local users and processes).
 */
export class RequestGuard {
  readonly token: string;
  readonly port: number;
  readonly #hosts: Set<string>;
  readonly #origins: Set<string>;

  constructor(token: string, port: number) {
    this.token = token;
    this.port = port;
    const hosts = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
    this.#hosts = new Set(hosts);
    this.#origins = new Set(hosts.map((h) => `http://${h}`));
  }

  get allowedOrigins(): string[] {
    return [...this.#origins];
  }

  hostProblem(req: IncomingMessage): string | null {
    const host = req.headers.host?.toLowerCase();
    return host && this.#hosts.has(host) ? null : 'foreign Host header';
  }

  originProblem(req: IncomingMessage): string | null {
    const origin = req.headers.origin;
    if (origin === undefined) return null;
    return this.#origins.has(origin.toLowerCase()) ? null : 'foreign Origin header';
  }

  /** The token from the Authorization header, the cookie, or (first visit only) the query. */
  presentedToken(req: IncomingMessage, url: URL): string | null {
    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
    const cookie = parseCookies(req.headers.cookie ?? '')[TOKEN_COOKIE];
    if (cookie) return cookie;
    return url.searchParams.get('token');
  }

  tokenMatches(candidate: string | null): boolean {
    if (!candidate) return false;
    const a = Buffer.from(candidate);
    const b = Buffer.from(this.token);
    return a.length === b.length && timingSafeEqual(a, b);
  }
}

export function parseCookies(header: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of header.split(';').slice(0, 50)) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}
