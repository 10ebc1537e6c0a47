import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { Store } from '../../electron/core/store/index.ts';
import { openApp, SHOTS, type OpenApp } from '../helpers/app.ts';
import { tempDir } from '../helpers/tmp.ts';

const dir = tempDir();
let app: OpenApp;
let page: Page;

beforeAll(async () => {
  const db = dir.file('history.sqlite');
  const store = new Store(db);
  const now = Date.now();
  for (let i = 0; i < 12; i += 1) {
    const id = store.runs.create({ kind: 'throughput', host: i % 3 === 0 ? 'ps-b.example.net' : 'ps-a.example.net', port: 5201, family: 'any', options: {}, now: now - (12 - i) * 60_000 });
    const summary = { protocol: 'tcp', reverse: false, streams: 1, seconds: 10, sentBitsPerSecond: (400 + i * 10) * 1e6, receivedBitsPerSecond: (400 + i * 10) * 1e6 };
    store.runs.finish(id, { status: i === 5 ? 'failed' : 'succeeded', error: i === 5 ? { code: 'TIMEOUT', message: 'slow' } : null, summary, stdout: '{}', stderr: '', now: now - (12 - i) * 60_000 + 10_000, family: i % 2 ? '6' : '4' });
  }
  store.close();
  app = await openApp(db);
  page = app.page;
  page.on('dialog', (d) => void d.accept());
});

afterAll(async () => {
  await app?.close();
  dir.remove();
});

const rows = () => page.locator('.runs-table tbody tr').count();

describe('history, host check and tools screens', () => {
  it('lists stored runs and filters them by family and status', async () => {
    await page.click('button[name="view-history"]');
    await expect.poll(rows).toBe(12);
    await page.selectOption('select[name="filter-family"]', '6');
    await expect.poll(rows).toBe(6);
    await page.selectOption('select[name="filter-family"]', '');
    await page.selectOption('select[name="filter-status"]', 'failed');
    await expect.poll(rows).toBe(1);
    await page.selectOption('select[name="filter-status"]', '');
    await page.fill('input[name="filter-host"]', 'ps-b.example.net');
    await expect.poll(rows).toBe(4);
    await page.fill('input[name="filter-host"]', '');
    await expect.poll(rows).toBe(12);
  });

  it('tags selected runs and deletes runs', async () => {
    const ids = await page.locator('.runs-table tbody tr').evaluateAll((trs) => trs.slice(0, 3).map((tr) => Number(tr.getAttribute('data-run-id'))));
    for (const id of ids.slice(0, 2)) await page.check(`tr[data-run-id="${id}"] input[type="checkbox"]`);
    await page.fill('input[name="tag"]', 'before-tuning');
    await page.click('button[name="tag-selected"]');
    await page.fill('input[name="filter-tag"]', 'before-tuning');
    await expect.poll(rows).toBe(2);
    await page.screenshot({ path: `${SHOTS}/history-tagged.png` });
    await page.fill('input[name="filter-tag"]', '');
    await expect.poll(rows).toBe(12);
    await page.click('button[name="delete-selected"]');
    await expect.poll(rows).toBe(10);
    expect(await page.locator(`tr[data-run-id="${ids[0]}"]`).count()).toBe(0);
  });

  it('opens a run from the history in the measure view', async () => {
    const id = await page.locator('.runs-table tbody tr').first().getAttribute('data-run-id');
    await page.click(`tr[data-run-id="${id}"] button.link`);
    await page.waitForSelector(`.run-view[data-run-id="${id}"][data-status]`);
  });

  it('runs the host check and shows findings with fixes', async () => {
    await page.click('button[name="view-selfcheck"]');
    await page.fill('input[name="rtt"]', '150');
    await page.fill('input[name="rate"]', '10G');
    await page.click('button[name="run-selfcheck"]');
    await page.waitForSelector('[data-testid="selfcheck-report"]');
    expect(await page.getAttribute('[data-finding="tcp-receive-buffer"]', 'data-severity')).toBe('problem');
    await page.screenshot({ path: `${SHOTS}/host-check.png` });
  });

  it('lists the external tools with versions', async () => {
    await page.click('button[name="view-tools"]');
    await page.waitForSelector('tr[data-tool="iperf3"]');
    expect(await page.getAttribute('tr[data-tool="iperf3"]', 'data-found')).toBe('yes');
    expect(await page.textContent('tr[data-tool="iperf3"]')).toMatch(/3\.\d+/);
  });
});
