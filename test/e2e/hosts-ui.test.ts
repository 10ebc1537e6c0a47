import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { searchHosts } from '../../electron/core/discovery/index.ts';
import { Store } from '../../electron/core/store/index.ts';
import type { HostQueryInput, HostView } from '../../electron/shared/hosts.ts';
import { linkedReferenceSet } from '../doubles/lookup-service/fixtures.ts';
import { generateRecords } from '../doubles/lookup-service/generate.ts';
import { hostileCases } from '../doubles/lookup-service/hostile.ts';
import { startLookupServiceDouble, type LookupServiceDouble } from '../doubles/lookup-service/server.ts';
import { launchChromium } from '../helpers/browser.ts';
import { startPswServe, type ServeProcess } from '../helpers/serve.ts';
import { tempDir } from '../helpers/tmp.ts';

/*
 * The host browser in Chromium against `psw serve`, its Lookup Services set in the settings to a
 * local double (ES `_search`, real record shapes, generated sites, hostile records) and to a records
 * URL nobody listens on. Never the internet. What the screen shows is checked against the core's own
 * answer for the same records.
 */

const SHOTS = 'test-results/e2e';
const dir = tempDir();
const GENEVA = { latitude: 46.2044, longitude: 6.1432 };
let double: LookupServiceDouble;
let deadUrl: string;
let serve: ServeProcess;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  const now = Date.now();
  double = await startLookupServiceDouble({ records: [...linkedReferenceSet(now), ...generateRecords({ records: 400, now, seed: 7 }), ...hostileCases(now).map((c) => c.record)] });
  const gone = await startLookupServiceDouble();
  deadUrl = gone.recordsUrl;
  await gone.close();
  const db = dir.file('hosts.sqlite');
  const store = new Store(db);
  store.settings.update({ lsSources: [double.searchUrl, deadUrl] }, now);
  store.close();
  serve = await startPswServe(db);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  await page.goto(serve.url);
  await page.waitForSelector('[data-app-state="ready"]');
  await page.click('button[name="view-hosts"]');
});

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  await double?.close().catch(() => {});
  dir.remove();
});

/** The core's answer for the same records: what the screen must show. */
async function expected(query: HostQueryInput = {}): Promise<HostView[]> {
  return (await searchHosts({ limit: 500, ...query }, { sources: [double.searchUrl], cache: null })).hosts;
}

const resultId = async () => Number(await page.getAttribute('.hosts-list', 'data-result-id'));
/** Waits for an answer newer than `after` to be on screen. */
async function answerAfter(after: number): Promise<void> {
  await expect.poll(async () => (await resultId()) > after && (await page.getAttribute('.hosts-list', 'data-loading')) === 'no', { timeout: 20_000 }).toBe(true);
}
const rowTargets = () => page.locator('[data-testid="hosts-table"] tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-target')));
const rowCount = () => page.locator('[data-testid="hosts-table"] tbody tr').count();
const source = (url: string) => page.locator(`[data-testid="hosts-sources"] li[data-source-url="${url}"]`);

describe('host browser in Chromium against a Lookup Service double', () => {
  it('lists the joined hosts, and says which source answered, which failed and what was dropped', async () => {
    await answerAfter(0);
    const hosts = await expected();
    expect(hosts.length).toBeGreaterThan(30);
    expect((await rowTargets()).sort()).toEqual(hosts.map((h) => h.target).sort());
    expect(await source(double.searchUrl).getAttribute('data-state')).toBe('answered');
    expect(await source(deadUrl).getAttribute('data-state')).toBe('failed');
    expect(await source(deadUrl).locator('[data-testid="source-error"]').textContent()).toMatch(/\S/);
    expect(Number(await page.getAttribute('[data-testid="hosts-dropped"]', 'data-dropped'))).toBeGreaterThan(10);
    expect(await page.textContent('[data-testid="hosts-headline"]')).toMatch(new RegExp(`^${hosts.length} host\\(s\\) · live from 1 of 2 Lookup Service\\(s\\) · 1 failed`));
    // The reference pScheduler host (Macau) with its badges, capacity and toolkit version.
    const macau = page.locator('tr[data-target="116.193.10.38"]');
    expect(await macau.locator('.svc').allTextContents()).toEqual(['pscheduler']);
    expect(await macau.textContent()).toMatch(/Macau S\.A\.R\., MO.*1\.00 Gbit\/s.*3\.5\.1\.7.*expires in/);
    expect(Number(await page.getAttribute('[data-testid="hosts-cache"]', 'data-records'))).toBeGreaterThan(0);
    await page.screenshot({ path: `${SHOTS}/hosts-browser.png` });
  });

  it('searches free text and filters by service type and country', async () => {
    let id = await resultId();
    await page.fill('input[name="hosts-text"]', 'geneva');
    await answerAfter(id);
    const geneva = await expected({ text: 'geneva' });
    expect(geneva.length).toBeGreaterThan(0);
    expect((await rowTargets()).sort()).toEqual(geneva.map((h) => h.target).sort());
    for (const place of await page.locator('[data-testid="hosts-table"] [data-field="place"]').allTextContents()) expect(place).toMatch(/Geneva/);

    id = await resultId();
    await page.fill('input[name="hosts-text"]', '');
    await answerAfter(id);
    id = await resultId();
    await page.click('button[name="type-bwctl"]');
    await answerAfter(id);
    const bwctl = await expected({ serviceTypes: ['bwctl'] });
    expect(bwctl.length).toBeGreaterThan(0);
    expect((await rowTargets()).sort()).toEqual(bwctl.map((h) => h.target).sort());
    for (const row of await page.locator('[data-testid="hosts-table"] tbody tr').all()) expect(await row.locator('.svc').allTextContents()).toContain('bwctl');
    await page.screenshot({ path: `${SHOTS}/hosts-filter-bwctl.png` });

    id = await resultId();
    await page.click('button[name="type-bwctl"]');
    await answerAfter(id);
    id = await resultId();
    await page.fill('input[name="hosts-country"]', 'JP');
    await answerAfter(id);
    const japan = await expected({ country: 'JP' });
    expect((await rowTargets()).sort()).toEqual(japan.map((h) => h.target).sort());
    id = await resultId();
    await page.fill('input[name="hosts-country"]', '');
    await answerAfter(id);
  });

  it('sorts by distance from the location set in the settings panel', async () => {
    const id = await resultId();
    await page.fill('input[name="latitude"]', String(GENEVA.latitude));
    await page.fill('input[name="longitude"]', String(GENEVA.longitude));
    await page.fill('input[name="location-label"]', 'CERN');
    await page.click('button[name="save-settings"]');
    await answerAfter(id);
    expect(await page.inputValue('select[name="hosts-sort"]')).toBe('distance');
    const near = await expected({ near: GENEVA, sort: 'distance' });
    expect(await rowTargets()).toEqual(near.map((h) => h.target));
    const km = (await page.locator('[data-testid="hosts-table"] [data-field="distance"]').evaluateAll((tds) => tds.map((td) => td.getAttribute('data-km')))).filter((k) => k !== '').map(Number);
    expect(km).toEqual([...km].sort((a, b) => a - b));
    expect(km[0]).toBeLessThan(20);
    await page.screenshot({ path: `${SHOTS}/hosts-near-geneva.png` });

    // Sorting by name is the user's choice too.
    const byName = await resultId();
    await page.selectOption('select[name="hosts-sort"]', 'name');
    await answerAfter(byName);
    expect(await rowTargets()).toEqual((await expected({ sort: 'name' })).map((h) => h.target));
    const back = await resultId();
    await page.selectOption('select[name="hosts-sort"]', 'distance');
    await answerAfter(back);
  });

  it('plots every located host on the map; clicking a point selects that host in the list', async () => {
    const located = (await expected({ near: GENEVA })).filter((h) => h.location.latitude !== null && h.location.longitude !== null);
    await expect.poll(() => page.getAttribute('[data-testid="host-map"]', 'data-points')).toBe(String(located.length));
    await expect.poll(async () => (await page.getAttribute('[data-testid="host-map"]', 'data-pixels')) ?? '').not.toBe('');
    const pixels = JSON.parse((await page.getAttribute('[data-testid="host-map"]', 'data-pixels')) ?? '[]') as Array<{ id: string; x: number; y: number }>;
    // A point no other point covers: Macau's pScheduler host, alone in its part of the world.
    const macau = located.find((h) => h.target === '116.193.10.38');
    const point = pixels.find((p) => p.id === macau?.id);
    expect(point).toBeDefined();
    if (!point) return;
    for (const other of pixels) if (other.id !== point.id) expect(Math.hypot(other.x - point.x, other.y - point.y)).toBeGreaterThan(10);
    const box = await page.locator('[data-testid="host-map"]').boundingBox();
    await page.mouse.click((box?.x ?? 0) + point.x, (box?.y ?? 0) + point.y);
    await expect.poll(() => page.getAttribute('[data-testid="host-map"]', 'data-selected')).toBe(point.id);
    expect(await page.getAttribute('[data-testid="hosts-table"] tr.selected', 'data-host-id')).toBe(point.id);
    expect(await page.getAttribute('[data-testid="host-detail"]', 'data-host-id')).toBe(point.id);
    expect(await page.textContent('[data-testid="host-detail"] h2')).toBe('116.193.10.38');
    await page.screenshot({ path: `${SHOTS}/hosts-map-selected.png` });

    // "Use this host's location": distances are now from Macau.
    const id = await resultId();
    await page.click('button[name="use-location"]');
    await answerAfter(id);
    expect(await page.inputValue('input[name="latitude"]')).toBe('22.188737');
    expect(await page.inputValue('textarea[name="ls-sources"]')).toBe(`${double.searchUrl}\n${deadUrl}`);
    expect((await rowTargets())[0]).toBe('116.193.10.38');
    expect(await page.getAttribute('[data-testid="hosts-table"] tbody tr:first-child [data-field="distance"]', 'data-km')).toBe('0');
  });

  it('keeps favourites across a reload and filters to them', async () => {
    const targets = (await rowTargets()).slice(1, 3) as string[];
    for (const t of targets) await page.click(`tr[data-target="${t}"] button[name="favourite"]`);
    await expect.poll(() => page.locator('tr[data-favourite="yes"]').count()).toBe(2);
    await page.reload();
    await page.waitForSelector('[data-app-state="ready"]');
    await page.click('button[name="view-hosts"]');
    await answerAfter(0);
    expect((await page.locator('tr[data-favourite="yes"]').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-target')))).sort()).toEqual([...targets].sort());
    const id = await resultId();
    await page.check('input[name="favourites-only"]');
    await answerAfter(id);
    expect((await rowTargets()).sort()).toEqual([...targets].sort());
    await expect.poll(() => page.getAttribute('[data-testid="host-map"]', 'data-points')).toBe('2');
    await page.screenshot({ path: `${SHOTS}/hosts-favourites.png` });
    const all = await resultId();
    await page.uncheck('input[name="favourites-only"]');
    await answerAfter(all);
  });

  it('"use as target" fills the Measure form with the chosen service\'s host', async () => {
    const owampHost = (await expected({ serviceTypes: ['owamp'], near: GENEVA })).find((h) => h.services.some((s) => s.type === 'owamp' && s.locators.length > 0));
    expect(owampHost).toBeDefined();
    if (!owampHost) return;
    const locator = owampHost.services.find((s) => s.type === 'owamp')?.locators[0];
    await page.click(`tr[data-target="${owampHost.target}"] button[name="select-host"]`);
    await page.click(`[data-testid="host-detail"] button[name="use-locator"][data-service-type="owamp"][data-locator-host="${locator?.host}"]`);
    await expect.poll(() => page.getAttribute('button[name="view-measure"]', 'aria-current')).toBe('page');
    await expect.poll(() => page.inputValue('input[name="target"]')).toBe(locator?.host);
    expect(await page.textContent('[data-testid="picked-target"]')).toMatch(/owamp locator/);
    await page.screenshot({ path: `${SHOTS}/hosts-use-as-target.png` });

    // The address choice from the selector works the same way.
    await page.click('button[name="view-hosts"]');
    await page.waitForSelector('[data-testid="hosts-table"]');
    await page.click('tr[data-target="116.193.10.38"] button[name="select-host"]');
    await page.selectOption('select[name="target-choice"]', { label: '116.193.10.38 (best name · IPv4 · pscheduler locator)' });
    await page.click('button[name="use-as-target"]');
    await expect.poll(() => page.inputValue('input[name="target"]')).toBe('116.193.10.38');
  });

  it('offline: with the Lookup Service stopped, the answer comes from the cache, says how old it is and lists the failed source', async () => {
    await page.click('button[name="view-hosts"]');
    await page.waitForSelector('[data-testid="hosts-table"]');
    const before = await rowCount();
    await double.close();
    const id = await resultId();
    await page.click('button[name="hosts-search"]');
    await answerAfter(id);
    expect(await page.getAttribute('[data-testid="hosts-provenance"]', 'data-from-cache')).toBe('yes');
    expect(await page.textContent('[data-testid="hosts-headline"]')).toMatch(/from the cache, \d+(\.\d)? (s|min) old/);
    expect(await page.textContent('[data-testid="hosts-offline"]')).toMatch(/from the cache, \d+(\.\d)? (s|min) old/);
    expect(await source(double.searchUrl).getAttribute('data-state')).toBe('cache-after-failure');
    expect(await source(double.searchUrl).locator('[data-testid="source-error"]').textContent()).toMatch(/\S/);
    expect(await source(deadUrl).getAttribute('data-state')).toBe('failed');
    expect(await rowCount()).toBe(before);
    // Only the configured (local) Lookup Services were ever asked: the settings kept them throughout.
    const asked = await page.locator('[data-testid="hosts-sources"] li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-source-url') ?? ''));
    expect(asked.length).toBeGreaterThan(0);
    for (const url of asked) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:/);

    await page.screenshot({ path: `${SHOTS}/hosts-offline.png` });

    // Refresh cannot reach it either, and says so; then the list is searched again from the cache.
    const beforeRefresh = await resultId();
    await page.click('button[name="hosts-refresh"]');
    await expect.poll(async () => (await page.textContent('[data-testid="hosts-refresh-report"]').catch(() => '')) ?? '', { timeout: 20_000 }).toMatch(/2 source\(s\) failed/);
    await answerAfter(beforeRefresh);
    expect(await page.textContent('[data-testid="hosts-refresh-report"]')).toContain(double.searchUrl);
    // The answer after the refresh is the cache's, and the source's failed attempt is still shown.
    expect(await page.getAttribute('[data-testid="hosts-provenance"]', 'data-from-cache')).toBe('yes');
    // One configured source was never cached, so the search after the failed refresh went live
    // again: the double's failure is its latest attempt, and its hosts still come from the cache.
    expect(await source(double.searchUrl).getAttribute('data-state')).toBe('cache-after-failure');
    expect(await source(double.searchUrl).locator('[data-testid="source-error"]').textContent()).toMatch(/ECONNREFUSED/);
    await page.screenshot({ path: `${SHOTS}/hosts-offline-refresh.png` });
  });
});
