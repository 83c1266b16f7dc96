/** What each channel's message says and how it is signed: pure functions, no I/O. */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Alert, WebhookDelivery } from '../../contract/index.ts';
import { retryDelayMs } from '../../platform/notify/backoff.ts';
import { messageFacts, placeOf, shanghaiTime } from '../../platform/notify/facts.ts';
import { dingtalkMessage, dingtalkSign, dingtalkUrl } from '../../platform/notify/senders/dingtalk.ts';
import { renderTemplate, smsRequest } from '../../platform/notify/senders/sms.ts';
import { webhookRequest, webhookSignature } from '../../platform/notify/senders/webhook.ts';
import { wecomMessage } from '../../platform/notify/senders/wecom.ts';

const alert: Alert = {
  id: 'alert-gas-1',
  deviceId: 'gas-kitchen-1',
  deviceKind: 'gas_detector',
  communityId: 'xingfuli',
  gridId: 'grid-1',
  buildingId: 'b-7',
  location: { buildingId: 'b-7', floor: -1 },
  rule: 'gas_detector.gas_lel',
  title: { 'zh-CN': '燃气浓度超限', en: 'Gas concentration high' },
  level: 'yellow',
  status: 'open',
  count: 1,
  value: 12,
  raisedAt: '2026-11-29T17:30:05.000Z',
  lastAt: '2026-11-29T17:30:05.000Z',
  clearedAt: null,
  acknowledgedAt: null,
  onSiteAt: null,
  resolvedAt: null,
  disposition: null,
  assignees: [],
  incidentId: null,
  category: 'gas',
  test: false,
  suppressed: null,
};

function delivery(overrides: Partial<WebhookDelivery> = {}): WebhookDelivery {
  return { event: 'alert.raised', alert, recipient: { workerId: 'w-1', name: '李强', position: 'grid_worker' }, stage: 0, ...overrides };
}

describe('message facts', () => {
  it('names the level in Chinese with its numeral, and the time in Beijing time', () => {
    const facts = messageFacts(delivery());
    expect(facts.headline).toEqual({ zh: '黄色 III 级预警', en: 'Yellow (III) warning' });
    expect(facts.time).toBe('2026-11-30 01:30:05');
    expect(facts.device).toEqual({ zh: '燃气探测器', en: 'Gas detector' });
    expect(facts.action.zh).toBe('请尽快核实处置');
    expect(shanghaiTime('2026-06-30T16:00:00Z')).toBe('2026-07-01 00:00:00');
  });

  it('describes the place as far as the location goes, the building id when that is all there is', () => {
    expect(placeOf(alert)).toEqual({ zh: '社区 xingfuli · 楼栋 b-7 · 地下1层', en: 'community xingfuli, building b-7, basement 1' });
    expect(placeOf({ ...alert, location: null })).toEqual({ zh: '社区 xingfuli · 楼栋 b-7', en: 'community xingfuli, building b-7' });
    expect(placeOf({ ...alert, location: null, buildingId: null })).toEqual({ zh: '社区 xingfuli', en: 'community xingfuli' });
  });

  it('says the stage: escalation to whom, reminders, status updates', () => {
    expect(messageFacts(delivery({ event: 'alert.escalated', stage: 2, recipient: { workerId: null, name: '区应急中心', position: 'emergency_centre' } })).stage).toEqual({
      zh: '升级至应急指挥中心',
      en: 'Escalated to emergency centre',
    });
    expect(messageFacts(delivery({ event: 'alert.escalated', stage: 2, recipient: { workerId: null, name: 'x', position: null } })).stage.en).toBe('Escalated (stage 2)');
    expect(messageFacts(delivery({ event: 'alert.reminder' })).stage.zh).toBe('提醒：尚未确认');
    const resolved = messageFacts(delivery({ event: 'alert.updated', alert: { ...alert, status: 'resolved' } }));
    expect(resolved.stage).toEqual({ zh: '状态更新：已处置', en: 'Update: resolved' });
    expect(resolved.action.zh).toBe('已处置完毕，无需操作');
  });
});

describe('webhook signature', () => {
  it('is the hex HMAC-SHA256 of the raw body (RFC 4231 test case 2)', () => {
    expect(webhookSignature('what do ya want for nothing?', 'Jefe')).toBe('sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });

  it('signs exactly the body it sends and names the delivery', () => {
    const request = webhookRequest({ type: 'webhook', url: 'https://example.org/hook', secret: 's3cret-key' }, 'ntf-1', delivery());
    expect(request.headers['x-anju-signature']).toBe(webhookSignature(request.body, 's3cret-key'));
    expect(request.headers['x-anju-delivery']).toBe('ntf-1');
    expect(JSON.parse(request.body)).toEqual(delivery());
  });
});

describe('WeCom and DingTalk', () => {
  it('colours orange and red as warnings in WeCom and keeps lower levels calm', () => {
    expect(wecomMessage(delivery()).markdown.content).toMatch(/^### <font color="info">黄色 III 级预警<\/font>：燃气浓度超限\n/);
    expect(wecomMessage(delivery({ alert: { ...alert, level: 'red' } })).markdown.content).toContain('<font color="warning">红色 I 级预警</font>');
  });

  it('signs DingTalk URLs as DingTalk requires, and leaves them alone without a secret', () => {
    const sign = createHmac('sha256', 'SECabc').update('1700000000000\nSECabc').digest('base64');
    expect(dingtalkSign(1700000000000, 'SECabc')).toBe(sign);
    expect(dingtalkUrl({ type: 'dingtalk', url: 'https://oapi.dingtalk.com/robot/send?access_token=t', secret: 'SECabc' }, 1700000000000)).toBe(
      `https://oapi.dingtalk.com/robot/send?access_token=t&timestamp=1700000000000&sign=${encodeURIComponent(sign)}`,
    );
    expect(dingtalkUrl({ type: 'dingtalk', url: 'https://oapi.dingtalk.com/robot/send?access_token=t' }, 1)).toBe('https://oapi.dingtalk.com/robot/send?access_token=t');
  });

  it('gives DingTalk a title for the notification preview and blank-line separated rows', () => {
    const { markdown } = dingtalkMessage(delivery());
    expect(markdown.title).toBe('黄色 III 级预警：燃气浓度超限');
    expect(markdown.text.split('\n\n')).toHaveLength(8);
  });
});

describe('SMS', () => {
  it('renders a template and sends the values it used as params; unknown names stay visible', () => {
    expect(renderTemplate('{levelName}预警 {title} {nope}', { levelName: '红色', title: '火警', place: 'x' })).toEqual({
      text: '红色预警 火警 {nope}',
      params: { levelName: '红色', title: '火警' },
    });
  });

  it('uses the configured template for the event, and the zh-CN default otherwise', () => {
    const gateway = { url: 'https://sms.example/send', templates: { 'alert.reminder': '提醒{alertId}' } };
    const reminder = JSON.parse(smsRequest(gateway, { type: 'sms', phone: '13800138000' }, delivery({ event: 'alert.reminder' })).body) as Record<string, unknown>;
    expect(reminder).toEqual({ phone: '13800138000', template: '提醒{alertId}', text: '提醒alert-gas-1', params: { alertId: 'alert-gas-1' } });
    const raised = smsRequest(gateway, { type: 'sms', phone: '13800138000' }, delivery());
    expect((JSON.parse(raised.body) as { text: string }).text).toBe('【安居】黄色预警：燃气浓度超限，社区 xingfuli · 楼栋 b-7 · 地下1层，2026-11-30 01:30:05。请立即处置。');
    expect(raised.headers).toEqual({});
  });
});

describe('backoff', () => {
  it('waits 5 s, 15 s, 45 s … and never more than 10 min', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map(retryDelayMs)).toEqual([5_000, 15_000, 45_000, 135_000, 405_000, 600_000, 600_000, 600_000]);
  });
});
