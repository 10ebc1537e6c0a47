import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize, resolve, sep } from 'node:path';
import { contentTypeFor } from '../shared/mime.ts';
import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';
import type { Workbench } from '../core/workbench.ts';
import { CHANNELS } from '../shared/channels.ts';
import { encodeMessage } from '../shared/wire.ts';
import { RequestGuard, TOKEN_COOKIE } from './guard.ts';


const ClientMessage = z.strictObject({
  id: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  channel: z.enum(CHANNELS),
  input: z.unknown().optional(),
});

/** A progress flood must never grow a slow socket's buffer without bound. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

export interface ServeOptions {
  workbench: Workbench;
  staticDir: string;
  port?: number;
  token?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port} ws://[::1]:${port}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * `psw serve`: the built renderer and the contract over loopback HTTP + WebSocket, so the real UI
 * runs in any browser. Binds to 127.0.0.1 only.
 */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const root = resolve(options.staticDir);
  const indexInfo = await stat(join(root, 'index.html')).catch(() => null);
  if (!indexInfo?.isFile()) {
    throw new Error(`The renderer is not built (${join(root, 'index.html')} is missing). Run "npm run build" first.`);
  }
  const token = options.token ?? randomBytes(24).toString('base64url');
  let guard = new RequestGuard(token, options.port ?? 0);
  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });

  const refuse = (res: ServerResponse, status: number, text: string) => {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
    res.end(`${text}\n`);
  };

  const server = createServer((req, res) => {
    void handleHttp(req, res).catch(() => {
      if (!res.headersSent) refuse(res, 500, 'internal error');
      else res.destroy();
    });
  });

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const hostProblem = guard.hostProblem(req);
    if (hostProblem) return refuse(res, 403, hostProblem);
    const originProblem = guard.originProblem(req);
    if (originProblem) return refuse(res, 403, originProblem);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (!guard.tokenMatches(guard.presentedToken(req, url))) return refuse(res, 401, 'missing or wrong token');
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'method not allowed');
    if (url.searchParams.has('token')) {
      // Move the token from the address bar into an HttpOnly cookie.
      res.writeHead(303, {
        location: '/',
        'set-cookie': `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        'cache-control': 'no-store',
        'referrer-policy': 'no-referrer',
      });
      res.end();
      return;
    }
    const path = url.pathname === '/' ? '/index.html' : decodeURIComponent(url.pathname);
    const file = normalize(join(root, path));
    if (!file.startsWith(root + sep)) return refuse(res, 404, 'not found');
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) return refuse(res, 404, 'not found');
    res.writeHead(200, {
      'content-type': contentTypeFor(file),
      'content-length': info.size,
      'content-security-policy': contentSecurityPolicy(guard.port),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(file).pipe(res);
  }

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const problem =
      guard.hostProblem(req) ??
      guard.originProblem(req) ??
      (guard.tokenMatches(guard.presentedToken(req, url)) ? null : 'missing or wrong token') ??
      (url.pathname === '/api' ? null : 'not found');
    if (problem) {
      socket.end(`HTTP/1.1 ${problem === 'not found' ? 404 : 403} ${problem}\r\nConnection: close\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws));
  });

  function attach(ws: WebSocket): void {
    sockets.add(ws);
    const unsubscribe = options.workbench.subscribe((event) => {
      if (ws.readyState !== ws.OPEN) return;
      if (event.type === 'run.progress' && ws.bufferedAmount > MAX_BUFFERED_BYTES) return;
      ws.send(encodeMessage({ event }));
    });
    ws.on('message', (data, isBinary) => {
      if (isBinary) return ws.close(1003, 'text frames only');
      let message: z.output<typeof ClientMessage>;
      try {
        message = ClientMessage.parse(JSON.parse(String(data)));
      } catch {
        ws.send(JSON.stringify({ id: null, result: { ok: false, error: { code: 'INVALID_INPUT', message: 'Malformed request.' } } }));
        return;
      }
      void options.workbench.invoke(message.channel, message.input).then((result) => {
        if (ws.readyState === ws.OPEN) ws.send(encodeMessage({ id: message.id, result }));
      });
    });
    ws.on('close', () => {
      unsubscribe();
      sockets.delete(ws);
    });
    ws.on('error', () => ws.terminate());
  }

  await new Promise<void>((ready, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, '127.0.0.1', () => ready());
  });
  const port = (server.address() as AddressInfo).port;
  guard = new RequestGuard(token, port);
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: async () => {
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
