import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser.ts';
import { startIperf3Server, type Iperf3Server } from '../helpers/iperf3-server.ts';
import { startPswServe, type ServeProcess } from '../helpers/serve.ts';
import { tempDir } from '../helpers/tmp.ts';

const SHOTS = 'test-results/e2e';
const dir = tempDir();
let serve: ServeProcess;
let iperf: Iperf3Server;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  iperf = await startIperf3Server();
  serve = await startPswServe(dir.file('diagnose.sqlite'));
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await page.goto(serve.url);
  await page.waitForSelector('[data-app-state="ready"]');
  await page.click('button[name="view-diagnose"]');
});

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
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
    await expect.poll(() => page.textContent('[data-testid="diagnosis-progress"]'), { timeout: 10_000 }).toMatch(/Step 1 of 3/);
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
