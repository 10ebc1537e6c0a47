import { BarChart, BoxplotChart, LineChart, ScatterChart } from 'echarts/charts';
import { HeatmapChart } from 'echarts/charts';
import { DataZoomComponent, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
// The host map: a geo coordinate system over the bundled world outline (features/hosts/worldMap.ts).
import { GeoComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

// Register only what the app draws, once.
echarts.use([CanvasRenderer, LineChart, BarChart, BoxplotChart, ScatterChart, GridComponent, TooltipComponent, LegendComponent, DataZoomComponent, MarkLineComponent]);
echarts.use([GeoComponent]);
// The path over time (features/path): hop × run cells.
echarts.use([HeatmapChart]);

export { echarts };
