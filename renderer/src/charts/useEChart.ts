import { useEffect, useRef } from 'react';
import type { EChartsCoreOption, EChartsType } from 'echarts/core';
import { bindChart, type ChartBinding, type EChartOptions } from './binding.ts';
import { echarts } from './echarts.ts';

export type { EChartOptions } from './binding.ts';

/**
 * Initialises one chart per element, updates it in place (keeping the user's zoom unless told to
 * replace), resizes with its container and disposes on unmount.
 */
export function useEChart(option: EChartsCoreOption, options: EChartOptions = {}): { ref: React.RefObject<HTMLDivElement | null>; chart: React.RefObject<EChartsType | null>; zoomInput: () => void } {
  const ref = useRef<HTMLDivElement | null>(null);
  const chart = useRef<EChartsType | null>(null);
  const binding = useRef<ChartBinding<EChartsType> | null>(null);
  const handlers = useRef(options);
  handlers.current = options;

  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const bound = bindChart(() => echarts.init(element, undefined, { renderer: 'canvas' }) as EChartsType, () => handlers.current);
    binding.current = bound;
    chart.current = bound.instance;
    // A zoom starts at the input, before ECharts filters and emits 'datazoom' (capture phase: ahead of ECharts' own listeners).
    const zoomStart = () => bound.zoomInput();
    element.addEventListener('wheel', zoomStart, { capture: true, passive: true });
    const observer = new ResizeObserver(() => bound.instance.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      element.removeEventListener('wheel', zoomStart, { capture: true });
      bound.dispose();
      binding.current = null;
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    binding.current?.update(option, options.notMerge);
  }, [option, options.notMerge]);

  return { ref, chart, zoomInput: () => binding.current?.zoomInput() };
}
