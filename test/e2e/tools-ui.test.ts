import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser.ts';
import { startPswServe, type ServeProcess } from '../helpers/serve.ts';
import { tempDir } from '../helpers/tmp.ts';

/** The Tools screen in Chromium against `psw serve`: a path set per tool is checked by the core and then used. */

const SHOTS = 'test-results/e2e';
const dir = tempDir('psw-tools-ui-');
const mine = dir.file('my-iperf3');
let serve: ServeProcess;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  writeFileSync(mine, '#!/bin/sh\necho "iperf 3.99.1 (cJSON 1.7.15)"\n');
  chmodSync(mine, 0o755);
  writeFileSync(dir.file('not-executable'), 'text');
  serve = await startPswServe(dir.file('tools.sqlite'));
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(serve.url);
  await page.waitForSelector('[data-app-state="ready"]');
  await page.click('button[name="view-tools"]');
});

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  dir.remove();
});

describe('Tools screen', () => {
  it('refuses a path that is not an executable file, uses one that is, and clears it again', async () => {
    const row = page.locator('tr[data-tool="iperf3"]');
    await row.locator('input[name="tool-path-iperf3"]').waitFor();
    const before = await row.getAttribute('data-source');

    await row.locator('input[name="tool-path-iperf3"]').fill(dir.file('not-executable'));
    await row.locator('button[name="tool-path-save-iperf3"]').click();
    await expect.poll(() => row.locator('[role="alert"]').textContent()).toMatch(/not executable/);
    expect(await row.getAttribute('data-source')).toBe(before);

    await row.locator('input[name="tool-path-iperf3"]').fill(mine);
    await row.locator('button[name="tool-path-save-iperf3"]').click();
    await page.waitForSelector('tr[data-tool="iperf3"][data-source="configured"]');
    expect(await row.locator('td').nth(1).textContent()).toBe('3.99.1');
    expect(await row.locator('td').nth(2).textContent()).toBe(`${mine} (configured)`);
    await page.screenshot({ path: `${SHOTS}/tools-configured-path.png`, fullPage: true });

    await row.locator('button[name="tool-path-clear-iperf3"]').click();
    await page.waitForSelector(`tr[data-tool="iperf3"][data-source="${before}"]`);
    expect(await row.locator('input[name="tool-path-iperf3"]').inputValue()).toBe('');
  });
});
