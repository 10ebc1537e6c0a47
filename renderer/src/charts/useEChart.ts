import { useEffect, useRef } from 'react';
import type { EChartsCoreOption, EChartsType } from 'echarts/core';
import { echarts } from './echarts.ts';

export interface EChartOptions {
  /** Replace the whole option instead of merging (views whose axes change kind). */
  notMerge?: boolean;
  onClick?: (params: { data?: unknown; seriesId?: string; dataIndex?: number }) => void;
  /** Called once the chart has drawn an option: ms from setOption to the 'finished' event. */
  onRendered?: (ms: number) => void;
  onZoomRendered?: (ms: number) => void;
}

/**
 * Initialises one chart per element, updates it in place (keeping the user's zoom unless told to
 * replace), resizes with its container and disposes on unmount.
 */
export function useEChart(option: EChartsCoreOption, options: EChartOptions = {}): { ref: React.RefObject<HTMLDivElement | null>; chart: React.RefObject<EChartsType | null> } {
  const ref = useRef<HTMLDivElement | null>(null);
  const chart = useRef<EChartsType | null>(null);
  const handlers = useRef(options);
  handlers.current = options;

  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const instance = echarts.init(element, undefined, { renderer: 'canvas' });
    chart.current = instance;
    instance.on('click', (params) => handlers.current.onClick?.(params as never));
    let zoomStarted: number | null = null;
    instance.on('datazoom', () => {
      zoomStarted = performance.now();
    });
    instance.on('finished', () => {
      if (zoomStarted !== null) {
        handlers.current.onZoomRendered?.(performance.now() - zoomStarted);
        zoomStarted = null;
      }
    });
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    const instance = chart.current;
    if (!instance) return;
    const started = performance.now();
    const onFinished = () => {
      instance.off('finished', onFinished);
      handlers.current.onRendered?.(performance.now() - started);
    };
    instance.on('finished', onFinished);
    instance.setOption(option, options.notMerge ? { notMerge: true, lazyUpdate: false } : { notMerge: false, replaceMerge: ['series'], lazyUpdate: false });
  }, [option, options.notMerge]);

  return { ref, chart };
}
