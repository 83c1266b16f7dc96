/**
 * The tab title. A page inside the signed-in frame names itself with `usePageTitle`; the frame
 * (ShellView) owns `document.title` and puts the count of unacknowledged alerts (and the red-alert
 * flash) in front of the page's name, so neither overwrites the other.
 */
import { getCurrentInstance, onUnmounted, shallowRef, watchEffect, type ShallowRef } from 'vue';
import { useAppState } from './app-state.ts';

export interface PageTitle {
  /** The current page's own title, or null for the frame's default. */
  text: ShallowRef<string | null>;
}

export function createPageTitle(): PageTitle {
  return { text: shallowRef<string | null>(null) };
}

/** Names the current page in the tab title while the calling component is mounted. */
export function usePageTitle(title: () => string): void {
  const { pageTitle } = useAppState();
  let mine: string | null = null;
  watchEffect(() => {
    mine = title();
    pageTitle.text.value = mine;
  });
  if (getCurrentInstance())
    onUnmounted(() => {
      // The next page may already have named itself.
      if (pageTitle.text.value === mine) pageTitle.text.value = null;
    });
}
