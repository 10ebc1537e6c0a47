import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openApp, SHOTS, type OpenApp } from '../helpers/app.ts';
import { startIperf3Server, type Iperf3Server } from '../helpers/iperf3-server.ts';
import { processesMatching } from '../helpers/psw.ts';
import { tempDir } from '../helpers/tmp.ts';

const dir = tempDir();
let app: OpenApp;
let iperf: Iperf3Server;
let page: Page;

beforeAll(async () => {
  iperf = await startIperf3Server();
  app = await openApp(dir.file('e2e.sqlite'));
  page = app.page;
});

afterAll(async () => {
  await app?.close();
  await iperf?.stop();
  dir.remove();
});

const points = async () => Number(await page.getAttribute('[data-testid="throughput-chart"]', 'data-points'));

describe('the renderer in Chromium against psw serve', () => {
  it('loads through the token redirect with the bridge transport', async () => {
    expect(new URL(page.url()).search).toBe('');
    expect(await page.getAttribute('[data-app-state]', 'data-transport')).toBe('bridge');
    expect(await page.textContent('.history')).toContain('No runs yet');
  });

  it('refuses a hostile target in the form without starting anything', async () => {
    await page.fill('input[name="target"]', '--logfile=/tmp/x');
    await page.click('button[name="start"]');
    await expect.poll(() => page.textContent('.run-form [role="alert"]')).toMatch(/option/);
    expect(await page.locator('.history li').count()).toBe(0);
  });

  it('starts a run and the live chart grows while it runs', async () => {
    await page.fill('input[name="target"]', `127.0.0.1:${iperf.port}`);
    await page.fill('input[name="duration"]', '5');
    await page.click('button[name="start"]');
    await page.waitForSelector('[data-testid="throughput-chart"][data-live="yes"]', { timeout: 10_000 });
    const seen: number[] = [];
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const live = await page.locator('[data-testid="throughput-chart"][data-live="yes"]').count();
      if (live === 0) break;
      seen.push(await points());
      if (seen.at(-1) === 2) await page.screenshot({ path: `${SHOTS}/live-run.png` });
      await page.waitForTimeout(250);
    }
    const growth = [...new Set(seen)].sort((a, b) => a - b);
    expect(growth.length).toBeGreaterThanOrEqual(2);
    expect(growth.at(-1)).toBeGreaterThan(growth[0] ?? 0);
    await page.waitForSelector('.run-view[data-status="succeeded"] [data-testid="throughput-chart"]', { timeout: 15_000 });
    expect(await points()).toBe(5);
    expect(await page.textContent('[data-testid="run-summary"]')).toMatch(/bit\/s/);
    await page.screenshot({ path: `${SHOTS}/finished-run.png` });
  });

  it('cancels a running run and no iperf3 client is left', async () => {
    await page.fill('input[name="duration"]', '60');
    await page.click('button[name="start"]');
    await page.waitForSelector('.run-view[data-status="running"]', { timeout: 10_000 });
    await page.click('button[name="cancel"]');
    await page.waitForSelector('.run-view[data-status="cancelled"]', { timeout: 15_000 });
    expect(await processesMatching(`--client 127.0.0.1 --port ${iperf.port}`)).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/cancelled-run.png` });
  });

  it('reopens a stored run from the history with the same chart drawn from stored data', async () => {
    const first = page.locator('.history button[data-status="succeeded"]').last();
    await first.click();
    await page.waitForSelector('.run-view[data-status="succeeded"] [data-testid="throughput-chart"][data-live="no"]');
    expect(await points()).toBe(5);
    const canvas = page.locator('[data-testid="throughput-chart"] canvas');
    expect(await canvas.count()).toBeGreaterThan(0);
    await page.screenshot({ path: `${SHOTS}/reopened-run.png` });
  });
});
