import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { Store } from '../../electron/core/store/index.ts';
import { openApp, SHOTS, type OpenApp } from '../helpers/app.ts';
import { throughputSummary } from '../helpers/seed.ts';
import { tempDir } from '../helpers/tmp.ts';

const dir = tempDir();
let app: OpenApp;
let page: Page;

const DAY = 86_400_000;
const FINGERPRINT = 'a1b2c3d4e5f60718';
const OLD_RUNS = 250;
/** A local calendar day as the date input takes it (yyyy-mm-dd), `daysAgo` days back. */
const dayInput = (daysAgo: number) => {
  const d = new Date(Date.now() - daysAgo * DAY);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

beforeAll(async () => {
  const db = dir.file('history.sqlite');
  const store = new Store(db);
  const now = Date.now();
  // A month-old backlog of traces, more than one page of the history.
  for (let i = 0; i < OLD_RUNS; i += 1) {
    const at = now - 30 * DAY + i * 1000;
    const id = store.runs.create({ kind: 'trace', host: 'ps-old.example.net', port: null, family: 'any', options: {}, now: at });
    store.runs.finish(id, { status: 'succeeded', error: null, summary: null, stdout: '', stderr: '', now: at + 500, family: '4', pathFingerprint: 'ffff0000ffff0000' });
  }
  for (let i = 0; i < 12; i += 1) {
    const id = store.runs.create({ kind: 'throughput', host: i % 3 === 0 ? 'ps-b.example.net' : 'ps-a.example.net', port: 5201, family: 'any', options: {}, now: now - (12 - i) * 60_000 });
    const summary = throughputSummary((400 + i * 10) * 1e6);
    store.runs.finish(id, { status: i === 5 ? 'failed' : 'succeeded', error: i === 5 ? { code: 'TIMEOUT', message: 'slow' } : null, summary, stdout: '{}', stderr: '', now: now - (12 - i) * 60_000 + 10_000, family: i % 2 ? '6' : '4', pathFingerprint: i % 4 === 0 ? FINGERPRINT : null });
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
const kinds = (kind: string) => page.locator(`.runs-table td[data-kind="${kind}"]`).count();
const loadMore = () => page.locator('button[name="load-more"]').count();

describe('history, host check and tools screens', () => {
  it('shows a page of runs and loads older ones on demand', async () => {
    await page.click('button[name="view-history"]');
    await expect.poll(rows).toBe(200);
    expect(await loadMore()).toBe(1);
    await page.click('button[name="load-more"]');
    await expect.poll(rows).toBe(12 + OLD_RUNS);
    expect(await loadMore()).toBe(0);
    const shown = await page.locator('.runs-table tbody tr').evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-run-id'))));
    expect(new Set(shown).size).toBe(shown.length);
    expect(shown).toEqual([...shown].sort((a, b) => b - a));
  });

  it('filters by method and by a time range of whole days', async () => {
    await page.selectOption('select[name="filter-kind"]', 'throughput');
    await expect.poll(rows).toBe(12);
    expect(await loadMore()).toBe(0);
    await page.selectOption('select[name="filter-kind"]', 'trace');
    await expect.poll(rows).toBe(200);
    await page.selectOption('select[name="filter-kind"]', '');
    await page.fill('input[name="filter-since"]', dayInput(2));
    await expect.poll(rows).toBe(12);
    await page.fill('input[name="filter-until"]', dayInput(5));
    await expect.poll(rows).toBe(0);
    await page.fill('input[name="filter-since"]', '');
    await expect.poll(rows).toBe(200);
    expect(await kinds('throughput')).toBe(0);
    await page.fill('input[name="filter-until"]', '');
    await expect.poll(() => kinds('throughput')).toBe(12);
  });

  it('filters by family, status, target and path fingerprint', async () => {
    await page.selectOption('select[name="filter-family"]', '6');
    await expect.poll(rows).toBe(6);
    await page.selectOption('select[name="filter-family"]', '');
    await page.selectOption('select[name="filter-status"]', 'failed');
    await expect.poll(rows).toBe(1);
    expect(await page.locator('select[name="filter-status"] option[value="queued"]').count()).toBe(1);
    await page.selectOption('select[name="filter-status"]', '');
    await page.fill('input[name="filter-host"]', 'ps-b.example.net');
    await expect.poll(rows).toBe(4);
    await page.fill('input[name="filter-host"]', '');
    await page.fill('input[name="filter-fingerprint"]', FINGERPRINT);
    await expect.poll(rows).toBe(3);
    await page.fill('input[name="filter-fingerprint"]', '');
    await expect.poll(rows).toBe(200);
    // Each run's path links to every run over the same path.
    await page.locator('.runs-table tbody tr', { has: page.locator('td[data-kind="throughput"]') }).locator('button[name="filter-by-path"]').first().click();
    await expect.poll(rows).toBe(3);
    expect(await page.inputValue('input[name="filter-fingerprint"]')).toBe(FINGERPRINT);
    await page.fill('input[name="filter-fingerprint"]', '');
  });

  it('tags selected runs, removes tags again and deletes runs', async () => {
    await page.selectOption('select[name="filter-kind"]', 'throughput');
    await expect.poll(rows).toBe(12);
    const ids = await page.locator('.runs-table tbody tr').evaluateAll((trs) => trs.slice(0, 3).map((tr) => Number(tr.getAttribute('data-run-id'))));
    for (const id of ids.slice(0, 2)) await page.check(`tr[data-run-id="${id}"] input[type="checkbox"]`);
    await page.fill('input[name="tag"]', 'before-tuning');
    await page.click('button[name="tag-selected"]');
    await page.fill('input[name="filter-tag"]', 'before-tuning');
    await expect.poll(rows).toBe(2);
    await page.screenshot({ path: `${SHOTS}/history-tagged.png` });
    await page.click(`tr[data-run-id="${ids[0]}"] .tag[data-tag="before-tuning"] button[name="remove-tag"]`);
    await expect.poll(rows).toBe(1);
    expect(await page.locator(`tr[data-run-id="${ids[1]}"]`).count()).toBe(1);
    await page.fill('input[name="tag"]', 'before-tuning');
    await page.click('button[name="untag-selected"]');
    await expect.poll(rows).toBe(0);
    await page.fill('input[name="filter-tag"]', '');
    await expect.poll(rows).toBe(12);
    expect(await page.locator('.runs-table .tag').count()).toBe(0);
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
