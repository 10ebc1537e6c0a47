import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser.ts';
import { startPswServe, type ServeProcess } from './serve.ts';

export const SHOTS = 'test-results/e2e';

export interface OpenApp {
  serve: ServeProcess;
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

/** `psw serve` on a database file, Chromium on its URL, the app ready. */
export async function openApp(db: string, options: { width?: number; height?: number; acceptDownloads?: boolean } = {}): Promise<OpenApp> {
  mkdirSync(SHOTS, { recursive: true });
  const serve = await startPswServe(db);
  const browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: options.width ?? 1400, height: options.height ?? 900 }, acceptDownloads: options.acceptDownloads ?? false });
  const page = await context.newPage();
  await page.goto(serve.url);
  await page.waitForSelector('[data-app-state="ready"]');
  return {
    serve,
    browser,
    page,
    close: async () => {
      await browser.close();
      await serve.stop();
    },
  };
}
