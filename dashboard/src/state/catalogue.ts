/** What labels are made of: device kinds (once), grids and buildings of the selected community. */
import { shallowRef } from 'vue';
import type { Building, Grid } from '../../../contract/index.ts';
import type { ApiClient } from '../api/client.ts';
import type { DeviceKindInfo } from '../api/types.ts';

export function createCatalogue() {
  const kinds = shallowRef(new Map<string, DeviceKindInfo>());
  const grids = shallowRef(new Map<string, Grid>());
  const buildings = shallowRef(new Map<string, Building>());

  return {
    kinds,
    grids,
    buildings,
    async loadKinds(api: ApiClient) {
      if (kinds.value.size) return;
      kinds.value = new Map((await api.deviceKinds()).map((k) => [k.kind, k]));
    },
    async loadCommunity(api: ApiClient, communityId: string) {
      const [gridList, buildingList] = await Promise.all([api.grids(communityId), api.buildings(communityId)]);
      grids.value = new Map(gridList.map((g) => [g.id, g]));
      buildings.value = new Map(buildingList.map((b) => [b.id, b]));
    },
    clear() {
      grids.value = new Map();
      buildings.value = new Map();
    },
  };
}

export type Catalogue = ReturnType<typeof createCatalogue>;
