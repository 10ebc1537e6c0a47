import { mkdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { summarizePing, parsePing } from '../../electron/core/measure/ping/parse.ts';
import { assessPath } from '../../electron/core/measure/trace/analysis.ts';
import { pathFingerprint, pathKey, routeFingerprint } from '../../electron/core/measure/trace/identity.ts';
import { traceSummary } from '../../electron/core/measure/trace/method.ts';
import type { PathRunOutcome } from '../../electron/core/measure/trace/outcome.ts';
import { parsePath } from '../../electron/core/measure/trace/parse.ts';
import type { TraceResult } from '../../electron/core/measure/trace/run.ts';
import { Store } from '../../electron/core/store/index.ts';
import { MtuOptions, RttOptions, TraceOptions, type MtuProbe, type MtuSummary, type TraceMethod, type TraceTool } from '../../electron/shared/path.ts';
import { launchChromium } from '../helpers/browser.ts';
import { startPswServe, type ServeProcess } from '../helpers/serve.ts';
import { tempDir } from '../helpers/tmp.ts';

/**
 * The path views in Chromium against `psw serve`: stored traces seeded from the committed real
 * fixtures (a route change, loss starting at a hop, ICMP rate limiting, an MTU drop, ECMP, a silent
 * hop, an unreachable destination, tracepath asymm, an RTT run with losses, MTU searches with and
 * without a black hole), plus real trace, rtt and mtu runs to 127.0.0.1 started through the bridge.
 */

const SHOTS = 'test-results/e2e';
const FIXTURES = new URL('../fixtures/trace/linux/', import.meta.url);
const dir = tempDir();
const t0 = Date.parse('2026-10-01T00:00:00Z');
const HOUR = 3_600_000;
let serve: ServeProcess;
let browser: Browser;
let page: Page;

const fixture = (name: string) => readFileSync(new URL(name, FIXTURES), 'utf8');

function traceResult(name: string, tool: TraceTool, method: TraceMethod): { result: TraceResult; text: string } {
  const text = fixture(name);
  const trace = parsePath(text);
  return { text, result: { tool, method, paris: true, trace, assessment: assessPath(trace, { method }), fingerprint: pathFingerprint(trace), pathKey: pathKey(trace) } };
}

function outcome<R>(result: R, text: string, tool: string, targetAddress: string | null): PathRunOutcome<R> {
  return { status: 'succeeded', error: null, tool, toolVersion: '1', command: [tool], stdout: text, stderr: '', family: 4, targetAddress, notes: [], result, durationMs: 1000 };
}

/** A finished trace, stored as the workbench stores one (route fingerprint against the previous run included). */
function seedTrace(store: Store, host: string, at: number, name: string, tool: TraceTool = 'traceroute', method: TraceMethod = 'udp'): number {
  const { result, text } = traceResult(name, tool, method);
  const id = store.runs.create({ kind: 'trace', host, port: null, family: 'any', options: TraceOptions.parse({ tool, method }), now: at });
  store.runs.markStarted(id, tool, '1', [tool, '-n', '198.18.9.1'], at);
  const targetId = store.runs.targetIdOf(id);
  const route = routeFingerprint(result.trace, targetId === null ? null : store.paths.latestRoute(targetId));
  const summary = traceSummary(outcome(result, text, tool, result.trace.targetAddress));
  store.runs.finish(id, { status: 'succeeded', error: null, summary: summary && { ...summary, routeFingerprint: route }, stdout: text, stderr: '', now: at + 5000, family: '4', pathFingerprint: route }, () =>
    store.paths.insertTrace(id, at, result),
  );
  return id;
}

function seedMtu(store: Store, host: string, at: number, name: string, probes: MtuProbe[], patch: Partial<MtuSummary>): number {
  const { result, text } = traceResult(name, 'tracepath', 'udp');
  const id = store.runs.create({ kind: 'mtu', host, port: null, family: 'any', options: MtuOptions.parse({}), now: at });
  store.runs.markStarted(id, 'tracepath', '20221126', ['tracepath', '-n', '198.18.9.1'], at);
  const summary: MtuSummary = {
    family: '4',
    targetAddress: '198.18.9.1',
    localMtu: result.trace.localMtu,
    pathMtu: null,
    tracepathMtu: result.trace.pathMtu,
    pingMtu: null,
    pingMtuIsLowerBound: false,
    drops: result.assessment.mtu.drops,
    blackHoleSuspected: false,
    hops: result.assessment.destinationTtl,
    problems: [],
    ...patch,
  };
  store.runs.finish(id, { status: 'succeeded', error: null, summary, stdout: text, stderr: '', now: at + 5000, family: '4' }, () => {
    store.paths.insertTrace(id, at, result);
    store.paths.insertMtuProbes(id, probes);
  });
  return id;
}

function seedRtt(store: Store, host: string, at: number, name: string): number {
  const text = fixture(name);
  const parse = parsePing(text);
  const id = store.runs.create({ kind: 'rtt', host, port: null, family: 'any', options: RttOptions.parse({ count: 20 }), now: at });
  store.runs.markStarted(id, 'ping', '20221126', ['ping', '-n', '198.18.9.1'], at);
  store.runs.finish(id, { status: 'succeeded', error: null, summary: summarizePing(parse, '4'), stdout: text, stderr: '', now: at + 20_000, family: '4' }, () =>
    store.paths.insertPingReplies(id, parse.replies),
  );
  return id;
}

const probe = (step: number, mtu: number, outcome: MtuProbe['outcome'], reportedMtu: number | null = null, from: string | null = null): MtuProbe => ({ step, mtu, outcome, reportedMtu, from });

const PATH_HOST = 'ps-path.example.net';
const ids: Record<string, number> = {};

function seed(db: string) {
  const store = new Store(db);
  try {
    // Seven traces to one target, an hour apart: the route changes at hop 2 and changes back.
    const history = [
      ['base1', 'traceroute-udp-3hop.txt'],
      ['base2', 'traceroute-udp-3hop.txt'],
      ['ratelimit', 'traceroute-ratelimit.txt'],
      ['routeB1', 'traceroute-udp-route-b.txt'],
      ['routeB2', 'traceroute-udp-route-b.txt'],
      ['loss', 'mtr-json-forward-loss.txt'],
      ['silent', 'traceroute-silent-hop.txt'],
    ] as const;
    history.forEach(([key, name], i) => {
      ids[key] = seedTrace(store, PATH_HOST, t0 + i * HOUR, name, name.startsWith('mtr') ? 'mtr' : 'traceroute', name.startsWith('mtr') ? 'icmp' : 'udp');
    });
    ids.ecmp = seedTrace(store, 'ps-ecmp.example.net', t0 + 8 * HOUR, 'traceroute-udp-ecmp.txt');
    ids.unreach = seedTrace(store, 'ps-unreach.example.net', t0 + 8 * HOUR, 'traceroute-host-unreachable.txt');
    ids.asymm = seedTrace(store, 'ps-asymm.example.net', t0 + 8 * HOUR, 'tracepath-asymm.txt', 'tracepath');
    ids.mtuTrace = seedTrace(store, 'ps-mtu.example.net', t0 + 9 * HOUR, 'traceroute-mtu-1400.txt');
    ids.mtu = seedMtu(store, 'ps-mtu.example.net', t0 + 10 * HOUR, 'tracepath-mtu-1400.txt', [probe(1, 576, 'fits', null, '198.18.9.1'), probe(2, 1400, 'fits', null, '198.18.9.1'), probe(3, 1401, 'tooBig', 1400, '198.18.2.2')], {
      pathMtu: 1400,
      pingMtu: 1400,
    });
    ids.blackHole = seedMtu(
      store,
      'ps-blackhole.example.net',
      t0 + 10 * HOUR,
      'tracepath-3hop.txt',
      [probe(1, 576, 'fits'), probe(2, 1500, 'noReply'), probe(3, 1038, 'fits'), probe(4, 1269, 'fits'), probe(5, 1385, 'fits'), probe(6, 1442, 'noReply'), probe(7, 1413, 'noReply'), probe(8, 1399, 'fits'), probe(9, 1406, 'noReply'), probe(10, 1402, 'noReply'), probe(11, 1400, 'fits'), probe(12, 1401, 'noReply')],
      { tracepathMtu: 1500, pingMtu: 1400, pathMtu: 1400, blackHoleSuspected: true, problems: ['Large Don\'t-Fragment packets vanish without an ICMP "fragmentation needed": a PMTU black hole.'] },
    );
    ids.rtt = seedRtt(store, 'ps-rtt.example.net', t0 + 11 * HOUR, 'ping-forward-loss.txt');
  } finally {
    store.close();
  }
}

interface PageSocket {
  onopen: (() => void) | null;
  onmessage: ((m: { data: unknown }) => void) | null;
  onerror: (() => void) | null;
  send(data: string): void;
  close(): void;
}

/** A call over the serve bridge from inside the page (its cookie authenticates the socket), as the renderer makes them. */
async function bridgeCall<T>(channel: string, input: unknown): Promise<T> {
  const result = await page.evaluate(
    ([c, i]) =>
      new Promise<{ ok: boolean; value?: unknown; error?: { message: string } }>((resolve, reject) => {
        // In the page: the browser's WebSocket and location (this file is typed without the DOM).
        const g = globalThis as unknown as { location: { host: string }; WebSocket: new (url: string) => PageSocket };
        const ws = new g.WebSocket(`ws://${g.location.host}/api`);
        ws.onopen = () => ws.send(JSON.stringify({ id: 1, channel: c, input: i }));
        ws.onmessage = (m) => {
          if (typeof m.data !== 'string') return;
          const d = JSON.parse(m.data) as { id?: number; result?: { ok: boolean; value?: unknown; error?: { message: string } } };
          if (d.id === 1 && d.result) {
            resolve(d.result);
            ws.close();
          }
        };
        ws.onerror = () => reject(new Error('bridge socket failed'));
      }),
    [channel, input] as const,
  );
  if (!result.ok) throw new Error(`${channel}: ${result.error?.message}`);
  return result.value as T;
}

async function openStoredRun(runId: number) {
  await page.click('button[name="view-measure"]');
  await page.click(`.history button[data-run-id="${runId}"]`);
  await page.waitForSelector(`.run-view[data-run-id="${runId}"][data-status="succeeded"]`);
}

const row = (ttl: number) => page.locator(`[data-testid="hop-row"][data-ttl="${ttl}"]`);

interface PageCanvas {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
  getBoundingClientRect(): { width: number };
}

/**
 * Pixels of the timeline's canvases (ECharts draws on more than one layer) close to one colour,
 * alpha included, and their centre in CSS pixels from the chart's top left: what was really drawn.
 */
async function pixelsOf(rgba: [number, number, number, number]): Promise<{ count: number; x: number; y: number }> {
  const canvases = page.locator('[data-testid="path-timeline"] canvas');
  let count = 0;
  let sx = 0;
  let sy = 0;
  for (let n = 0; n < (await canvases.count()); n += 1) {
    const found = await canvases.nth(n).evaluate((element, target) => {
      const canvas = element as unknown as PageCanvas;
      const ctx = canvas.getContext('2d');
      if (!ctx || canvas.width === 0) return { count: 0, sx: 0, sy: 0 };
      const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
      const scale = canvas.getBoundingClientRect().width / canvas.width;
      let c = 0;
      let x = 0;
      let y = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (Math.abs((data[i] ?? 0) - target[0]) <= 3 && Math.abs((data[i + 1] ?? 0) - target[1]) <= 3 && Math.abs((data[i + 2] ?? 0) - target[2]) <= 3 && Math.abs((data[i + 3] ?? 0) - target[3]) <= 3) {
          c += 1;
          x += ((i / 4) % canvas.width) * scale;
          y += Math.floor(i / 4 / canvas.width) * scale;
        }
      }
      return { count: c, sx: x, sy: y };
    }, rgba);
    count += found.count;
    sx += found.sx;
    sy += found.sy;
  }
  return { count, x: count ? sx / count : 0, y: count ? sy / count : 0 };
}

/** Forwarding loss of 30 % (the cell where it starts) and the rate-limited grey, as drawn. */
const START_RED: [number, number, number, number] = [207, 34, 46, 153];
const RATE_LIMITED_GREY: [number, number, number, number] = [0x8c, 0x95, 0x9f, 255];

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  const db = dir.file('paths.sqlite');
  seed(db);
  serve = await startPswServe(db);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
  await page.goto(serve.url);
  await page.waitForSelector('[data-app-state="ready"]');
  await page.waitForSelector(`.history button[data-run-id="${ids.rtt}"]`);
});

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  dir.remove();
});

describe('path views in Chromium', () => {
  it('a trace with ICMP rate limiting: the hop is grey and labelled as not real loss', async () => {
    await openStoredRun(ids.ratelimit ?? 0);
    expect(await page.getAttribute('[data-testid="hop-table"]', 'data-hops')).toBe('3');
    expect(await page.locator('[data-testid="hop-row"]').count()).toBe(3);
    expect(await row(2).getAttribute('data-loss-class')).toBe('icmpRateLimited');
    expect(await row(2).locator('[data-testid="hop-loss"]').textContent()).toBe('50 % rate-limited — not real loss');
    expect(await row(2).getAttribute('data-loss-start')).toBe('no');
    expect(await row(3).getAttribute('data-loss-class')).toBe('none');
    expect(await page.textContent('[data-testid="trace-summary"]')).toContain('Rate-limited (not loss)hop 2');
    expect(await page.textContent('[data-testid="trace-summary"]')).toContain('Forwarding loss startsnowhere');
    await page.screenshot({ path: `${SHOTS}/path-ratelimit.png`, fullPage: true });
  });

  it('forwarding loss: red from the hop where it starts, which is marked', async () => {
    await openStoredRun(ids.loss ?? 0);
    expect(await page.getAttribute('[data-testid="trace-summary"]', 'data-loss-starts')).toBe('2');
    expect(await row(2).getAttribute('data-loss-class')).toBe('forwardingLoss');
    expect(await row(2).getAttribute('data-loss-start')).toBe('yes');
    expect(await row(2).locator('[data-testid="loss-start"]').textContent()).toBe('loss starts here · link from hop 1');
    expect(await row(2).locator('[data-testid="hop-loss"]').textContent()).toBe('30 % loss');
    expect(await row(3).getAttribute('data-loss-class')).toBe('forwardingLoss');
    expect(await row(3).getAttribute('data-loss-start')).toBe('no');
    expect(await page.locator('[data-testid="loss-start"]').count()).toBe(1);
    const color = await row(2).locator('[data-testid="hop-loss"]').evaluate((el) => {
      const e = el as unknown as { ownerDocument: { defaultView: { getComputedStyle(x: unknown): { color: string } } } };
      return e.ownerDocument.defaultView.getComputedStyle(el).color;
    });
    expect(color).toBe('rgb(207, 34, 46)');
    await page.screenshot({ path: `${SHOTS}/path-forwarding-loss.png`, fullPage: true });
  });

  it('a silent hop is "*", not loss; ECMP lists both routers; !H and an unreached destination; tracepath asymm', async () => {
    await openStoredRun(ids.silent ?? 0);
    expect(await row(1).getAttribute('data-loss-class')).toBe('noReply');
    expect(await row(1).locator('.silent-mark').textContent()).toBe('*');
    expect(await row(1).locator('[data-testid="hop-loss"]').textContent()).toMatch(/silent router, not loss/);

    await openStoredRun(ids.ecmp ?? 0);
    expect(await row(2).getAttribute('data-responders')).toBe('2');
    expect(await row(2).locator('li[data-address]').allTextContents()).toEqual(['198.18.2.2 · 4 of 6', '198.18.4.2 · 2 of 6']);
    expect(await row(2).locator('.badge.ecmp').textContent()).toBe('ECMP · 2 routers');
    await page.screenshot({ path: `${SHOTS}/path-ecmp.png`, fullPage: true });

    await openStoredRun(ids.unreach ?? 0);
    expect(await page.getAttribute('[data-testid="hop-table"]', 'data-reached')).toBe('no');
    expect(await row(3).locator('[data-flag="!H"]').textContent()).toBe('!H host unreachable');
    expect(await page.locator('[data-testid="not-reached"]').count()).toBe(1);
    expect(await page.textContent('[data-testid="trace-summary"]')).toContain('Destinationnot reached');

    await openStoredRun(ids.asymm ?? 0);
    expect(await row(2).locator('[data-testid="asymm"]').textContent()).toBe('asymm 6 · reply over 6 hop(s)');
  });

  it('MTU: the drop marked at the hop, the size search and the verdict, with and without a black hole', async () => {
    await openStoredRun(ids.mtuTrace ?? 0);
    expect(await page.locator('[data-testid="mtu-drop"]').count()).toBe(1);
    expect(await page.getAttribute('[data-testid="mtu-drop"]', 'data-ttl')).toBe('3');
    expect(await page.textContent('[data-testid="mtu-drop"]')).toContain('MTU 1500 → 1400 bytes on the link from hop 2 (198.18.2.2) to hop 3');
    expect(await row(3).getAttribute('data-mtu-drop')).toBe('yes');
    expect(await page.textContent('[data-testid="trace-summary"]')).toContain('Path MTU1400 B');

    await openStoredRun(ids.mtu ?? 0);
    expect(await page.getAttribute('[data-testid="mtu-verdict"]', 'data-path-mtu')).toBe('1400');
    expect(await page.getAttribute('[data-testid="mtu-verdict"]', 'data-black-hole')).toBe('no');
    expect(await page.getAttribute('[data-testid="mtu-probes"]', 'data-probes')).toBe('3');
    expect(await page.locator('[data-testid="mtu-probes"] tr[data-outcome="tooBig"]').count()).toBe(1);
    expect(await page.getAttribute('[data-testid="mtu-drop"]', 'data-ttl')).toBe('3');
    await page.screenshot({ path: `${SHOTS}/path-mtu.png`, fullPage: true });

    await openStoredRun(ids.blackHole ?? 0);
    expect(await page.getAttribute('[data-testid="mtu-verdict"]', 'data-black-hole')).toBe('yes');
    expect(await page.textContent('[data-testid="black-hole"]')).toContain('PMTU black hole suspected');
    expect(await page.locator('[data-testid="mtu-probes"] tr[data-outcome="noReply"]').count()).toBe(6);
    await page.screenshot({ path: `${SHOTS}/path-mtu-black-hole.png`, fullPage: true });
  });

  it('rtt: RTT over the sequence with the lost replies marked, and the summary', async () => {
    await openStoredRun(ids.rtt ?? 0);
    await page.waitForSelector('[data-testid="rtt-chart"] canvas');
    expect(await page.getAttribute('[data-testid="rtt-chart"]', 'data-points')).toBe('16');
    expect(await page.getAttribute('[data-testid="rtt-chart"]', 'data-lost')).toBe('4');
    const summary = await page.textContent('[data-testid="rtt-summary"]');
    expect(summary).toContain('Sent / received20 / 16');
    expect(summary).toContain('Loss20 %');
    await page.screenshot({ path: `${SHOTS}/path-rtt.png`, fullPage: true });
  });

  it('path history: distinct paths, each change with its hops, and the loss-over-time chart', async () => {
    await openStoredRun(ids.loss ?? 0);
    await page.click('button[name="open-path-history"]');
    await page.waitForSelector('[data-testid="path-timeline"][data-result-id="1"]');
    await expect.poll(() => page.getAttribute('[data-testid="path-timeline"]', 'data-render-ms'), { timeout: 10_000 }).not.toBe('');
    expect(await page.textContent('[data-testid="paths-host"]')).toBe(`Paths to ${PATH_HOST}`);
    const summary = page.locator('[data-testid="paths-summary"]');
    expect(await summary.getAttribute('data-runs')).toBe('7');
    expect(await summary.getAttribute('data-distinct')).toBe('2');
    expect(await summary.getAttribute('data-changes')).toBe('2');
    expect(await summary.textContent()).toContain('2 distinct path(s)');

    const changes = page.locator('[data-testid="path-change"]');
    expect(await changes.count()).toBe(2);
    expect(await changes.nth(0).getAttribute('data-run-id')).toBe(String(ids.routeB1));
    expect(await changes.nth(0).getAttribute('data-ttls')).toBe('2');
    expect(await changes.nth(0).locator('li[data-ttl="2"]').textContent()).toBe('hop 2: 198.18.2.2 → 198.18.4.2');
    expect(await changes.nth(1).getAttribute('data-run-id')).toBe(String(ids.loss));
    expect(await changes.nth(1).locator('li[data-ttl="2"]').textContent()).toBe('hop 2: 198.18.4.2 → 198.18.2.2');

    expect(await page.locator('[data-testid="path-segments"] tbody tr').count()).toBe(3);
    expect(await page.locator('[data-testid="path-segments"] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-route')))).toEqual(['A', 'B', 'A']);
    expect(await page.locator('[data-testid="path-runs"] tbody tr').count()).toBe(7);

    const chart = (attr: string) => page.getAttribute('[data-testid="path-timeline"]', attr);
    expect(await chart('data-columns')).toBe('7');
    expect(await chart('data-rows')).toBe('3');
    expect(await chart('data-cells')).toBe('21');
    expect(await chart('data-markers')).toBe('2');
    expect(await chart('data-forwarding')).toBe('2');
    expect(await chart('data-rate-limited')).toBe('1');
    expect(await chart('data-silent')).toBe('1');
    expect(await chart('data-loss-starts')).toBe('1');
    expect(await chart('data-changed-cells')).toBe('2');
    // On the canvas: the rate-limited cell in its grey, forwarding loss in translucent red.
    expect((await pixelsOf(RATE_LIMITED_GREY)).count).toBeGreaterThan(500);
    expect((await pixelsOf(START_RED)).count).toBeGreaterThan(500);
    await page.screenshot({ path: `${SHOTS}/path-history.png`, fullPage: true });

    const [csv] = await Promise.all([page.waitForEvent('download'), page.click('button[name="path-export-csv"]')]);
    const lines = readFileSync((await csv.path()) ?? '', 'utf8').split('\r\n').filter(Boolean);
    expect(lines).toHaveLength(22);
    expect(lines.filter((l) => l.includes(',forwardingLoss,'))).toHaveLength(2);
    const [png] = await Promise.all([page.waitForEvent('download'), page.click('button[name="path-export-png"]')]);
    expect(readFileSync((await png.path()) ?? '').subarray(1, 4).toString()).toBe('PNG');
  });

  it('clicking a cell of the chart opens that run', async () => {
    // The one cell drawn in the red of 30 % forwarding loss: hop 2 of the run where loss starts.
    const cell = await pixelsOf(START_RED);
    const box = await page.locator('[data-testid="path-timeline"]').boundingBox();
    if (!box || cell.count <= 0) throw new Error('cell not drawn');
    const x = box.x + cell.x;
    const y = box.y + cell.y;
    await page.mouse.click(x, y);
    await page.waitForSelector(`.run-view[data-run-id="${ids.loss}"][data-status="succeeded"] [data-testid="hop-table"]`);
    expect(await page.getAttribute('button[name="view-measure"]', 'aria-current')).toBe('page');
  });

  it('real trace, rtt and mtu runs to 127.0.0.1 started through the bridge, the rtt one watched live', async () => {
    const { runId: traceId } = await bridgeCall<{ runId: number }>('runs.start', { kind: 'trace', target: { host: '127.0.0.1' }, options: { maxHops: 4, queries: 3, waitSeconds: 1 } });
    await page.click('button[name="view-measure"]');
    await page.click(`.history button[data-run-id="${traceId}"]`);
    await page.waitForSelector(`.run-view[data-run-id="${traceId}"][data-status="succeeded"] [data-testid="hop-table"]`, { timeout: 30_000 });
    expect(await page.locator('[data-testid="hop-row"]').count()).toBe(1);
    expect(await row(1).locator('li[data-address]').first().getAttribute('data-address')).toBe('127.0.0.1');
    expect(await row(1).locator('.badge.succeeded').textContent()).toBe('destination');
    expect(await page.getAttribute('[data-testid="hop-table"]', 'data-reached')).toBe('yes');

    const { runId: rttId } = await bridgeCall<{ runId: number }>('runs.start', { kind: 'rtt', target: { host: '127.0.0.1' }, options: { count: 16, intervalSeconds: 0.25 } });
    await page.click(`.history button[data-run-id="${rttId}"]`);
    await page.waitForSelector(`.run-view[data-run-id="${rttId}"] [data-testid="rtt-chart"][data-live="yes"]`, { timeout: 15_000 });
    const seen: number[] = [];
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && (await page.locator('[data-testid="rtt-chart"][data-live="yes"]').count()) > 0) {
      seen.push(Number((await page.getAttribute('[data-testid="rtt-chart"]', 'data-points')) ?? 0));
      await page.waitForTimeout(200);
    }
    expect(new Set(seen.filter((n) => n > 0 && n < 16)).size).toBeGreaterThan(1);
    await page.waitForSelector(`.run-view[data-run-id="${rttId}"][data-status="succeeded"] [data-testid="rtt-chart"][data-live="no"]`, { timeout: 15_000 });
    expect(await page.getAttribute('[data-testid="rtt-chart"]', 'data-points')).toBe('16');
    expect(await page.getAttribute('[data-testid="rtt-chart"]', 'data-lost')).toBe('0');
    await page.screenshot({ path: `${SHOTS}/path-rtt-live-loopback.png`, fullPage: true });

    const { runId: mtuId } = await bridgeCall<{ runId: number }>('runs.start', { kind: 'mtu', target: { host: '127.0.0.1' }, options: { maxMtu: 9000 } });
    await page.click(`.history button[data-run-id="${mtuId}"]`);
    await page.waitForSelector(`.run-view[data-run-id="${mtuId}"][data-status="succeeded"] [data-testid="mtu-verdict"]`, { timeout: 30_000 });
    expect(await page.getAttribute('[data-testid="mtu-verdict"]', 'data-black-hole')).toBe('no');
    expect(Number(await page.getAttribute('[data-testid="mtu-probes"]', 'data-probes'))).toBeGreaterThanOrEqual(2);
    expect(await page.locator('[data-testid="mtu-probes"] tr[data-outcome="fits"]').count()).toBeGreaterThanOrEqual(2);

    // The route history is the trace run's: the mtu run's tracepath (it stops where PMTU discovery stops) is no route record.
    await page.click('button[name="open-path-history"]');
    await page.waitForSelector('[data-testid="paths-summary"][data-runs="1"]');
    expect(await page.getAttribute('[data-testid="paths-summary"]', 'data-distinct')).toBe('1');
    expect(await page.getAttribute('[data-testid="paths-family"]', 'data-family')).toBe('4');
    expect(await page.getAttribute('[data-testid="path-timeline"]', 'data-columns')).toBe('1');
    expect(await page.getAttribute('[data-testid="path-timeline"]', 'data-markers')).toBe('0');
    await page.screenshot({ path: `${SHOTS}/path-history-loopback.png`, fullPage: true });
  });
});
