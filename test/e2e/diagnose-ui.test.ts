import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openApp, SHOTS, type OpenApp } from '../helpers/app.ts';
import { startIperf3Server, type Iperf3Server } from '../helpers/iperf3-server.ts';
import { tempDir } from '../helpers/tmp.ts';

const dir = tempDir();
let app: OpenApp;
let iperf: Iperf3Server;
let page: Page;

beforeAll(async () => {
  iperf = await startIperf3Server();
  app = await openApp(dir.file('diagnose.sqlite'), { height: 1000 });
  page = app.page;
  await page.click('button[name="view-diagnose"]');
});

afterAll(async () => {
  await app?.close();
  await iperf?.stop();
  dir.remove();
});

describe('the Diagnose screen', () => {
  it('refuses a hostile target before starting', async () => {
    await page.fill('input[name="diagnose-target"]', '-ofoo');
    await page.click('button[name="diagnose-start"]');
    await expect.poll(() => page.textContent('.diagnose [role="alert"]')).toMatch(/option/);
  });

  it('one button: live progress, then a verdict with its evidence and next steps', async () => {
    await page.fill('input[name="diagnose-target"]', `127.0.0.1:${iperf.port}`);
    await page.selectOption('select[name="diagnose-depth"]', 'quick');
    await page.click('button[name="diagnose-start"]');
    await page.waitForSelector('[data-testid="diagnosis-progress"]');
    await expect.poll(() => page.textContent('[data-testid="diagnosis-progress"]'), { timeout: 10_000 }).toMatch(/Step \d+ of 7/);
    await page.waitForSelector('[data-testid="verdict"]', { timeout: 60_000 });
    expect(await page.getAttribute('[data-testid="verdict"]', 'data-class')).toBe('healthy');
    expect(await page.getAttribute('[data-rule="throughput-meets-target"]', 'data-fired')).toBe('yes');
    expect(await page.locator('.next-steps li').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-ceiling="measured"]').count()).toBe(1);
    await page.screenshot({ path: `${SHOTS}/diagnose-verdict.png`, fullPage: true });
  });

  it('re-derives from stored runs and links evidence to its runs', async () => {
    await page.click('button[name="rederive"]');
    await page.waitForSelector('[data-testid="verdict"][data-class="healthy"]');
    expect(await page.locator('.history button[data-diagnosis-id]').count()).toBe(1);
    await page.locator('[data-rule="throughput-meets-target"] button.link').first().click();
    await page.waitForSelector('.run-view[data-status="succeeded"]');
  });
});
