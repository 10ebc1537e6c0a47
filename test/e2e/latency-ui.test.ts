import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openApp, SHOTS, type OpenApp } from '../helpers/app.ts';
import { startResponder, type Responder } from '../helpers/responder.ts';
import { tempDir } from '../helpers/tmp.ts';

/**
 * One-way latency (OWAMP) and round trip (TWAMP-Light) in Chromium against `psw serve`, started
 * from the form against real `psw responder` processes on 127.0.0.1: the live view while packets
 * arrive, then the stored sessions with their figures, charts and histogram; a closed port's error;
 * and the history listing both kinds.
 */

const dir = tempDir();
let app: OpenApp;
let page: Page;
let owamp: Responder;
let light: Responder;
const UNSYNC_NOTE = 'Unsynchronised clocks: absolute one-way delay is not meaningful, variation is.';

/** A loopback TCP port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

interface PageCanvas {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
}

/** Pixels close to an RGB colour on the canvases under `selector`: what was really drawn. */
async function pixelsOf(selector: string, rgb: [number, number, number]): Promise<number> {
  const canvases = page.locator(`${selector} canvas`);
  let count = 0;
  for (let n = 0; n < (await canvases.count()); n += 1) {
    count += await canvases.nth(n).evaluate((element, target) => {
      const canvas = element as unknown as PageCanvas;
      const ctx = canvas.getContext('2d');
      if (!ctx || canvas.width === 0) return 0;
      const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
      let c = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (Math.abs((data[i] ?? 0) - target[0]) <= 12 && Math.abs((data[i + 1] ?? 0) - target[1]) <= 12 && Math.abs((data[i + 2] ?? 0) - target[2]) <= 12 && (data[i + 3] ?? 0) > 200) c += 1;
      }
      return c;
    }, rgb);
  }
  return count;
}

const DELAY_BLUE: [number, number, number] = [0x1f, 0x6f, 0xeb];

async function startFromForm(method: 'latency' | 'twamp', target: string, packets: string, interval: string) {
  await page.click('button[name="view-measure"]');
  await page.selectOption('select[name="method"]', method);
  await page.fill('input[name="target"]', target);
  await page.fill('input[name="packets"]', packets);
  await page.fill('input[name="packet-interval"]', interval);
  await page.click('button[name="start"]');
}

const attr = async (selector: string, name: string) => page.getAttribute(selector, name, { timeout: 2000 });

beforeAll(async () => {
  [owamp, light] = await Promise.all([startResponder('owamp'), startResponder('twamp-light')]);
  app = await openApp(dir.file('latency.sqlite'));
  page = app.page;
});

afterAll(async () => {
  await app?.close();
  await Promise.all([owamp?.stop(), light?.stop()]);
  dir.remove();
});

describe('one-way latency and round trip in Chromium', () => {
  it('the form offers both methods with their options, and refuses out-of-range values before any request', async () => {
    const labels = await page.locator('select[name="method"] option').allTextContents();
    expect(labels).toEqual(expect.arrayContaining(['One-way latency (OWAMP)', 'Round trip (TWAMP)']));
    await page.selectOption('select[name="method"]', 'latency');
    expect(await page.locator('select[name="direction"] option').evaluateAll((o) => o.map((x) => x.getAttribute('value')))).toEqual(['both', 'to', 'from']);
    expect(await page.locator('input[name="light"]').count()).toBe(0);
    await page.selectOption('select[name="method"]', 'twamp');
    expect(await page.locator('input[name="light"]').count()).toBe(1);
    expect(await page.locator('select[name="direction"]').count()).toBe(0);
    await page.fill('input[name="target"]', `127.0.0.1:${owamp.port}`);
    // The field's own bounds stop the form (the same bounds as the shared schema; toStartInput checks them again).
    await page.fill('input[name="padding"]', '70000');
    await page.click('button[name="start"]');
    expect(await page.locator('input[name="padding"]').evaluate((e) => (e as unknown as { validity: { rangeOverflow: boolean } }).validity.rangeOverflow)).toBe(true);
    await page.waitForTimeout(300);
    expect(await page.locator('.history li').count()).toBe(0);
    expect(await page.locator('.run-view.empty').count()).toBe(1);
    await page.fill('input[name="padding"]', '');
  });

  it('a latency run: packets arrive live, then both directions with 0 lost, figures and charts', async () => {
    await startFromForm('latency', `127.0.0.1:${owamp.port}`, '100', '0.02');
    await page.waitForSelector('.run-view[data-kind="latency"] [data-testid="live-packets"][data-session="from"]', { timeout: 20_000 });
    const received: number[] = [];
    let sentTo = 0;
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && (await page.locator('.run-view[data-kind="latency"][data-status="running"]').count()) > 0) {
      const from = await attr('[data-testid="live-packets"][data-session="from"]', 'data-received').catch(() => null);
      if (from !== null) received.push(Number(from));
      const to = await attr('[data-testid="live-packets"][data-session="to"]', 'data-sent').catch(() => null);
      if (to !== null) sentTo = Math.max(sentTo, Number(to));
      if (received.at(-1) === 50) await page.screenshot({ path: `${SHOTS}/latency-live.png` });
      await page.waitForTimeout(100);
    }
    // the live chart grew batch by batch, not all at once at the end
    expect(new Set(received.filter((n) => n > 0 && n < 100)).size).toBeGreaterThan(1);
    expect(sentTo).toBeGreaterThan(0);

    await page.waitForSelector('.run-view[data-kind="latency"][data-status="succeeded"] [data-testid="oneway-session"]', { timeout: 30_000 });
    const sessions = page.locator('[data-testid="oneway-session"]');
    expect(await sessions.evaluateAll((s) => s.map((e) => e.getAttribute('data-direction')))).toEqual(['to', 'from']);
    for (const direction of ['to', 'from']) {
      const session = page.locator(`[data-testid="oneway-session"][data-direction="${direction}"]`);
      const figures = session.locator('[data-testid="session-figures"]');
      expect(await figures.getAttribute('data-sent')).toBe('100');
      expect(await figures.getAttribute('data-lost')).toBe('0');
      expect(await session.locator('[data-testid="figure-lost"] .stat-value').textContent()).toBe('0 of 100');
      // 0 of 100 lost bounds the loss below 1 − 0.05^(1/100) = 2.95 %
      expect(await session.locator('[data-testid="loss-bound"]').textContent()).toMatch(/^0 of 100 lost: loss below 2\.95 %/);
      expect(await session.locator('[data-testid="unsync-note"]').textContent()).toBe(UNSYNC_NOTE);
      expect(await session.locator('[data-testid="figure-clock"] .stat-value').textContent()).toBe('unsynchronised');
      const median = /\/ ([\d.]+) ms$/.exec((await session.locator('[data-testid="figure-median"] .stat-value').textContent()) ?? '');
      expect(Number(median?.[1])).toBeGreaterThan(0);
      expect(Number(median?.[1])).toBeLessThan(50);
      const chart = session.locator('[data-testid="delay-chart"]');
      expect(await chart.getAttribute('data-live')).toBe('no');
      expect(await chart.getAttribute('data-points')).toBe('100');
      expect(await chart.getAttribute('data-lost')).toBe('0');
      expect(await session.locator('[data-testid="delay-histogram"]').getAttribute('data-total')).toBe('100');
      expect(Number(await session.locator('[data-testid="delay-histogram"]').getAttribute('data-bins'))).toBeGreaterThan(0);
      expect(await session.locator('[data-testid="delay-chart"] canvas').count()).toBeGreaterThan(0);
      // the points and the bars were really drawn, in the delay colour
      expect(await pixelsOf(`[data-testid="oneway-session"][data-direction="${direction}"] [data-testid="delay-chart"]`, DELAY_BLUE)).toBeGreaterThan(100);
      expect(await pixelsOf(`[data-testid="oneway-session"][data-direction="${direction}"] [data-testid="delay-histogram"]`, DELAY_BLUE)).toBeGreaterThan(100);
    }
    expect(await page.textContent('[data-testid="oneway-protocol"]')).toMatch(/^OWAMP, unauthenticated/);
    const row = page.locator('.history button[data-kind="latency"][data-status="succeeded"]').first();
    expect(await row.locator('.rate').textContent()).toMatch(/^→ [\d.]+ ms ← [\d.]+ ms \(unsync\)$/);
    await page.screenshot({ path: `${SHOTS}/latency-finished.png`, fullPage: true });
  });

  it('a TWAMP-Light round trip: one session, no clock caveat, and its RTT chart', async () => {
    await page.selectOption('select[name="method"]', 'twamp');
    await page.check('input[name="light"]');
    await startFromForm('twamp', `127.0.0.1:${light.port}`, '50', '0.02');
    await page.waitForSelector('.run-view[data-kind="twamp"][data-status="succeeded"] [data-testid="oneway-session"]', { timeout: 30_000 });
    expect(await page.locator('[data-testid="oneway-session"]').count()).toBe(1);
    const session = page.locator('[data-testid="oneway-session"][data-direction="round-trip"]');
    expect(await session.locator('[data-testid="session-figures"]').getAttribute('data-sent')).toBe('50');
    expect(await session.locator('[data-testid="session-figures"]').getAttribute('data-lost')).toBe('0');
    expect(await session.locator('[data-testid="loss-bound"]').textContent()).toMatch(/^0 of 50 lost: loss below 5\.82 %/);
    expect(await session.locator('[data-testid="unsync-note"]').count()).toBe(0);
    expect(await session.locator('[data-testid="figure-clock"] .stat-value').textContent()).toBe('unsynchronised (fine for RTT)');
    expect(await session.locator('[data-testid="delay-chart"]').getAttribute('data-points')).toBe('50');
    expect(await session.locator('[data-testid="delay-histogram"]').getAttribute('data-total')).toBe('50');
    expect(await pixelsOf('[data-testid="oneway-session"] [data-testid="delay-chart"]', DELAY_BLUE)).toBeGreaterThan(50);
    expect(await page.textContent('[data-testid="oneway-protocol"]')).toMatch(/^TWAMP-Light/);
    await page.screenshot({ path: `${SHOTS}/twamp-light-finished.png`, fullPage: true });
  });

  it('a latency run toward a closed port fails with a clear error, quickly', async () => {
    const port = await closedPort();
    const started = Date.now();
    await startFromForm('latency', `127.0.0.1:${port}`, '5', '0.1');
    await page.waitForSelector('.run-view[data-kind="latency"][data-status="failed"] [data-testid="run-error"]', { timeout: 20_000 });
    expect(Date.now() - started).toBeLessThan(15_000);
    const error = await page.textContent('[data-testid="run-error"]');
    expect(error).toMatch(/^CONNECTION_REFUSED: /);
    expect(error).toContain(`127.0.0.1:${port} was refused`);
    expect(await page.locator('[data-testid="oneway-session"]').count()).toBe(0);
    await page.screenshot({ path: `${SHOTS}/latency-refused.png`, fullPage: true });
  });

  it('the history filters by kind and names the protocol and the result of each run', async () => {
    await page.click('button[name="view-history"]');
    await page.selectOption('select[name="filter-kind"]', 'twamp');
    await expect.poll(() => page.locator('.runs-table tbody tr').count()).toBe(1);
    const twamp = page.locator('.runs-table tbody tr').first();
    expect(await twamp.locator('td[data-kind]').textContent()).toBe('round trip (TWAMP-Light)');
    expect(await twamp.locator('[data-testid="run-result"]').textContent()).toMatch(/^RTT [\d.]+ ms$/);
    await page.selectOption('select[name="filter-kind"]', 'latency');
    await expect.poll(() => page.locator('.runs-table tbody tr').count()).toBe(2);
    expect(await page.locator('.runs-table [data-testid="run-result"]').allTextContents()).toEqual(['CONNECTION_REFUSED', expect.stringMatching(/^→ [\d.]+ ms ← [\d.]+ ms \(unsync\)$/)]);
    expect(await page.locator('.runs-table td[data-kind]').allTextContents()).toEqual(['one-way latency (OWAMP)', 'one-way latency (OWAMP)']);
    await page.screenshot({ path: `${SHOTS}/latency-history.png`, fullPage: true });
  });
});
