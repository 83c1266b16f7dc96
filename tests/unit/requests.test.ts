/** The pure parts of residents' requests: reference numbers, check codes, deadlines, routing, views, statistics, message formats. */
import { describe, expect, it } from 'vitest';
import { RequestPolicy, type RequestDelivery, type ServiceRequest } from '../../contract/index.ts';
import type { DutyCandidate } from '../../platform/dispatch/duty.ts';
import { dingtalkMessage } from '../../platform/notify/senders/dingtalk.ts';
import { smsRequest } from '../../platform/notify/senders/sms.ts';
import { webhookRequest } from '../../platform/notify/senders/webhook.ts';
import { wecomMessage } from '../../platform/notify/senders/wecom.ts';
import { MASKED } from '../../platform/privacy/mask.ts';
import { DEFAULT_REQUEST_POLICY } from '../../platform/requests/policy.ts';
import { localDate } from '../../platform/local-time.ts';
import { CHECK_CODE_LENGTH, checkCodeMatches, formatReference, hashCheckCode, newCheckCode } from '../../platform/requests/reference.ts';
import { deadlineFor, escalationAt, escalationPositions, isOverdue, reminderAt } from '../../platform/requests/schedule.ts';
import { chooseAssignee } from '../../platform/requests/service.ts';
import { percent, toStatsGroup, type StatsRow } from '../../platform/requests/stats.ts';
import type { RequestRow } from '../../platform/requests/store.ts';
import { toPublicStatus, toServiceRequest } from '../../platform/requests/view.ts';

const HOUR = 3600_000;
const T0 = Date.parse('2026-11-30T02:00:00Z');

describe('reference numbers and check codes', () => {
  it('numbers requests per Beijing calendar day: AJ-YYYYMMDD-NNNN', () => {
    expect(formatReference('2026-11-29', 7)).toBe('AJ-20261129-0007');
    expect(formatReference('2026-11-29', 12_345)).toBe('AJ-20261129-12345');
    // 23:59 UTC on the 29th is already the 30th in Beijing.
    expect(localDate(Date.parse('2026-11-29T15:59:59Z'))).toBe('2026-11-29');
    expect(localDate(Date.parse('2026-11-29T16:00:00Z'))).toBe('2026-11-30');
    expect(() => formatReference('2026-11-29', 0)).toThrow();
  });

  it('hands out check codes a resident can read off a receipt, and matches them whatever the case', () => {
    const codes = new Set(Array.from({ length: 200 }, () => newCheckCode()));
    expect(codes.size).toBe(200);
    for (const code of codes) expect(code).toMatch(new RegExp(`^[A-HJKMNP-TW-Z2-9]{${CHECK_CODE_LENGTH}}$`));
    const code = [...codes][0]!;
    const stored = hashCheckCode(code);
    expect(stored).not.toContain(code);
    expect(checkCodeMatches(code.toLowerCase(), stored)).toBe(true);
    expect(checkCodeMatches(`${code.slice(0, 4)} ${code.slice(4)}`, stored)).toBe(true);
    expect(checkCodeMatches('ABCDEFGH', stored)).toBe(false);
  });
});

describe('deadlines', () => {
  const policy = DEFAULT_REQUEST_POLICY;

  it('gives a first response 24 hours by default and a safety hazard 2 hours', () => {
    expect(deadlineFor(policy, 'repair', T0) - T0).toBe(24 * HOUR);
    expect(deadlineFor(policy, 'safety', T0) - T0).toBe(2 * HOUR);
  });

  it('reminds the assignee ahead of the deadline, never in the first half of the window, and not once it is past', () => {
    expect(reminderAt(policy, T0, T0 + 24 * HOUR, T0)).toBe(T0 + 22 * HOUR);
    expect(reminderAt(policy, T0, T0 + 2 * HOUR, T0)).toBe(T0 + HOUR);
    expect(reminderAt(policy, T0, T0 + 24 * HOUR, T0 + 23 * HOUR)).toBeNull();
    expect(reminderAt({ ...policy, remindBeforeS: null }, T0, T0 + 24 * HOUR, T0)).toBeNull();
  });

  it('escalates to the grid leader at the deadline and to the duty officer two hours later', () => {
    const deadline = T0 + 24 * HOUR;
    expect([escalationAt(policy, deadline, 1), escalationAt(policy, deadline, 2), escalationAt(policy, deadline, 3)]).toEqual([deadline, deadline + 2 * HOUR, null]);
    expect(escalationPositions(policy, 1)).toEqual(['grid_leader']);
    expect(escalationPositions(policy, 2)).toEqual(['duty_officer']);
  });

  it('calls a request overdue only while it waits for its first response past the deadline', () => {
    expect(isOverdue({ respondedAt: null, closedAt: null, deadline: T0 }, T0 + 1)).toBe(true);
    expect(isOverdue({ respondedAt: null, closedAt: null, deadline: T0 }, T0)).toBe(false);
    expect(isOverdue({ respondedAt: T0 + 5, closedAt: null, deadline: T0 }, T0 + 10)).toBe(false);
  });

  it('validates the policy: every category, stages later and later, sane durations', () => {
    expect(RequestPolicy.safeParse(DEFAULT_REQUEST_POLICY).success).toBe(true);
    const { repair: _repair, ...missing } = DEFAULT_REQUEST_POLICY.respondWithinS;
    expect(RequestPolicy.safeParse({ ...DEFAULT_REQUEST_POLICY, respondWithinS: missing }).success).toBe(false);
    expect(RequestPolicy.safeParse({ ...DEFAULT_REQUEST_POLICY, escalation: [{ afterS: 60, positions: ['grid_leader'] }, { afterS: 60, positions: ['duty_officer'] }] }).success).toBe(false);
    expect(RequestPolicy.safeParse({ ...DEFAULT_REQUEST_POLICY, respondWithinS: { ...DEFAULT_REQUEST_POLICY.respondWithinS, safety: 5 } }).success).toBe(false);
  });
});

describe('routing', () => {
  const worker = (id: string, position: DutyCandidate['position'], gridIds: string[], extra: Partial<DutyCandidate> = {}): DutyCandidate => ({
    id, name: id, position, gridIds, channels: [], phone: null, roster: [], awayUntil: null, backupWorkerId: null, ...extra,
  });

  it("assigns the grid's on-duty worker, the backup when they are away, and the duty officer when there is no grid or nobody", () => {
    const people = [worker('wang', 'grid_worker', ['g1'], { awayUntil: T0 + HOUR, backupWorkerId: 'li' }), worker('li', 'grid_worker', ['g2']), worker('zhao', 'grid_leader', ['g1']), worker('chen', 'duty_officer', [])];
    expect(chooseAssignee(people, 'g1', T0)?.id).toBe('li');
    expect(chooseAssignee(people, 'g1', T0 + 2 * HOUR)?.id).toBe('wang');
    expect(chooseAssignee(people, null, T0)?.id).toBe('chen');
    expect(chooseAssignee(people, 'g3', T0)?.id).toBe('chen');
    expect(chooseAssignee([], 'g1', T0)).toBeUndefined();
  });
});

const row: RequestRow = {
  id: 'req-1',
  reference: 'AJ-20261130-0001',
  check_code_hash: hashCheckCode('ABCDEFGH'),
  category: 'repair',
  description: '楼道灯坏了',
  channel: 'phone',
  community_id: 'c1',
  grid_id: 'g1',
  building_id: 'b7',
  unit: '2',
  room: '301',
  address: null,
  contact_name: '张阿姨',
  contact_phone: '13912345678',
  status: 'closed',
  assignee: { workerId: 'w1', name: '王芳', position: 'grid_worker' },
  escalated_to: [{ workerId: 'w2', name: '赵敏', position: 'grid_leader' }],
  escalation_stage: 1,
  received_at: new Date(T0),
  deadline: new Date(T0 + 24 * HOUR),
  responded_at: new Date(T0 + 25 * HOUR),
  closed_at: new Date(T0 + 30 * HOUR),
  resolution: '已更换灯泡',
  rating: null,
  rating_comment: null,
  rated_at: null,
  device_id: null,
  source_key: null,
  created_by: 'usr-1',
  created_at: new Date(T0),
};

describe('views', () => {
  it("masks the resident's phone unless the viewer may see it", () => {
    expect(toServiceRequest(row, { phone: true, idNumber: false }, T0).contact).toEqual({ name: '张阿姨', phone: '13912345678', masked: false });
    const masked = toServiceRequest(row, MASKED, T0);
    expect(masked.contact).toEqual({ name: '张阿姨', phone: '139****5678', masked: true });
    expect(masked).toMatchObject({ firstResponseS: 25 * 3600, overdue: false, escalationStage: 1 });
  });

  it("shows the resident the steps and staff's words to them, never a name and never the internal paging", () => {
    const history = [
      { action: 'received', note: null },
      { action: 'assigned', note: null },
      { action: 'notified', note: null },
      { action: 'escalated', note: null },
      { action: 'responded', note: '已联系，明天上门' },
      { action: 'reassigned', note: '交给电工' },
      { action: 'closed', note: '已更换灯泡' },
    ].map((h, i) => ({ ...h, at: new Date(T0 + i * HOUR).toISOString(), fromStatus: null, toStatus: null, actor: { id: 'usr-1', name: '王芳' }, detail: { to: [{ name: '赵敏' }] } }));
    const view = toPublicStatus(row, history);
    expect(view.history.map((h) => [h.action, h.note])).toEqual([
      ['received', null],
      ['assigned', null],
      ['responded', '已联系，明天上门'],
      ['closed', '已更换灯泡'],
    ]);
    expect(view).toMatchObject({ contactPhone: '139****5678', canRate: true, categoryName: { 'zh-CN': '维修' } });
    expect(JSON.stringify(view)).not.toMatch(/王芳|赵敏|张阿姨|13912345678/);
  });
});

describe('statistics', () => {
  const stats = (over: Partial<StatsRow>): StatsRow => ({ key: 'g1', name: '一网格', total: false, count: 0, responded: 0, on_time: 0, late: 0, overdue: 0, median_s: null, p90_s: null, closed: 0, good: 0, fair: 0, bad: 0, ...over });

  it('gives shares in per cent with one decimal, and none without a denominator', () => {
    expect(percent(1, 3)).toBe(33.3);
    expect(percent(2, 3)).toBe(66.7);
    expect(percent(0, 0)).toBeNull();
  });

  it('counts on-time responses among the decided ones and satisfaction among the rated ones', () => {
    expect(toStatsGroup(stats({ count: 5, responded: 3, on_time: 2, late: 2, overdue: 1, median_s: 3599.6, p90_s: 10_080.2, closed: 3, good: 2, fair: 1, bad: 1 }))).toEqual({
      key: 'g1',
      name: '一网格',
      count: 5,
      responded: 3,
      respondedOnTime: 2,
      late: 2,
      onTimePct: 50,
      medianResponseS: 3600,
      p90ResponseS: 10_080,
      overdue: 1,
      closed: 3,
      satisfaction: { good: 2, fair: 1, bad: 1, rated: 4, goodPct: 50 },
    });
    expect(toStatsGroup(stats({ count: 1 }))).toMatchObject({ onTimePct: null, medianResponseS: null, satisfaction: { rated: 0, goodPct: null } });
  });
});

describe('notification formats', () => {
  const request: ServiceRequest = toServiceRequest({ ...row, status: 'open', responded_at: null, closed_at: null, resolution: null }, { phone: true, idNumber: false }, T0);
  const delivery = (over: Partial<RequestDelivery> = {}): RequestDelivery => ({ event: 'request.assigned', request, recipient: { workerId: 'w1', name: '王芳', position: 'grid_worker' }, stage: 0, ...over });

  it('masks the phone in group robots (WeCom, DingTalk) even when the payload carries it', () => {
    const wecom = JSON.stringify(wecomMessage(delivery()));
    const dingtalk = JSON.stringify(dingtalkMessage(delivery()));
    for (const text of [wecom, dingtalk]) {
      expect(text).toContain('139****5678');
      expect(text).not.toContain('13912345678');
      expect(text).toContain('AJ-20261130-0001');
      expect(text).toContain('维修');
      expect(text).toContain('2026-12-01 10:00:00');
    }
    expect(JSON.stringify(dingtalkMessage(delivery({ event: 'request.escalated', stage: 1, recipient: { workerId: 'w2', name: '赵敏', position: 'grid_leader' } })))).toContain('诉求超时升级至网格长');
  });

  it("gives the worker's own SMS and webhook the phone as the payload has it", () => {
    const sms = JSON.parse(smsRequest({ url: 'http://sms.example/send' }, { type: 'sms', phone: '13800000001' }, delivery()).body) as { phone: string; text: string; params: Record<string, string> };
    expect(sms.phone).toBe('13800000001');
    expect(sms.text).toBe('【安居】新诉求AJ-20261130-0001（维修）：楼道灯坏了，社区 c1 · 楼栋 b7 · 2单元 · 301室，联系人张阿姨 13912345678，请于2026-12-01 10:00:00前响应。');
    const masked = delivery({ request: { ...request, contact: { ...request.contact, phone: '139****5678', masked: true } } });
    expect(JSON.parse(smsRequest({ url: 'http://sms.example/send' }, { type: 'sms', phone: '13800000001' }, masked).body).text).toContain('139****5678');
    const hook = webhookRequest({ type: 'webhook', url: 'https://example.org/hook', secret: 'secret-key' }, 'ntf-1', delivery());
    expect(hook.headers['x-anju-event']).toBe('request.assigned');
    expect(JSON.parse(hook.body)).toMatchObject({ event: 'request.assigned', request: { reference: 'AJ-20261130-0001', contact: { phone: '13912345678' } } });
  });
});
