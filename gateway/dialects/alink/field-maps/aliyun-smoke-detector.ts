import { defineFieldMap } from './define.ts';

/** Aliyun IoT's standard smoke-detector thing model (烟雾报警器 标准物模型). */
export default defineFieldMap({
  name: 'aliyun-smoke-detector',
  kind: 'smoke_detector',
  description: "Aliyun IoT standard smoke detector: SmokeSensorState 1 = smoke detected, BatteryPercentage, CurrentTemperature, TamperAlarm",
  properties: {
    SmokeSensorState: { events: { '1': 'alarm', '0': 'alarm_cleared' } },
    BatteryPercentage: { field: 'battery' },
    CurrentTemperature: { field: 'temperature' },
    SmokeConcentration: { field: 'smoke_obscuration' },
    TamperAlarm: { events: { '1': 'tamper' } },
  },
  events: {
    Error: 'fault',
    SmokeAlarm: 'alarm',
    TamperAlarm: 'tamper',
  },
});
