import Database from 'better-sqlite3';
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Workbench } from '../../electron/core/workbench.ts';
import { startServer, type RunningServer } from '../../electron/serve/server.ts';
import type { WorkbenchEvent } from '../../electron/shared/events.ts';
import { startIperf3Server, type Iperf3Server } from '../helpers/iperf3-server.ts';
import { tempDir } from '../helpers/tmp.ts';

const dir = tempDir();
let workbench: Workbench;
let server: RunningServer;
let iperf: Iperf3Server;

beforeAll(async () => {
  const staticDir = dir.file('renderer');
  mkdirSync(`${staticDir}/assets`, { recursive: true });
  writeFileSync(`${staticDir}/index.html`, '<!doctype html><title>psw</title>');
  writeFileSync(`${staticDir}/assets/app.js`, 'console.log(1)');
  writeFileSync(dir.file('secret.txt'), 'outside the static root');
  workbench = Workbench.open({ dbPath: dir.file('serve.sqlite'), adapter: 'serve', validateOutputs: true });
  server = await startServer({ workbench, staticDir });
  iperf = await startIperf3Server();
});
afterAll(async () => {
  await server.close();
  await workbench.close();
  await iperf.stop();
  dir.remove();
});

function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, headers: { host: `127.0.0.1:${server.port}`, ...headers } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function connect(headers: Record<string, string>): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function client(ws: WebSocket) {
  let nextId = 1;
  const events: WorkbenchEvent[] = [];
  const waiting = new Map<number, (result: unknown) => void>();
  ws.on('message', (data) => {
    const message = JSON.parse(String(data)) as { id?: number; result?: unknown; event?: WorkbenchEvent };
    if (message.event) events.push(message.event);
    if (typeof message.id === 'number') waiting.get(message.id)?.(message.result);
  });
  return {
    events,
    call: (channel: string, input: unknown) =>
      new Promise<{ ok: boolean; value?: any; error?: { code: string; message: string } }>((resolve) => {
        const id = nextId++;
        waiting.set(id, resolve as (r: unknown) => void);
        ws.send(JSON.stringify({ id, channel, input }));
      }),
    raw: (text: string) =>
      new Promise<unknown>((resolve) => {
        ws.once('message', (data) => resolve(JSON.parse(String(data))));
        ws.send(text);
      }),
  };
}

describe('psw serve: loopback HTTP + WebSocket bridge', () => {
  it('prints a loopback URL with its token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(server.token.length).toBeGreaterThanOrEqual(32);
  });

  it('rejects requests without the token, with a foreign Host or a foreign Origin', async () => {
    expect((await get('/')).status).toBe(401);
    expect((await get('/?token=wrong')).status).toBe(401);
    expect((await get(`/?token=${server.token}`, { host: 'evil.example' })).status).toBe(403);
    expect((await get(`/?token=${server.token}`, { host: `127.0.0.1.evil.example:${server.port}` })).status).toBe(403);
    expect((await get(`/?token=${server.token}`, { origin: 'http://evil.example' })).status).toBe(403);
  });

  it('moves the token into an HttpOnly cookie, then serves files with a CSP and no path escapes', async () => {
    const first = await get(`/?token=${server.token}`);
    expect(first.status).toBe(303);
    const cookie = String(first.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const pair = cookie.split(';')[0] ?? '';
    const page = await get('/', { cookie: pair });
    expect(page.status).toBe(200);
    expect(String(page.headers['content-security-policy'])).toMatch(/script-src 'self'/);
    expect((await get('/assets/app.js', { cookie: pair })).status).toBe(200);
    expect((await get('/../secret.txt', { cookie: pair })).status).toBe(404);
    expect((await get('/%2e%2e/secret.txt', { cookie: pair })).status).toBe(404);
  });

  it('refuses WebSocket upgrades without the token or from a foreign origin', async () => {
    await expect(connect({})).rejects.toThrow(/403/);
    await expect(connect({ authorization: `Bearer ${server.token}`, origin: 'http://evil.example' })).rejects.toThrow(/403/);
    await expect(connect({ authorization: 'Bearer nope' })).rejects.toThrow(/403/);
    const ok = await connect({ authorization: `Bearer ${server.token}`, origin: `http://localhost:${server.port}` });
    ok.close();
  });

  it('answers malformed messages with an error and keeps the connection', async () => {
    const ws = await connect({ authorization: `Bearer ${server.token}` });
    const c = client(ws);
    expect(await c.raw('not json')).toMatchObject({ result: { ok: false, error: { code: 'INVALID_INPUT' } } });
    expect(await c.raw(JSON.stringify({ id: 1, channel: 'db.exec', input: 'DROP TABLE runs' }))).toMatchObject({ result: { ok: false } });
    const refused = await c.call('runs.start', { kind: 'throughput', target: { host: '--logfile=/tmp/x' } });
    expect(refused.ok).toBe(false);
    expect(refused.error?.code).toBe('INVALID_INPUT');
    const list = await c.call('runs.list', {});
    expect(list.ok).toBe(true);
    ws.close();
  });

  it('runs throughput through the bridge with live events, then the stored run has its intervals and raw JSON', async () => {
    const ws = await connect({ authorization: `Bearer ${server.token}` });
    const c = client(ws);
    const started = await c.call('runs.start', { kind: 'throughput', target: { host: '127.0.0.1', port: iperf.port }, options: { duration: 3 } });
    expect(started.ok).toBe(true);
    const runId = started.value.runId as number;
    const deadline = Date.now() + 20_000;
    while (!c.events.some((e) => e.type === 'run.finished' && e.runId === runId) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const mine = c.events.filter((e) => e.type.startsWith('run.') && 'runId' in e && e.runId === runId);
    expect(mine.map((e) => e.type)).toContain('run.started');
    const intervals = mine.filter((e) => e.type === 'run.progress' && e.interval !== null);
    expect(intervals.length).toBeGreaterThanOrEqual(2);
    expect(mine.at(-1)).toMatchObject({ type: 'run.finished', status: 'succeeded' });
    const detail = await c.call('runs.get', { runId });
    expect(detail.value.data.intervals.filter((i: { stream: number }) => i.stream === -1)).toHaveLength(3);
    expect(JSON.parse(detail.value.raw.stdout).end.sum_sent.bytes).toBeGreaterThan(0);
    ws.close();

    // The same run, read straight from the SQLite file, as another process would see it.
    const db = new Database(dir.file('serve.sqlite'), { readonly: true, fileMustExist: true });
    try {
      expect(db.prepare('SELECT kind, status, tool FROM runs WHERE id = ?').get(runId)).toEqual({ kind: 'throughput', status: 'succeeded', tool: 'iperf3' });
      const sums = db.prepare('SELECT bits_per_second FROM throughput_samples WHERE run_id = ? AND stream = -1 ORDER BY seq').pluck().all(runId) as number[];
      expect(sums).toHaveLength(3);
      expect(sums.every((bps) => bps > 0)).toBe(true);
      const stdout = db.prepare('SELECT stdout FROM run_output WHERE run_id = ?').pluck().get(runId) as string;
      expect(stdout).toBe(detail.value.raw.stdout);
      expect((JSON.parse(stdout) as { start: { connecting_to: { port: number } } }).start.connecting_to.port).toBe(iperf.port);
    } finally {
      db.close();
    }
  });

  it('cancels a run through the bridge', async () => {
    const ws = await connect({ authorization: `Bearer ${server.token}` });
    const c = client(ws);
    const started = await c.call('runs.start', { kind: 'throughput', target: { host: '127.0.0.1', port: iperf.port }, options: { duration: 30 } });
    const runId = started.value.runId as number;
    const deadline = Date.now() + 10_000;
    while (!c.events.some((e) => e.type === 'run.started' && e.runId === runId) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect((await c.call('runs.cancel', { runId })).value).toEqual({ cancelled: true });
    while (!c.events.some((e) => e.type === 'run.finished' && e.runId === runId) && Date.now() < deadline + 10_000) await new Promise((r) => setTimeout(r, 50));
    expect(c.events.find((e) => e.type === 'run.finished' && e.runId === runId)).toMatchObject({ status: 'cancelled' });
    ws.close();
  });
});
