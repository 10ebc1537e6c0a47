import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { applySearchAfter, envelope, EsError, runSearch, sizeAndFrom, totalOf, type SearchRequestBody } from './es.ts';
import type { Doc } from './index-model.ts';
import { getRecord, queryRecords } from './v1.ts';

/*
 * A Lookup Service double on 127.0.0.1 (random port) speaking both query forms as
 * docs/perfsonar-apis.md part A and D describe them:
 *   GET  /lookup/activehosts.json              the bootstrap list
 *   GET  /{sls}/records[/]?key=v1,v2&operator=  the classic v1 query (ES-backed sLS semantics, v1.ts)
 *   GET  /lookup/{type}/{uuid}[/{key}]          one record
 *   POST /lookup/_search, /lookup/{index}/_search[?scroll=1m], /lookup/_search/scroll
 *                                               Elasticsearch through the read-only Apache proxy
 * and misbehaving on demand (slow, status, truncate, garbage, huge, hang, drip, reset, body).
 */

export type Route = 'activehosts' | 'records' | 'record' | 'search';

export type Misbehaviour =
  | { kind: 'slow'; delayMs: number }
  | { kind: 'status'; status: number; body?: string }
  | { kind: 'truncate'; keepBytes?: number }
  | { kind: 'garbage'; body?: string }
  | { kind: 'huge'; bytes: number; declareLength?: boolean }
  | { kind: 'hang' }
  | { kind: 'drip'; chunkBytes: number; intervalMs: number }
  | { kind: 'reset' }
  | { kind: 'body'; status?: number; body: string; contentType?: string };

export interface LoggedRequest {
  method: string;
  route: Route | null;
  path: string;
  query: Record<string, string>;
  body: unknown;
}

export interface DoubleOptions {
  /** Raw records, served as given (a broken LS serves broken records). */
  records?: readonly unknown[];
  /** Copies in a snapshot index (`ls-snapshot-...`), which the `_search` proxy also reaches. */
  snapshot?: readonly unknown[];
  now?: () => number;
  /** Add `_expiresAsTimestamp`/`_lastUpdated` as the sLS does when it stores a record (default true). */
  decorate?: boolean;
}

export interface LookupServiceDouble {
  readonly url: string;
  readonly port: number;
  readonly recordsUrl: string;
  readonly searchUrl: string;
  readonly activeHostsUrl: string;
  readonly requests: LoggedRequest[];
  setRecords(records: readonly unknown[], snapshot?: readonly unknown[]): void;
  /** The bootstrap document; default lists this double's records URL as alive. */
  setActiveHosts(body: unknown): void;
  /** Misbehave on a route (or all) for the next `times` requests (default: until behave()). */
  misbehave(route: Route | 'all', behaviour: Misbehaviour, times?: number): void;
  behave(): void;
  /** Requests whose answer is neither complete nor abandoned by the client (a hung one counts until the client gives up). */
  pending(): number;
  close(): Promise<void>;
}

const MAX_LOGGED = 2000;
const MAX_REQUEST_BODY = 1 << 20;
const SCROLL_TTL_MS = 60_000;

/** Gson's default Date format, as `_lastUpdated` appears in sLS answers. */
function gsonDate(ms: number): string {
  const d = new Date(ms);
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const h = d.getUTCHours() % 12 || 12;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${months[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}, ${h}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${d.getUTCHours() < 12 ? 'AM' : 'PM'}`;
}

function toDocs(records: readonly unknown[], index: string, decorate: boolean, now: number): Doc[] {
  return records.map((record, i) => {
    const source = (typeof record === 'object' && record !== null && !Array.isArray(record) ? record : { value: record }) as Record<string, unknown>;
    const id = typeof source.uri === 'string' ? source.uri : `malformed-${index}-${i}`;
    if (decorate && typeof source.expires === 'string' && Number.isFinite(Date.parse(source.expires))) {
      return { index, id, source: { ...source, _expiresAsTimestamp: Date.parse(source.expires), _lastUpdated: gsonDate(now) } };
    }
    // Served exactly as given, even if it is not a record at all.
    return { index, id, source: record as Record<string, unknown> };
  });
}

function routeOf(method: string, path: string): Route | null {
  if (path === '/lookup/activehosts.json') return 'activehosts';
  if (/^\/lookup(\/[^/]+)?\/_search(\/scroll)?\/?$/.test(path)) return 'search';
  if (/^\/[^/]+\/records\/?$/.test(path)) return 'records';
  if (/^\/lookup\/[^/_][^/]*\/[^/]+(\/[^/]+)?\/?$/.test(path) && method === 'GET') return 'record';
  return null;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > MAX_REQUEST_BODY) throw new Error('request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Strings go out exactly as given (garbage stays garbage); anything else as JSON. */
function send(res: ServerResponse, status: number, body: unknown, contentType = 'application/json'): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export async function startLookupServiceDouble(options: DoubleOptions = {}): Promise<LookupServiceDouble> {
  const now = options.now ?? Date.now;
  const decorate = options.decorate ?? true;
  let docs: Doc[] = [];
  let activeHosts: unknown = null;
  const behaviours = new Map<Route | 'all', { behaviour: Misbehaviour; remaining: number }>();
  const requests: LoggedRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const scrolls = new Map<string, { hits: ReturnType<typeof runSearch>['matches']; size: number; total: ReturnType<typeof totalOf>; expires: number }>();
  let scrollSeq = 0;

  const setRecords = (records: readonly unknown[], snapshot: readonly unknown[] = []) => {
    const at = now();
    docs = [...toDocs(records, 'lookup', decorate, at), ...toDocs(snapshot, 'ls-snapshot-2026.07.20', decorate, at)];
  };
  setRecords(options.records ?? [], options.snapshot ?? []);

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  /** The normal answer of a route, as status + body text. */
  function answer(route: Route, method: string, path: string, params: URLSearchParams, bodyText: string): { status: number; text: string; type: string } {
    const json = (status: number, body: unknown) => ({ status, text: JSON.stringify(body), type: 'application/json' });
    if (route === 'activehosts') {
      return json(200, activeHosts ?? { hosts: [{ locator: `http://127.0.0.1:${port}/lookup/records`, status: 'alive', lastupdated: new Date(now()).toISOString() }] });
    }
    if (route === 'records') {
      const result = queryRecords(docs.filter((d) => d.index === 'lookup'), params, now());
      return result.contentType === 'application/json' ? json(result.status, result.body) : { status: result.status, text: String(result.body), type: result.contentType };
    }
    if (route === 'record') {
      const [, , type = '', id = '', key = null] = path.replace(/\/$/, '').split('/');
      const result = getRecord(docs.filter((d) => d.index === 'lookup'), type, id, key);
      return result.contentType === 'application/json' ? json(result.status, result.body) : { status: result.status, text: String(result.body), type: result.contentType };
    }
    // search
    try {
      let body: Record<string, unknown> = {};
      if (bodyText.trim() !== '') {
        try {
          body = JSON.parse(bodyText) as Record<string, unknown>;
        } catch {
          throw new EsError(400, 'parsing_exception', 'Unexpected character: was expecting a JSON object');
        }
        if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new EsError(400, 'parsing_exception', 'request body must be a JSON object');
      }
      if (path.replace(/\/$/, '').endsWith('/_search/scroll')) {
        const id = typeof body.scroll_id === 'string' ? body.scroll_id : params.get('scroll_id');
        const scroll = id ? scrolls.get(id) : undefined;
        if (!id || !scroll || scroll.expires < now()) throw new EsError(404, 'search_context_missing_exception', `No search context found for id [${id ?? ''}]`);
        const page = scroll.hits.splice(0, scroll.size);
        scroll.expires = now() + SCROLL_TTL_MS;
        return json(200, envelope(page, scroll.total, { _scroll_id: id }));
      }
      const index = /^\/lookup\/([^/]+)\/_search/.exec(path)?.[1];
      const pool = index === undefined ? docs : docs.filter((d) => d.index === index || (index.endsWith('*') && d.index.startsWith(index.slice(0, -1))));
      if (index !== undefined && pool.length === 0 && !index.endsWith('*')) throw new EsError(404, 'index_not_found_exception', `no such index [${index}]`);
      const request = body as SearchRequestBody;
      const { size, from } = sizeAndFrom(request);
      const { matches, sortKeys } = runSearch(pool, request, now());
      const after = applySearchAfter(matches, sortKeys, request.search_after);
      const total = totalOf(matches.length, request.track_total_hits);
      if (params.has('scroll')) {
        const id = `scroll-${(scrollSeq += 1)}`;
        const rest = after.slice(from + size);
        scrolls.set(id, { hits: rest, size, total, expires: now() + SCROLL_TTL_MS });
        return json(200, envelope(after.slice(from, from + size), total, { _scroll_id: id }));
      }
      return json(200, envelope(after.slice(from, from + size), total));
    } catch (error) {
      if (error instanceof EsError) return json(error.status, error.toBody());
      throw error;
    }
  }

  async function misbehave(res: ServerResponse, req: IncomingMessage, b: Misbehaviour, normal: () => { status: number; text: string; type: string }): Promise<boolean> {
    switch (b.kind) {
      case 'slow':
        await sleep(b.delayMs);
        return false;
      case 'status':
        send(res, b.status, b.body ?? 'Error retrieving results', 'text/plain');
        return true;
      case 'garbage':
        send(res, 200, b.body ?? '<html><body>502 Bad Gateway</body></html>\u0000\u00ff{[', 'application/json');
        return true;
      case 'body':
        send(res, b.status ?? 200, b.body, b.contentType ?? 'application/json');
        return true;
      case 'reset':
        req.socket.destroy();
        return true;
      case 'hang':
        return true; // never answers; close() destroys the socket
      case 'truncate': {
        const full = Buffer.from(normal().text);
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': full.length });
        res.write(full.subarray(0, b.keepBytes ?? Math.floor(full.length / 2)), () => req.socket.destroy());
        return true;
      }
      case 'drip': {
        const full = Buffer.from(normal().text);
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': full.length });
        for (let offset = 0; offset < full.length && !res.destroyed; offset += b.chunkBytes) {
          res.write(full.subarray(offset, offset + b.chunkBytes));
          await sleep(b.intervalMs);
        }
        res.end();
        return true;
      }
      case 'huge': {
        const headers: Record<string, string | number> = { 'content-type': 'application/json' };
        if (b.declareLength) headers['content-length'] = b.bytes;
        res.writeHead(200, headers);
        const item = Buffer.from(`{"type":["service"],"uri":"lookup/service/huge","expires":"2099-01-01T00:00:00.000Z","service-name":["${'h'.repeat(900)}"]},`);
        const chunk = Buffer.concat([Buffer.from('['), ...Array.from({ length: 64 }, () => item)]);
        let sent = 0;
        while (sent < b.bytes && !res.destroyed && !req.socket.destroyed) {
          const ok = res.write(chunk);
          sent += chunk.length;
          if (!ok) await new Promise<void>((resolve) => {
            const done = () => {
              res.off('drain', done);
              res.off('close', done);
              resolve();
            };
            res.once('drain', done);
            res.once('close', done);
          });
        }
        if (!res.destroyed) res.end();
        return true;
      }
    }
  }

  let pending = 0;
  const server = createServer(async (req, res) => {
    pending += 1;
    res.once('close', () => (pending -= 1));
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const route = routeOf(method, url.pathname);
    let bodyText = '';
    try {
      bodyText = await readBody(req);
    } catch {
      send(res, 413, 'Request Entity Too Large', 'text/plain');
      return;
    }
    let body: unknown = bodyText;
    try {
      body = bodyText === '' ? null : JSON.parse(bodyText);
    } catch {
      // logged as text
    }
    if (requests.length < MAX_LOGGED) requests.push({ method, route, path: url.pathname, query: Object.fromEntries(url.searchParams), body });

    // The Apache front end: read-only, POST only to URIs containing "search".
    if (method === 'PUT' || method === 'DELETE' || (method === 'POST' && !url.pathname.includes('search'))) {
      send(res, 403, 'Forbidden', 'text/plain');
      return;
    }
    if (route === null) {
      send(res, 404, 'Not Found', 'text/plain');
      return;
    }
    const normal = () => {
      try {
        return answer(route, method, url.pathname, url.searchParams, bodyText);
      } catch (error) {
        // A bug in the double must show up as an error answer, never as a hung request.
        return { status: 500, text: `double failed: ${(error as Error).message}`, type: 'text/plain' };
      }
    };
    const active = behaviours.get(route) ?? behaviours.get('all');
    if (active) {
      active.remaining -= 1;
      if (active.remaining <= 0) behaviours.delete(behaviours.get(route) === active ? route : 'all');
      if (await misbehave(res, req, active.behaviour, normal)) return;
    }
    if (res.destroyed) return;
    const { status, text, type } = normal();
    res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text), ...(route === 'search' ? { 'access-control-allow-origin': '*' } : {}) });
    res.end(text);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port}`;

  return {
    url: base,
    port,
    recordsUrl: `${base}/lookup/records`,
    searchUrl: `${base}/lookup/_search`,
    activeHostsUrl: `${base}/lookup/activehosts.json`,
    requests,
    setRecords,
    setActiveHosts: (body) => {
      activeHosts = body;
    },
    misbehave: (route, behaviour, times = Number.POSITIVE_INFINITY) => {
      behaviours.set(route, { behaviour, remaining: times });
    },
    behave: () => behaviours.clear(),
    pending: () => pending,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
