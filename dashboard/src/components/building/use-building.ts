/**
 * Finds a building by id: in the catalogue of the selected community, else in the other communities
 * of the user's scope (a link may lead to another community: the dashboard then switches to it).
 */
import { computed, shallowRef, watch } from 'vue';
import type { Building } from '../../../../contract/index.ts';
import { useAppState } from '../../state/app-state.ts';

export type LookupState = 'loading' | 'ready' | 'missing';

export function useBuilding(id: () => string) {
  const { api, catalogue, communities } = useAppState();
  const fetched = shallowRef<Building | null>(null);
  const state = shallowRef<LookupState>('loading');
  let generation = 0;

  const building = computed(() => catalogue.buildings.value.get(id()) ?? (fetched.value?.id === id() ? fetched.value : null));

  async function find() {
    const mine = ++generation;
    const wanted = id();
    if (catalogue.buildings.value.has(wanted)) {
      state.value = 'ready';
      return;
    }
    if (!communities.loaded.value) return;
    state.value = 'loading';
    const selected = communities.selectedId.value;
    const order = [...communities.list.value].sort((a, b) => Number(b.id === selected) - Number(a.id === selected));
    for (const community of order) {
      const found = await api.buildings(community.id).then(
        (list) => list.find((b) => b.id === wanted),
        () => undefined,
      );
      if (mine !== generation) return;
      if (found) {
        fetched.value = found;
        state.value = 'ready';
        if (community.id !== selected) communities.select(community.id);
        return;
      }
    }
    state.value = 'missing';
  }

  watch([id, communities.loaded], () => void find(), { immediate: true });
  return { building, state };
}
