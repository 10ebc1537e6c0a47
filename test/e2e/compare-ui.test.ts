import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openApp, SHOTS, type OpenApp } from '../helpers/app.ts';
import { Store } from '../../electron/core/store/index.ts';
import { seedThroughputRuns } from '../helpers/seed.ts';
import { storeDiagnosis } from '../helpers/seed-diagnosis.ts';
import { seedTraceRuns } from '../helpers/seed-trace.ts';
import { seedDelayRuns } from '../helpers/seed-latency.ts';
import { tempDir } from '../helpers/tmp.ts';

const dir = tempDir();
const t0 = Date.parse('2026-10-01T00:00:00Z');
const HOUR = 3_600_000;
let app: OpenApp;
let page: Page;
let runIds: number[];
let latencyIds: number[];
let traceIds: number[];

beforeAll(async () => {
  const db = dir.file('compare.sqlite');
  const runs = [
    // ps-a: 40 runs, the route changes at run 20 and throughput drops with it.
    ...Array.from({ length: 40 }, (_, i) => ({ host: 'ps-a.example.net', at: t0 + i * HOUR, bps: (i < 20 ? 900 : 400) * 1e6 + (i % 5) * 1e6, family: (i % 2 ? '6' : '4') as '4' | '6', intervals: i < 2 ? 10 : 0, tags: i < 5 ? ['before-tuning'] : i >= 35 ? ['after-tuning'] : [] })),
    ...Array.from({ length: 15 }, (_, i) => ({ host: 'ps-b.example.net', at: t0 + i * 2 * HOUR, bps: 600e6 + i * 1e6 })),
  ];
  runIds = seedThroughputRuns(db, runs);
  // Traces to ps-a every 4 h, as the trace method stores them: the route moves at 19.5 h, with the drop.
  traceIds = seedTraceRuns(db, Array.from({ length: 10 }, (_, i) => ({ host: 'ps-a.example.net', at: t0 + (3.5 + i * 4) * HOUR, fixture: i < 4 ? 'traceroute-udp-3hop' : 'traceroute-udp-route-b' })));
  // Two diagnoses of ps-a: the window caps it near 950 Mbit/s, then near 450 Mbit/s.
  const store = new Store(db);
  storeDiagnosis(store, 'ps-a.example.net', t0 + 6 * HOUR, 950e6);
  storeDiagnosis(store, 'ps-a.example.net', t0 + 22 * HOUR, 450e6);
  store.close();
  latencyIds = seedDelayRuns(db, [
    // One-way delay to two hosts (lat-b further away), and twamp runs with and without loss.
    ...Array.from({ length: 30 }, (_, i) => ({ kind: 'latency' as const, host: 'lat-a.example.net', at: t0 + i * HOUR, delayMs: 8 + (i % 4) * 0.5, fromDelayMs: 9, loseEvery: i === 7 ? 10 : 0 })),
    ...Array.from({ length: 20 }, (_, i) => ({ kind: 'latency' as const, host: 'lat-b.example.net', at: t0 + i * HOUR + 600_000, delayMs: 40 + (i % 3), fromDelayMs: 41 })),
    ...Array.from({ length: 12 }, (_, i) => ({ kind: 'twamp' as const, host: 'tw.example.net', at: t0 + i * HOUR, delayMs: 20, loseEvery: i < 6 ? 0 : 8 + i, tags: [i < 6 ? 'clean' : 'lossy'] })),
  ]);
  app = await openApp(db, { height: 950, acceptDownloads: true });
  page = app.page;
  await page.click('button[name="view-compare"]');
});

afterAll(async () => {
  await app?.close();
  dir.remove();
});

const chart = (attr: string) => page.getAttribute('[data-testid="compare-chart"]', attr);
let shown = 0;
async function show() {
  await page.click('button[name="compare-show"]');
  shown += 1;
  await page.waitForSelector(`[data-testid="compare-chart"][data-result-id="${shown}"]`);
  await expect.poll(() => chart('data-render-ms'), { timeout: 10_000 }).not.toBe('');
}

describe('compare views in Chromium on seeded history', () => {
  it('host vs host over time, with the route change marked and the expected ceiling drawn', async () => {
    await page.selectOption('select[name="compare-mode"]', 'timeline');
    await page.fill('input[name="compare-hosts"]', 'ps-a.example.net ps-b.example.net');
    await show();
    // Read back from the chart's own option: what ECharts holds, not what was asked for.
    expect(await chart('data-view')).toBe('timeline');
    expect(await chart('data-layout')).toBe('overlay');
    expect(await chart('data-series')).toBe('2');
    expect(await chart('data-points')).toBe('55');
    expect(await chart('data-markers')).toBe('1');
    expect(await chart('data-ceilings')).toBe('2');
    expect(await page.textContent('[data-testid="compare-summary"]')).toMatch(/1 route change/);
    await page.screenshot({ path: `${SHOTS}/compare-timeline.png` });
  });

  it('updates the same chart in place for a new result', async () => {
    const instance = await chart('_echarts_instance_');
    expect(instance).toBeTruthy();
    await page.fill('input[name="compare-hosts"]', 'ps-a.example.net');
    await show();
    expect(await chart('data-series')).toBe('1');
    expect(await chart('_echarts_instance_')).toBe(instance);
  });

  it('clicking the route mark opens the trace that saw it, clicking a point opens its run', async () => {
    const [x] = ((await chart('data-marker-px')) ?? '').split(',').map(Number);
    const box = await page.locator('[data-testid="compare-chart"]').boundingBox();
    if (!box || x === undefined) throw new Error('no chart');
    await page.mouse.click(box.x + x, box.y + box.height * 0.4);
    await page.waitForSelector(`.run-view[data-run-id="${traceIds[4]}"]`);
    await page.click('button[name="view-compare"]');
    await expect.poll(() => chart('data-point-px'), { timeout: 10_000 }).toMatch(/^\d+,\d+ \d+$/);
    const [at, runId] = ((await chart('data-point-px')) ?? '').split(' ');
    const [px, py] = (at ?? '').split(',').map(Number);
    await page.mouse.click(box.x + (px ?? 0), box.y + (py ?? 0));
    await page.waitForSelector(`.run-view[data-run-id="${runId}"]`);
    expect(runIds).toContain(Number(runId));
    await page.click('button[name="view-compare"]');
  });

  it('host vs host side by side: one grid each, exported as CSV and PNG', async () => {
    await page.fill('input[name="compare-hosts"]', 'ps-a.example.net ps-b.example.net');
    await page.selectOption('select[name="compare-chart"]', 'side-by-side');
    await show();
    expect(await chart('data-layout')).toBe('side-by-side');
    expect(await chart('data-grids')).toBe('2');
    expect(await chart('data-series')).toBe('2');
    expect(await chart('data-points')).toBe('55');
    expect(await chart('data-markers')).toBe('1');
    const [csv] = await Promise.all([page.waitForEvent('download'), page.click('button[name="export-csv"]')]);
    const text = readFileSync((await csv.path()) ?? '', 'utf8');
    expect(text.split('\r\n')[0]).toBe('series,time_iso,throughput_bit/s,run_id');
    expect(text.split('\r\n').filter((l) => l.startsWith('ps-b.example.net,'))).toHaveLength(15);
    const [png] = await Promise.all([page.waitForEvent('download'), page.click('button[name="export-png"]')]);
    expect(readFileSync((await png.path()) ?? '').subarray(1, 4).toString()).toBe('PNG');
    await page.screenshot({ path: `${SHOTS}/compare-side-by-side.png` });
    await page.selectOption('select[name="compare-chart"]', 'chart');
  });

  it('run vs run overlays the stored intervals', async () => {
    await page.selectOption('select[name="compare-mode"]', 'runs');
    await page.fill('input[name="compare-runs"]', `${runIds[0]} ${runIds[1]}`);
    await show();
    expect(await chart('data-series')).toBe('2');
    expect(await chart('data-points')).toBe('20');
    await page.screenshot({ path: `${SHOTS}/compare-runs.png` });
    await page.selectOption('select[name="compare-chart"]', 'side-by-side');
    await page.waitForSelector('[data-testid="compare-chart"][data-layout="side-by-side"]');
    expect(await chart('data-grids')).toBe('2');
    expect(await chart('data-points')).toBe('20');
    await page.screenshot({ path: `${SHOTS}/compare-runs-side-by-side.png` });
    await page.selectOption('select[name="compare-chart"]', 'chart');
  });

  it('before/after says the drop is beyond noise', async () => {
    await page.selectOption('select[name="compare-mode"]', 'before-after');
    await page.fill('input[name="compare-hosts"]', 'ps-a.example.net');
    await page.fill('input[name="compare-at"]', new Date(t0 + 20 * HOUR).toISOString().slice(0, 16));
    await show();
    expect(await chart('data-groups')).toBe('2');
    expect(await page.getAttribute('[data-testid="compare-difference"]', 'data-beyond-noise')).toBe('yes');
    expect(await page.locator('tr[data-group="before"] td').nth(1).textContent()).toBe('20');
    await page.screenshot({ path: `${SHOTS}/compare-before-after.png` });
  });

  it('IPv4 vs IPv6 to the same host', async () => {
    await page.selectOption('select[name="compare-mode"]', 'families');
    await page.fill('input[name="compare-hosts"]', 'ps-a.example.net');
    await show();
    expect(await page.locator('tr[data-group="IPv4"] td').nth(1).textContent()).toBe('20');
    expect(await page.locator('tr[data-group="IPv6"] td').nth(1).textContent()).toBe('20');
    expect(await page.getAttribute('[data-testid="compare-difference"]', 'data-beyond-noise')).toBe('no');
    expect(await chart('data-points')).toBe('40');
    // Each group row links to its runs.
    const median = await page.getAttribute('tr[data-group="IPv6"] button[data-which="median"]', 'data-run-id');
    expect(runIds.slice(0, 40)).toContain(Number(median));
    await page.screenshot({ path: `${SHOTS}/compare-families.png` });
    await page.click('tr[data-group="IPv6"] button[data-which="median"]');
    await page.waitForSelector(`.run-view[data-run-id="${median}"]`);
    await page.click('button[name="view-compare"]');
  });

  it('tagged groups, exported as CSV and PNG', async () => {
    await page.selectOption('select[name="compare-mode"]', 'tags');
    await page.fill('input[name="compare-tags"]', 'before-tuning after-tuning');
    await show();
    expect(await chart('data-points')).toBe('10');
    const [csv] = await Promise.all([page.waitForEvent('download'), page.click('button[name="export-csv"]')]);
    const text = readFileSync((await csv.path()) ?? '', 'utf8');
    expect(text.split('\r\n')[0]).toBe('group,throughput_bit/s,run_id');
    expect(text.split('\r\n').filter((l) => l.startsWith('after-tuning,'))).toHaveLength(5);
    const [png] = await Promise.all([page.waitForEvent('download'), page.click('button[name="export-png"]')]);
    const bytes = readFileSync((await png.path()) ?? '');
    expect(bytes.subarray(1, 4).toString()).toBe('PNG');
    await page.screenshot({ path: `${SHOTS}/compare-tags.png` });
  });

  it('one-way delay over time, host vs host, as lines and as a histogram', async () => {
    await page.selectOption('select[name="compare-mode"]', 'timeline');
    await page.selectOption('select[name="compare-kind"]', 'latency');
    const offered = await page.locator('select[name="compare-metric"] option').evaluateAll((options) => options.map((o) => o.getAttribute('value')));
    expect(offered).toEqual(['delayTo', 'delayFrom', 'jitterTo', 'jitterFrom', 'lossTo', 'lossFrom']);
    expect(await page.inputValue('select[name="compare-metric"]')).toBe('delayTo');
    await page.fill('input[name="compare-hosts"]', 'lat-a.example.net lat-b.example.net');
    await page.fill('input[name="compare-since"]', '');
    await show();
    expect(await chart('data-view')).toBe('timeline');
    expect(await chart('data-metric')).toBe('delayTo');
    expect(await chart('data-chart')).toBe('lines');
    expect(await chart('data-series')).toBe('2');
    expect(await chart('data-points')).toBe('50');
    expect(await page.textContent('[data-testid="compare-summary"]')).toMatch(/lat-a\.example\.net: 30 point\(s\) · lat-b\.example\.net: 20 point\(s\)/);
    await page.screenshot({ path: `${SHOTS}/compare-latency-timeline.png` });
    await page.selectOption('select[name="compare-chart"]', 'histogram');
    await page.waitForSelector('[data-testid="compare-chart"][data-chart="histogram"]');
    await expect.poll(() => chart('data-render-ms'), { timeout: 10_000 }).not.toBe('');
    expect(Number(await chart('data-bins'))).toBeGreaterThan(5);
    await page.screenshot({ path: `${SHOTS}/compare-latency-histogram.png` });
    await page.selectOption('select[name="compare-chart"]', 'chart');
  });

  it('run vs run of latency runs draws each run\'s received packets', async () => {
    await page.selectOption('select[name="compare-mode"]', 'runs');
    await page.fill('input[name="compare-runs"]', `${latencyIds[6]} ${latencyIds[7]}`);
    await show();
    expect(await chart('data-metric')).toBe('delayTo');
    expect(await chart('data-series')).toBe('2');
    // 50 packets each; run 8 lost every tenth of its "to" packets.
    expect(await chart('data-points')).toBe('95');
    await page.screenshot({ path: `${SHOTS}/compare-latency-runs.png` });
  });

  it('loss of clean vs lossy twamp runs: groups, difference and CSV', async () => {
    await page.selectOption('select[name="compare-mode"]', 'tags');
    await page.selectOption('select[name="compare-kind"]', 'twamp');
    await page.selectOption('select[name="compare-metric"]', 'loss');
    await page.fill('input[name="compare-tags"]', 'clean lossy');
    await show();
    expect(await chart('data-view')).toBe('groups');
    expect(await chart('data-chart')).toBe('boxplot');
    expect(await chart('data-metric')).toBe('loss');
    expect(await chart('data-groups')).toBe('2');
    expect(await chart('data-points')).toBe('12');
    expect(await page.locator('tr[data-group="clean"] td').nth(2).textContent()).toBe('0 %');
    expect(await page.locator('tr[data-group="lossy"] td').nth(1).textContent()).toBe('6');
    expect(await page.getAttribute('[data-testid="compare-difference"]', 'data-beyond-noise')).toBe('yes');
    const [csv] = await Promise.all([page.waitForEvent('download'), page.click('button[name="export-csv"]')]);
    const text = readFileSync((await csv.path()) ?? '', 'utf8');
    expect(text.split('\r\n')[0]).toBe('group,loss_%,run_id');
    expect(text.split('\r\n').filter((l) => l.startsWith('lossy,'))).toHaveLength(6);
    await page.screenshot({ path: `${SHOTS}/compare-loss-groups.png` });
  });

  it('an incomplete form says what is missing', async () => {
    await page.selectOption('select[name="compare-mode"]', 'runs');
    await page.fill('input[name="compare-runs"]', 'abc');
    await page.click('button[name="compare-show"]');
    await expect.poll(() => page.textContent('.compare-view [role="alert"]')).toMatch(/run ids/);
  });
});
