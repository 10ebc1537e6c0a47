import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { Store } from '../electron/core/store/index.ts';
import { launchChromium } from '../test/helpers/browser.ts';
import { startPswServe } from '../test/helpers/serve.ts';

/**
 * The real renderer in Chromium against `psw serve`: a host with `points` stored runs drawn as one
 * timeline series. Measures the first paint (Show → data → chart finished) and zooming.
 */
export async function benchRenderer(dbPath: string, points: number) {
  if (!existsSync(fileURLToPath(new URL('../out/renderer/index.html', import.meta.url)))) throw new Error('renderer not built: run npm run build');
  const store = new Store(dbPath);
  const t0 = Date.parse('2020-01-01T00:00:00Z');
  store.db.exec("INSERT INTO targets (host, port, family, created_at) VALUES ('ps-big.example.net', 5201, 'any', 0)");
  store.db.exec(`
    INSERT INTO runs (kind, target_id, options, status, created_at, summary, family_used)
    WITH RECURSIVE s(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM s WHERE n < ${points - 1})
    SELECT 'throughput', 1, '{}', 'succeeded', ${t0} + n * 60000,
      json_object('receivedBitsPerSecond', 9e8 + (n % 997) * 1e5 + (abs(random()) % 5000000)), '4' FROM s`);
  store.timeline.rebuildAll();
  store.close();

  const serve = await startPswServe(dbPath);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(serve.url);
    await page.waitForSelector('[data-app-state="ready"]');
    await page.click('button[name="view-compare"]');
    await page.selectOption('select[name="compare-mode"]', 'timeline');
    await page.fill('input[name="compare-hosts"]', 'ps-big.example.net');
    const clicked = performance.now();
    await page.click('button[name="compare-show"]');
    await page.waitForSelector('[data-testid="compare-chart"][data-render-ms]:not([data-render-ms=""])', { timeout: 120_000 });
    const firstPaintMs = performance.now() - clicked;
    const drawn = Number(await page.getAttribute('[data-testid="compare-chart"]', 'data-points'));
    const renderMs = Number(await page.getAttribute('[data-testid="compare-chart"]', 'data-render-ms'));
    const pageFirstPaintMs = Number(await page.getAttribute('[data-testid="compare-chart"]', 'data-first-paint-ms'));
    const summary = await page.textContent('[data-testid="compare-summary"]');
    const fetchMs = Number(/data in (\d+) ms/.exec(summary ?? '')?.[1] ?? NaN);

    const box = await page.locator('[data-testid="compare-chart"]').boundingBox();
    // Zoom: from the wheel input (the chart's capture-phase listener, before ECharts' throttle and
    // filtering) and, for comparison, from ECharts' datazoom event (after filtering), to 'finished'.
    const zooms: number[] = [];
    const zoomsFromEvent: number[] = [];
    for (let i = 0; i < 6 && box; i += 1) {
      await page.locator('[data-testid="compare-chart"]').evaluate((el) => {
        const e = el as unknown as { setAttribute(name: string, value: string): void };
        e.setAttribute('data-zoom-ms', '');
        e.setAttribute('data-zoom-event-ms', '');
      });
      await page.mouse.move(box.x + box.width * (0.3 + i * 0.05), box.y + box.height / 2);
      await page.mouse.wheel(0, i % 2 ? 400 : -400);
      await page.waitForSelector('[data-testid="compare-chart"][data-zoom-ms]:not([data-zoom-ms=""])', { timeout: 30_000 });
      zooms.push(Number(await page.getAttribute('[data-testid="compare-chart"]', 'data-zoom-ms')));
      zoomsFromEvent.push(Number(await page.getAttribute('[data-testid="compare-chart"]', 'data-zoom-event-ms')));
    }
    zooms.sort((a, b) => a - b);
    zoomsFromEvent.sort((a, b) => a - b);
    const round = (v: number) => Math.round(v);
    return {
      points: drawn,
      /** Show pressed → chart finished drawing, on the page's own clock. */
      firstPaintMs: round(pageFirstPaintMs),
      /** The same from the test driver's side, Playwright's own overhead included. */
      firstPaintDriverMs: round(firstPaintMs),
      dataMs: round(fetchMs),
      drawMs: round(renderMs),
      /** Wheel input → zoomed chart drawn. */
      zoomMs: { median: round(zooms[Math.floor(zooms.length / 2)] ?? NaN), max: round(zooms.at(-1) ?? NaN), samples: zooms.map(round) },
      /** ECharts' datazoom event → drawn: leaves out the throttle and the filtering, so it understates. */
      zoomFromEventMs: { median: round(zoomsFromEvent[Math.floor(zoomsFromEvent.length / 2)] ?? NaN), max: round(zoomsFromEvent.at(-1) ?? NaN), samples: zoomsFromEvent.map(round) },
      goals: { firstPaintMs: 1000, zoomMs: 100 },
    };
  } finally {
    await browser.close();
    await serve.stop();
  }
}
