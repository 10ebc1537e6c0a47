import type { EChartsCoreOption } from 'echarts/core';

export interface EChartOptions {
  /** Replace the whole option instead of merging (views whose axes change kind). */
  notMerge?: boolean;
  onClick?: (params: { data?: unknown; seriesId?: string; dataIndex?: number; componentType?: string }) => void;
  /** A click anywhere on the canvas, in pixels from its top left (hit tests of our own). */
  onCanvasClick?: (pixel: [number, number]) => void;
  /** Called once the chart has drawn an option: ms from setOption to the 'finished' event. */
  onRendered?: (ms: number) => void;
  /** A zoom drawn: ms from the input (wheel or drag on the chart, or a dispatched zoom) to 'finished', and from ECharts' datazoom event. */
  onZoomRendered?: (ms: number, fromEventMs: number) => void;
}

type Handler = (params: unknown) => void;

/** The part of an ECharts instance the binding uses (a fake in tests). */
export interface ChartInstance {
  setOption(option: EChartsCoreOption, settings: object): void;
  on(event: string, handler: Handler): void;
  off(event: string, handler?: Handler): void;
  getZr(): { on(event: string, handler: (e: { offsetX: number; offsetY: number }) => void): void };
  resize(): void;
  dispose(): void;
}

export interface ChartBinding<I extends ChartInstance> {
  instance: I;
  update(option: EChartsCoreOption, notMerge: boolean | undefined): void;
  /** Marks the start of a zoom the user (or a benchmark) asked for; the next drawn zoom is timed from here. */
  zoomInput(): void;
  dispose(): void;
}

/**
 * One chart per element: initialised once, updated in place (one pending 'finished' handler at
 * a time, however fast options come), disposed once. `handlers` is read at event time, so
 * callers may pass fresh closures on every render.
 */
export function bindChart<I extends ChartInstance>(init: () => I, handlers: () => EChartOptions, now: () => number = () => performance.now()): ChartBinding<I> {
  const instance = init();
  let zoomInput: number | null = null;
  let zoomEvent: number | null = null;
  let pending: Handler | null = null;
  instance.on('click', (params) => handlers().onClick?.(params as never));
  instance.getZr().on('click', (e) => handlers().onCanvasClick?.([e.offsetX, e.offsetY]));
  instance.on('datazoom', () => {
    zoomEvent = now();
    zoomInput ??= zoomEvent;
  });
  instance.on('finished', () => {
    if (zoomEvent === null || zoomInput === null) {
      // An input that zoomed nothing (a wheel outside the grid) must not start the next zoom's clock.
      zoomInput = null;
      return;
    }
    const at = now();
    handlers().onZoomRendered?.(at - zoomInput, at - zoomEvent);
    zoomInput = null;
    zoomEvent = null;
  });
  return {
    instance,
    update(option, notMerge) {
      if (pending) instance.off('finished', pending);
      const started = now();
      const onFinished: Handler = () => {
        instance.off('finished', onFinished);
        pending = null;
        handlers().onRendered?.(now() - started);
      };
      pending = onFinished;
      instance.on('finished', onFinished);
      instance.setOption(option, notMerge ? { notMerge: true, lazyUpdate: false } : { notMerge: false, replaceMerge: ['series'], lazyUpdate: false });
    },
    zoomInput() {
      zoomInput = now();
    },
    dispose() {
      if (pending) instance.off('finished', pending);
      pending = null;
      instance.dispose();
    },
  };
}
