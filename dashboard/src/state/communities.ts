/** The communities in the user's scope and the selected one (remembered in localStorage). */
import { computed, shallowRef } from 'vue';
import type { Community } from '../../../contract/index.ts';

const STORAGE_KEY = 'anju.community';

export function createCommunityStore(storage: Storage | undefined = globalThis.localStorage) {
  const list = shallowRef<Community[]>([]);
  const loaded = shallowRef(false);
  const selectedId = shallowRef<string | null>(storage?.getItem(STORAGE_KEY) ?? null);

  return {
    list,
    loaded,
    selectedId,
    selected: computed(() => list.value.find((c) => c.id === selectedId.value) ?? null),
    /** Sets the list; keeps the remembered choice when it is still in scope, else picks the first. */
    setList(communities: Community[]) {
      list.value = communities;
      loaded.value = true;
      if (!communities.some((c) => c.id === selectedId.value)) selectedId.value = communities[0]?.id ?? null;
    },
    select(id: string) {
      selectedId.value = id;
      storage?.setItem(STORAGE_KEY, id);
    },
    clear() {
      list.value = [];
      loaded.value = false;
    },
  };
}

export type CommunityStore = ReturnType<typeof createCommunityStore>;
