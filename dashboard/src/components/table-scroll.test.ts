import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { defineComponent, h, withDirectives } from 'vue';
import { vTableScroll } from './table-scroll.ts';

function box(caption: string | null) {
  return mount(
    defineComponent({
      render: () => withDirectives(h('div', { class: 'table-scroll' }, [h('table', [caption === null ? null : h('caption', caption), h('tbody', [h('tr', [h('td', '1')])])])]), [[vTableScroll]]),
    }),
  );
}

describe('v-table-scroll', () => {
  it('makes the box focusable (keyboard scrolling) and names it by the table caption', () => {
    const wrapper = box('住户');
    const div = wrapper.get('.table-scroll');
    expect(div.attributes('tabindex')).toBe('0');
    expect(div.attributes('role')).toBe('group');
    const caption = wrapper.get('caption');
    expect(caption.attributes('id')).toMatch(/^table-caption-\d+$/);
    expect(div.attributes('aria-labelledby')).toBe(caption.attributes('id'));
  });

  it('gives each caption an id of its own, and no name without one', () => {
    const [a, b] = [box('一'), box('二')];
    expect(a.get('caption').attributes('id')).not.toBe(b.get('caption').attributes('id'));
    expect(box(null).get('.table-scroll').attributes('aria-labelledby')).toBeUndefined();
  });
});
