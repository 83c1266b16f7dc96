import { describe, expect, it } from 'vitest';
import { makeRule } from '../testing/admin-fixtures.ts';
import { formToUpdate, ruleLevels, ruleToForm } from './rule-form.ts';

describe('rule form', () => {
  it('round-trips a threshold rule into the PUT body', () => {
    const rule = makeRule();
    const form = ruleToForm(rule);
    expect(form.steps).toEqual([
      { level: 'orange', value: '10' },
      { level: 'red', value: '25' },
    ]);
    expect(formToUpdate(form)).toEqual({
      name: rule.name,
      category: 'gas',
      enabled: true,
      optIn: false,
      condition: rule.condition,
      debounce: null,
      schedule: null,
    });
  });

  it('sends an empty number as null so the API names the field', () => {
    const form = ruleToForm(makeRule());
    form.steps[1]!.value = '';
    expect(JSON.parse(JSON.stringify(formToUpdate(form))).condition.steps[1]).toEqual({ level: 'red', value: null });
  });

  it('takes the numbers a number input hands over as well as text', () => {
    const form = ruleToForm(makeRule());
    (form as unknown as { forS: number }).forS = 5;
    form.hysteresis = ' 1.5 ';
    expect(formToUpdate(form).condition).toMatchObject({ forS: 5, hysteresis: 1.5 });
  });

  it('adds a schedule and a debounce when switched on, sorted days', () => {
    const form = ruleToForm(makeRule({ condition: { type: 'event', event: 'alarm', level: 'red' } }));
    form.scheduleOn = true;
    form.days = [5, 1, 3];
    form.debounceOn = true;
    form.debounceCount = '3';
    form.debounceWindowS = '600';
    form.clearEvent = 'alarm_cleared';
    const body = formToUpdate(form);
    expect(body.schedule).toEqual({ days: [1, 3, 5], from: '08:00', to: '18:00' });
    expect(body.debounce).toEqual({ count: 3, windowS: 600 });
    expect(body.condition).toEqual({ type: 'event', event: 'alarm', level: 'red', clearEvent: 'alarm_cleared' });
  });

  it('keeps the fields of each condition type', () => {
    const absence = ruleToForm(makeRule({ condition: { type: 'absence', event: 'open', periodS: 86_400, level: 'yellow' } }));
    expect(formToUpdate(absence).condition).toEqual({ type: 'absence', event: 'open', periodS: 86_400, level: 'yellow' });
    const rate = ruleToForm(makeRule({ condition: { type: 'rate', metric: 'temperature', direction: 'rise', perMinute: 8, windowS: 60, level: 'orange' } }));
    expect(formToUpdate(rate).condition).toEqual({ type: 'rate', metric: 'temperature', direction: 'rise', perMinute: 8, windowS: 60, level: 'orange' });
    const silence = ruleToForm(makeRule({ condition: { type: 'silence', intervals: 3, level: 'blue' } }));
    expect(formToUpdate(silence).condition).toEqual({ type: 'silence', intervals: 3, level: 'blue' });
  });

  it('names the levels a rule can raise', () => {
    expect(ruleLevels(makeRule())).toEqual(['orange', 'red']);
    expect(ruleLevels(makeRule({ condition: { type: 'silence', intervals: 3, level: 'blue' } }))).toEqual(['blue']);
  });
});
