/**
 * ECharts, only the parts the device charts use. This module is imported dynamically (see
 * `loadECharts`), so ECharts is a chunk of its own, fetched when a chart is first shown and never
 * part of the first load.
 */
import { LineChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import { init, use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

use([LineChart, GridComponent, TooltipComponent, CanvasRenderer]);

export { init };
