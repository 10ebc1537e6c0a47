import { useEffect, useRef } from 'react';
import type { EChartsCoreOption, EChartsType } from 'echarts/core';
import { echarts } from './echarts.ts';

/**
 * Initialises one chart per element, updates it in place (keeping the user's zoom), resizes with
 * its container and disposes on unmount.
 */
export function useEChart(option: EChartsCoreOption): { ref: React.RefObject<HTMLDivElement | null>; chart: React.RefObject<EChartsType | null> } {
  const ref = useRef<HTMLDivElement | null>(null);
  const chart = useRef<EChartsType | null>(null);

  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const instance = echarts.init(element, undefined, { renderer: 'canvas' });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: false, replaceMerge: ['series'], lazyUpdate: false });
  }, [option]);

  return { ref, chart };
}
