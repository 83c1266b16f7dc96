import { describe, expect, it } from 'vitest';
import { canTransition } from '../../platform/alerts/lifecycle.ts';

describe('alert lifecycle', () => {
  it('goes open → acknowledged → on_site → resolved', () => {
    expect(canTransition('open', 'acknowledge')).toBe(true);
    expect(canTransition('acknowledged', 'on_site')).toBe(true);
    expect(canTransition('on_site', 'resolve')).toBe(true);
  });

  it('lets an acknowledged alert be resolved without a visit (checked by phone)', () => {
    expect(canTransition('acknowledged', 'resolve')).toBe(true);
  });

  it('forbids skipping acknowledgement, going back, and touching a resolved alert', () => {
    expect(canTransition('open', 'on_site')).toBe(false);
    expect(canTransition('open', 'resolve')).toBe(false);
    expect(canTransition('acknowledged', 'acknowledge')).toBe(false);
    expect(canTransition('on_site', 'acknowledge')).toBe(false);
    for (const action of ['acknowledge', 'on_site', 'resolve'] as const) expect(canTransition('resolved', action)).toBe(false);
  });
});
