/** Loads ECharts on first use (one chunk, shared by every chart); later calls get the same promise. */
export type EChartsModule = typeof import('./echarts-setup.ts');

let loading: Promise<EChartsModule> | null = null;

export function loadECharts(): Promise<EChartsModule> {
  loading ??= import('./echarts-setup.ts').catch((error: unknown) => {
    loading = null;
    throw error;
  });
  return loading;
}
