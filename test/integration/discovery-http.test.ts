import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DeadlineReached, requestJson } from '../../electron/core/discovery/http.ts';
import { WorkbenchError } from '../../electron/shared/errors.ts';
import { linkedReferenceSet } from '../doubles/lookup-service/fixtures.ts';
import { startLookupServiceDouble, type LookupServiceDouble } from '../doubles/lookup-service/server.ts';

/* The bounded HTTP layer against a Lookup Service that misbehaves on purpose. */

let ls: LookupServiceDouble;

beforeAll(async () => {
  ls = await startLookupServiceDouble({ records: linkedReferenceSet(Date.now()) });
});
afterAll(() => ls.close());
afterEach(() => ls.behave());

function budget(ms: number): AbortSignal {
  const c = new AbortController();
  setTimeout(() => c.abort(new DeadlineReached(ms)), ms).unref();
  return c.signal;
}

async function failure(promise: Promise<unknown>): Promise<WorkbenchError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof WorkbenchError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('requestJson', () => {
  it('reads a normal answer', async () => {
    const { json, status } = await requestJson(`${ls.recordsUrl}?type=host`, { signal: budget(5000) });
    expect(status).toBe(200);
    expect(Array.isArray(json) && json.length).toBe(2);
  });

  it('waits for a slow server inside the budget', async () => {
    ls.misbehave('records', { kind: 'slow', delayMs: 300 });
    const { json } = await requestJson(`${ls.recordsUrl}?type=host`, { signal: budget(5000) });
    expect(Array.isArray(json)).toBe(true);
  });

  it('gives up on a hanging server when the budget runs out, with TIMEOUT', async () => {
    ls.misbehave('records', { kind: 'hang' });
    const started = performance.now();
    const error = await failure(requestJson(ls.recordsUrl, { signal: budget(400) }));
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toMatch(/within 400 ms/);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('gives up on a server that drips its body, with TIMEOUT', async () => {
    ls.misbehave('records', { kind: 'drip', chunkBytes: 20, intervalMs: 100 });
    const error = await failure(requestJson(`${ls.recordsUrl}?type=host`, { signal: budget(500) }));
    expect(error.code).toBe('TIMEOUT');
  });

  it('reports HTTP 500 with the server text, 503 as SERVER_BUSY, 404 as NOT_FOUND', async () => {
    ls.misbehave('records', { kind: 'status', status: 500, body: 'Error retrieving results' }, 1);
    const e500 = await failure(requestJson(ls.recordsUrl, { signal: budget(5000) }));
    expect(e500.code).toBe('TOOL_FAILED');
    expect(e500.message).toContain('HTTP 500 "Error retrieving results"');
    ls.misbehave('records', { kind: 'status', status: 503, body: 'Server is unable to process large query requests at this time. Please try later' }, 1);
    expect((await failure(requestJson(ls.recordsUrl, { signal: budget(5000) }))).code).toBe('SERVER_BUSY');
    expect((await failure(requestJson(`${ls.url}/lookup/service/none`, { signal: budget(5000) }))).code).toBe('NOT_FOUND');
  });

  it('shows the reason of an Elasticsearch error', async () => {
    const error = await failure(requestJson(ls.searchUrl, { method: 'POST', body: { query: { nope: {} } }, signal: budget(5000) }));
    expect(error.message).toContain('parsing_exception: unknown query [nope]');
  });

  it('refuses a truncated body', async () => {
    ls.misbehave('records', { kind: 'truncate' });
    const error = await failure(requestJson(ls.recordsUrl, { signal: budget(5000) }));
    expect(error.code).toBe('TOOL_FAILED');
    expect(error.message).toMatch(/closed before the whole response arrived/);
  });

  it('refuses garbage as not JSON', async () => {
    ls.misbehave('records', { kind: 'garbage' });
    const error = await failure(requestJson(ls.recordsUrl, { signal: budget(5000) }));
    expect(error.code).toBe('UNPARSEABLE_OUTPUT');
    expect(error.message).toMatch(/not JSON/);
  });

  it('cuts off a 300 MB stream at the size cap, quickly, without buffering it', async () => {
    ls.misbehave('records', { kind: 'huge', bytes: 300 * 1024 * 1024 });
    const before = process.memoryUsage().rss;
    const started = performance.now();
    const error = await failure(requestJson(ls.recordsUrl, { signal: budget(20_000), maxBytes: 2 * 1024 * 1024 }));
    expect(error.code).toBe('UNPARSEABLE_OUTPUT');
    expect(error.message).toMatch(/larger than 2 MiB; it was cut off/);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
  });

  it('cuts off at the default 32 MiB cap too', async () => {
    ls.misbehave('records', { kind: 'huge', bytes: 300 * 1024 * 1024 });
    const error = await failure(requestJson(ls.recordsUrl, { signal: budget(30_000) }));
    expect(error.message).toMatch(/larger than 32 MiB/);
  });

  it('refuses a declared Content-Length over the cap before reading the body', async () => {
    ls.misbehave('records', { kind: 'huge', bytes: 500 * 1024 * 1024, declareLength: true });
    const started = performance.now();
    const error = await failure(requestJson(ls.recordsUrl, { signal: budget(20_000), maxBytes: 1024 * 1024 }));
    expect(error.message).toMatch(/larger than 1 MiB/);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('reports a reset connection and a refused one', async () => {
    ls.misbehave('records', { kind: 'reset' });
    expect((await failure(requestJson(ls.recordsUrl, { signal: budget(5000) }))).code).toBe('TOOL_FAILED');
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const refused = await failure(requestJson(`http://127.0.0.1:${port}/lookup/records`, { signal: budget(5000) }));
    expect(refused.code).toBe('CONNECTION_REFUSED');
  });

  it('tells a cancel from a timeout', async () => {
    ls.misbehave('records', { kind: 'hang' });
    const c = new AbortController();
    setTimeout(() => c.abort(), 100);
    expect((await failure(requestJson(ls.recordsUrl, { signal: c.signal }))).code).toBe('CANCELLED');
  });
});
