/** The rows shared by the chat-robot formats (WeCom, DingTalk): one fact per row, zh-CN then English. */
import type { MessageFacts } from './facts.ts';

export interface FactRow {
  label: string;
  value: string;
}

export function factRows(f: MessageFacts): FactRow[] {
  return [
    { label: '地点 Place', value: `${f.place.zh} / ${f.place.en}` },
    { label: '设备 Device', value: `${f.device.zh} ${f.device.en} · ${f.deviceId}` },
    { label: '时间 Time', value: `${f.time}（北京时间 UTC+8）` },
    { label: '阶段 Stage', value: `${f.stage.zh} ${f.stage.en}` },
    { label: '处置 Action', value: `${f.action.zh} / ${f.action.en}` },
    ...(f.care ? [{ label: '住户 Residents', value: `${f.care.zh} / ${f.care.en}` }] : []),
  ];
}

export function footer(f: MessageFacts): string {
  return `安居 Anju · 预警编号 Alert ID：${f.alertId}`;
}
