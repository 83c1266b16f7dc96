/**
 * `v-table-scroll` on the box around a wide table (`<div v-table-scroll class="table-scroll">`): on a
 * narrow screen the table scrolls sideways inside the box (styles.css) instead of the page. The box is
 * made focusable, so a keyboard can scroll it, and is a group named by the table's caption (a group,
 * not a region: the panel around it is already the landmark of that name).
 */
import type { Directive } from 'vue';

let captions = 0;

function label(box: HTMLElement) {
  box.tabIndex = 0;
  box.setAttribute('role', 'group');
  const caption = box.querySelector('caption');
  if (!caption) {
    box.removeAttribute('aria-labelledby');
    return;
  }
  if (!caption.id) caption.id = `table-caption-${++captions}`;
  box.setAttribute('aria-labelledby', caption.id);
}

export const vTableScroll: Directive<HTMLElement> = {
  mounted: label,
  updated: label,
};
