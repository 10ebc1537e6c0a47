import { describe, expect, it } from 'vitest';
import { bindChart, type ChartInstance, type EChartOptions } from '../../renderer/src/charts/binding.ts';

/** An ECharts stand-in that counts what the binding does with it and fires events on demand. */
class FakeChart implements ChartInstance {
  static inits = 0;
  setOptions: Array<{ option: object; settings: object }> = [];
  disposed = 0;
  handlers = new Map<string, Array<(params: unknown) => void>>();
  zrClick: Array<(e: { offsetX: number; offsetY: number }) => void> = [];
  constructor() {
    FakeChart.inits += 1;
  }
  setOption(option: object, settings: object) {
    this.setOptions.push({ option, settings });
  }
  on(event: string, handler: (params: unknown) => void) {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), handler]);
  }
  off(event: string, handler?: (params: unknown) => void) {
    this.handlers.set(event, (this.handlers.get(event) ?? []).filter((h) => handler !== undefined && h !== handler));
  }
  getZr() {
    return { on: (_event: string, handler: (e: { offsetX: number; offsetY: number }) => void) => this.zrClick.push(handler) };
  }
  resize() {}
  dispose() {
    this.disposed += 1;
  }
  emit(event: string, params: unknown = {}) {
    for (const h of [...(this.handlers.get(event) ?? [])]) h(params);
  }
  count(event: string) {
    return this.handlers.get(event)?.length ?? 0;
  }
}

function setup(options: EChartOptions = {}) {
  let clock = 0;
  const rendered: number[] = [];
  const zooms: Array<[number, number]> = [];
  const handlers: EChartOptions = { onRendered: (ms) => rendered.push(ms), onZoomRendered: (ms, fromEvent) => zooms.push([ms, fromEvent]), ...options };
  const before = FakeChart.inits;
  const binding = bindChart(() => new FakeChart(), () => handlers, () => clock);
  return { binding, chart: binding.instance, rendered, zooms, inits: () => FakeChart.inits - before, tick: (ms: number) => (clock += ms) };
}

describe('chart binding (useEChart)', () => {
  it('initialises once, updates in place for every option, disposes once', () => {
    const { binding, chart, inits } = setup();
    for (let i = 0; i < 5; i += 1) binding.update({ series: [{ id: `s${i}` }] }, true);
    expect(inits()).toBe(1);
    expect(chart.setOptions).toHaveLength(5);
    expect(chart.setOptions[4]?.settings).toEqual({ notMerge: true, lazyUpdate: false });
    binding.update({}, false);
    expect(chart.setOptions[5]?.settings).toMatchObject({ notMerge: false, replaceMerge: ['series'] });
    binding.dispose();
    expect(chart.disposed).toBe(1);
  });

  it('keeps one pending finished handler when options come faster than the chart draws', () => {
    const { binding, chart, rendered, tick } = setup();
    const base = chart.count('finished');
    binding.update({ a: 1 }, true);
    tick(5);
    binding.update({ a: 2 }, true);
    tick(5);
    binding.update({ a: 3 }, true);
    expect(chart.count('finished')).toBe(base + 1);
    tick(7);
    chart.emit('finished');
    // Timed from the last setOption, reported once.
    expect(rendered).toEqual([7]);
    chart.emit('finished');
    expect(rendered).toEqual([7]);
    expect(chart.count('finished')).toBe(base);
  });

  it('times a zoom from the input, and from the datazoom event', () => {
    const { binding, chart, zooms, tick } = setup();
    binding.zoomInput();
    tick(40);
    chart.emit('datazoom');
    tick(25);
    chart.emit('finished');
    expect(zooms).toEqual([[65, 25]]);
    // A wheel that zoomed nothing does not start the next zoom's clock.
    binding.zoomInput();
    tick(500);
    chart.emit('finished');
    chart.emit('datazoom');
    tick(10);
    chart.emit('finished');
    expect(zooms.at(-1)).toEqual([10, 10]);
  });

  it('passes canvas clicks in pixels', () => {
    const clicks: Array<[number, number]> = [];
    const { chart } = setup({ onCanvasClick: (p) => clicks.push(p) });
    chart.zrClick.forEach((h) => h({ offsetX: 12, offsetY: 34 }));
    expect(clicks).toEqual([[12, 34]]);
  });
});
