import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client.ts';
import { channelFields, fromDraft, toDraft } from './channels.ts';
import { createFieldErrors, fieldIssuesOf } from './field-errors.ts';
import { overnight, rosterIssues, sortShifts, weekdayName } from './roster.ts';
import { clampPosition, fitView, nudge, parseCoordinate, pointerToPosition } from './schematic.ts';
import { sectionOf } from './sections.ts';

describe('field errors', () => {
  const answer = new ApiError(400, 'validation_failed', 'The request is not valid', [
    { in: 'body', path: 'condition.steps.1.value', message: 'must lie further above than step 0' },
    { in: 'body', path: 'schedule.from', message: 'a time of day, HH:MM' },
    'not an issue',
  ]);

  it('reads the per-field issues of a 400 answer', () => {
    expect(fieldIssuesOf(answer)).toEqual([
      { path: 'condition.steps.1.value', message: 'must lie further above than step 0' },
      { path: 'schedule.from', message: 'a time of day, HH:MM' },
    ]);
    expect(fieldIssuesOf(new Error('x'))).toEqual([]);
    expect(fieldIssuesOf(new ApiError(404, 'not_found', 'gone', { id: 'x' }))).toEqual([]);
  });

  it('gives each field its messages and an id to describe the input by', () => {
    const errors = createFieldErrors('rule');
    errors.set(answer);
    expect(errors.at('schedule.from')).toEqual(['a time of day, HH:MM']);
    expect(errors.describedBy('condition.steps.1.value')).toBe('rule-error-condition_steps_1_value');
    expect(errors.describedBy('schedule.to')).toBeUndefined();
    expect(errors.any).toBe(true);
    errors.clear();
    expect(errors.any).toBe(false);
  });
});

describe('schematic', () => {
  it('turns a pointer into a position in the view shown, within the 0–10 000 square', () => {
    const rect = { left: 100, top: 50, width: 400, height: 400 };
    expect(pointerToPosition(300, 150, rect)).toEqual({ x: 5000, y: 2500 });
    expect(pointerToPosition(0, 999, rect)).toEqual({ x: 0, y: 10_000 });
    expect(pointerToPosition(300, 150, rect, { x: 100, y: 200, size: 800 })).toEqual({ x: 500, y: 400 });
  });

  it('fits the view around the buildings with room to move, inside the square', () => {
    expect(fitView([])).toEqual({ x: 0, y: 0, size: 800 });
    expect(fitView([{ x: 120, y: 110 }, { x: 480, y: 300 }])).toEqual({ x: 0, y: 0, size: 840 });
    expect(fitView([{ x: 5000, y: 5000 }])).toEqual({ x: 4600, y: 4600, size: 800 });
    expect(fitView([{ x: 9990, y: 10 }])).toEqual({ x: 9200, y: 0, size: 800 });
    expect(fitView([{ x: 0, y: 0 }, { x: 10_000, y: 10_000 }])).toEqual({ x: 0, y: 0, size: 10_000 });
  });

  it('moves with the arrow keys, further with Shift, never off the square', () => {
    expect(nudge({ x: 5000, y: 5000 }, 'ArrowRight')).toEqual({ x: 5010, y: 5000 });
    expect(nudge({ x: 5000, y: 5000 }, 'ArrowUp', true)).toEqual({ x: 5000, y: 4900 });
    expect(nudge({ x: 5, y: 0 }, 'ArrowLeft')).toEqual({ x: 0, y: 0 });
    expect(nudge({ x: 50, y: 0 }, 'Enter')).toBeNull();
    expect(clampPosition({ x: 12_000.4, y: Number.NaN })).toEqual({ x: 10_000, y: 0 });
  });

  it('reads typed coordinates', () => {
    expect(parseCoordinate(' 2500 ')).toBe(2500);
    expect(parseCoordinate('10001')).toBeNull();
    expect(parseCoordinate('-1')).toBeNull();
    expect(parseCoordinate('abc')).toBeNull();
  });
});

describe('roster', () => {
  it('names weekdays in the current language', () => {
    expect(weekdayName(1, 'en')).toBe('Monday');
    expect(weekdayName(7, 'zh-CN')).toBe('星期日');
    expect(weekdayName(3, 'zh-CN', 'short')).toBe('周三');
  });

  it('orders shifts and knows an overnight one', () => {
    const shifts = [
      { weekday: 3, starts: '08:00', ends: '12:00' },
      { weekday: 1, starts: '20:00', ends: '08:00' },
      { weekday: 1, starts: '08:00', ends: '20:00' },
    ];
    expect(sortShifts(shifts).map((s) => `${s.weekday} ${s.starts}`)).toEqual(['1 08:00', '1 20:00', '3 08:00']);
    expect(overnight(shifts[1]!)).toBe(true);
    expect(overnight(shifts[0]!)).toBe(false);
  });

  it('finds bad times before sending, with the API’s paths', () => {
    const issues = rosterIssues(
      [
        { weekday: 1, starts: '8:00', ends: '18:00' },
        { weekday: 2, starts: '09:00', ends: '09:00' },
      ],
      { time: 'HH:MM', same: 'same' },
    );
    expect(issues).toEqual([
      { path: 'roster.0.starts', message: 'HH:MM' },
      { path: 'roster.1.ends', message: 'same' },
    ]);
  });
});

describe('channels', () => {
  it('edits each kind of channel through one draft', () => {
    expect(fromDraft({ ...toDraft({ type: 'dingtalk', url: 'https://oapi.dingtalk.com/robot/send?access_token=x' }), secret: ' SEC1 ' })).toEqual({
      type: 'dingtalk',
      url: 'https://oapi.dingtalk.com/robot/send?access_token=x',
      secret: 'SEC1',
    });
    expect(fromDraft(toDraft({ type: 'sms', phone: '+8613800000000' }))).toEqual({ type: 'sms', phone: '+8613800000000' });
    expect(fromDraft({ type: 'wecom', url: ' https://qyapi.weixin.qq.com/x ', secret: 'ignored', phone: '1' })).toEqual({ type: 'wecom', url: 'https://qyapi.weixin.qq.com/x' });
    expect(channelFields('webhook')).toEqual(['url', 'secret']);
  });
});

describe('sections', () => {
  it('falls back to places for an unknown section', () => {
    expect(sectionOf('rules')).toBe('rules');
    expect(sectionOf(undefined)).toBe('places');
    expect(sectionOf('nope')).toBe('places');
  });
});
