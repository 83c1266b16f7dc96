/**
 * ECharts, only the parts the charts use: the device lines and the requests' bars. This module is
 * imported dynamically (see `loadECharts`), so ECharts is a chunk of its own, fetched when a chart is
 * first shown and never part of the first load.
 */
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { init, use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

use([LineChart, BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export { init };
