/** The words notifications are made of, zh-CN first, English second. */
import type { AlertStatus, NotifyEvent, RequestStatus, WarningLevel, WorkerPosition } from '../../contract/index.ts';

export interface Bilingual {
  zh: string;
  en: string;
}

export const LEVEL_NAME: Record<WarningLevel, Bilingual> = {
  blue: { zh: '蓝色', en: 'Blue' },
  yellow: { zh: '黄色', en: 'Yellow' },
  orange: { zh: '橙色', en: 'Orange' },
  red: { zh: '红色', en: 'Red' },
};

export const POSITION_NAME: Record<WorkerPosition, Bilingual> = {
  grid_worker: { zh: '网格员', en: 'grid worker' },
  grid_leader: { zh: '网格长', en: 'grid leader' },
  duty_officer: { zh: '值班员', en: 'duty officer' },
  emergency_centre: { zh: '应急指挥中心', en: 'emergency centre' },
  maintainer: { zh: '设备运维员', en: 'maintainer' },
};

export const STATUS_NAME: Record<AlertStatus, Bilingual> = {
  open: { zh: '待确认', en: 'open' },
  acknowledged: { zh: '已确认', en: 'acknowledged' },
  on_site: { zh: '已到场', en: 'on site' },
  resolved: { zh: '已处置', en: 'resolved' },
};

export const EVENT_NAME: Record<NotifyEvent, Bilingual> = {
  'alert.raised': { zh: '新预警', en: 'New alert' },
  'alert.reminder': { zh: '提醒：尚未确认', en: 'Reminder: not yet acknowledged' },
  'alert.escalated': { zh: '升级', en: 'Escalated' },
  'alert.updated': { zh: '状态更新', en: 'Update' },
  'request.assigned': { zh: '新诉求', en: 'New request' },
  'request.reminder': { zh: '提醒：诉求即将超时', en: 'Reminder: first response due soon' },
  'request.escalated': { zh: '诉求超时升级', en: 'Overdue request escalated' },
  'request.updated': { zh: '诉求更新', en: 'Request update' },
};

export const REQUEST_STATUS_NAME: Record<RequestStatus, Bilingual> = {
  open: { zh: '待响应', en: 'awaiting response' },
  responded: { zh: '已响应', en: 'responded' },
  in_progress: { zh: '办理中', en: 'in progress' },
  closed: { zh: '已办结', en: 'closed' },
};

/** What the recipient should do about an alert still waiting for someone, by level. */
export const ACTION_BY_LEVEL: Record<WarningLevel, Bilingual> = {
  red: { zh: '请立即确认并赶赴现场处置', en: 'Acknowledge and go to the site now' },
  orange: { zh: '请立即确认并尽快到场处置', en: 'Acknowledge now and go to the site soon' },
  yellow: { zh: '请尽快核实处置', en: 'Check and handle it soon' },
  blue: { zh: '请关注并核实', en: 'Keep an eye on it and check' },
};

export const ACTION_BY_STATUS: Partial<Record<AlertStatus, Bilingual>> = {
  acknowledged: { zh: '已有人确认，请跟进处置', en: 'Someone acknowledged it; follow up' },
  on_site: { zh: '已有人到场，请跟进处置', en: 'Someone is on site; follow up' },
  resolved: { zh: '已处置完毕，无需操作', en: 'Resolved; nothing to do' },
};
