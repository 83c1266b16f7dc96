import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../../contract/errors.ts';
import { createAppI18n } from './index.ts';
import en from './en.ts';
import zhCN from './zh-CN.ts';

function flatten(messages: object, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(messages)) {
    if (value && typeof value === 'object') Object.assign(out, flatten(value, `${prefix}${key}.`));
    else out[`${prefix}${key}`] = value;
  }
  return out;
}

describe('i18n messages', () => {
  const zh = flatten(zhCN);
  const english = flatten(en);

  it('has the same keys in zh-CN and English', () => {
    expect(Object.keys(english).sort()).toEqual(Object.keys(zh).sort());
  });

  it('has a non-empty string for every key in both languages', () => {
    for (const table of [zh, english]) {
      for (const [key, value] of Object.entries(table)) {
        expect(typeof value === 'string' && value.trim().length > 0, key).toBe(true);
      }
    }
  });

  it('uses the same placeholders in both languages', () => {
    const placeholders = (text: unknown) => [...String(text).matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(zh)) expect(placeholders(english[key]), key).toEqual(placeholders(zh[key]));
  });

  it('translates every error code of the contract', () => {
    for (const code of ERROR_CODES) {
      expect(zh[`errors.${code}`], code).toBeTypeOf('string');
      expect(english[`errors.${code}`], code).toBeTypeOf('string');
    }
  });

  it('defaults to zh-CN and interpolates parameters', () => {
    const i18n = createAppI18n();
    expect(i18n.global.locale.value).toBe('zh-CN');
    expect(i18n.global.t('alerts.count', { count: 3 })).toBe('共 3 次');
    i18n.global.locale.value = 'en';
    expect(i18n.global.t('place.floor', { n: 5 })).toBe('Floor 5');
  });
});
