/**
 * Everything the grid worker's phone view shows, kept in step with the server: who I am (my worker
 * record and grids), the places of my community for labels, my grid's devices, my alerts, my visits
 * this month, my residents' requests and (for a kiosk maintainer) my kiosk work orders.
 * `resync` re-reads it all (on every (re)connect); `apply` takes live events in between.
 */
import { computed, shallowRef } from 'vue';
import type { Building, Grid, LiveEvent, Worker } from '../../../contract/index.ts';
import type { ApiClient } from '../api/client.ts';
import type { PlaceLookup } from '../format/place.ts';
import { createDeviceStore } from '../state/devices.ts';
import { devicesNeedingAttention } from './attention.ts';
import { createMyAlerts } from './my-alerts.ts';
import { createMyRequests } from './my-requests.ts';
import { createMyVisits } from './my-visits.ts';
import { createMyWorkOrders } from './my-work-orders.ts';

export type DeskApi = Pick<ApiClient, 'communities' | 'workers' | 'grids' | 'buildings' | 'devices' | 'myAlerts' | 'visitsDue' | 'requests' | 'kiosks' | 'workOrders'>;

export interface WorkerDeskDeps {
  api: DeskApi;
  workerId: () => string | null;
}

/** My worker record, found among the workers of the communities in my scope. */
async function findMe(api: DeskApi, workerId: string): Promise<Worker | null> {
  const communities = await api.communities();
  const lists = await Promise.all(communities.map((c) => api.workers(c.id)));
  return lists.flat().find((w) => w.id === workerId) ?? null;
}

export function createWorkerDesk(deps: WorkerDeskDeps) {
  const { api } = deps;
  const me = shallowRef<Worker | null>(null);
  /** False until the first resync answered; then whether my worker record was found. */
  const profileLoaded = shallowRef(false);
  const grids = shallowRef(new Map<string, Grid>());
  const buildings = shallowRef(new Map<string, Building>());
  const devices = createDeviceStore();
  const alerts = createMyAlerts({ api, workerId: deps.workerId });
  const visits = createMyVisits({ api });
  const requests = createMyRequests({ api, workerId: deps.workerId });
  const workOrders = createMyWorkOrders({ api, workerId: deps.workerId });
  const error = shallowRef<unknown>(null);
  let generation = 0;
  let heldDevices: LiveEvent[] | null = null;

  const gridIds = computed(() => (me.value ? new Set(me.value.gridIds) : new Set<string>()));

  function applyDevice(event: LiveEvent) {
    if (event.type !== 'device.status') return;
    const { device } = event;
    if (device.gridId !== null && gridIds.value.has(device.gridId)) devices.upsert(device);
    else devices.byId.delete(device.id);
  }

  async function loadPlaces(): Promise<void> {
    const workerId = deps.workerId();
    const mine = ++generation;
    heldDevices ??= [];
    try {
      const found = workerId ? await findMe(api, workerId) : null;
      if (mine !== generation) return;
      if (found) {
        const [gridList, buildingList, deviceList] = await Promise.all([api.grids(found.communityId), api.buildings(found.communityId), api.devices(found.communityId)]);
        if (mine !== generation) return;
        grids.value = new Map(gridList.map((g) => [g.id, g]));
        buildings.value = new Map(buildingList.map((b) => [b.id, b]));
        me.value = found;
        const own = new Set(found.gridIds);
        devices.replace(deviceList.filter((d) => d.gridId !== null && own.has(d.gridId)));
      } else {
        me.value = null;
        devices.replace([]);
      }
      profileLoaded.value = true;
      error.value = null;
    } catch (failure) {
      if (mine !== generation) return;
      error.value = failure;
    }
    const pending = heldDevices ?? [];
    heldDevices = null;
    for (const event of pending) applyDevice(event);
  }

  const places: PlaceLookup = {
    building: (id) => buildings.value.get(id),
    grid: (id) => grids.value.get(id),
  };

  return {
    me,
    profileLoaded,
    devices,
    alerts,
    visits,
    requests,
    workOrders,
    places,
    error,
    /** My alerts, live: active ones addressed to me, red first. */
    myAlerts: alerts.list,
    /** My grid's devices that need a visit, most pressing first. */
    attention: computed(() => devicesNeedingAttention(devices.all.value, gridIds.value)),
    apply(event: LiveEvent): void {
      if (event.type === 'device.status') {
        if (heldDevices) heldDevices.push(event);
        else applyDevice(event);
      } else if (event.type === 'request.updated') {
        requests.apply(event);
      } else {
        alerts.apply(event);
      }
    },
    async resync(): Promise<void> {
      // Each list keeps its own error: one service failing does not blank the others.
      await Promise.all([alerts.resync(), loadPlaces(), visits.resync(), requests.resync(), workOrders.resync()]);
    },
    clear(): void {
      generation += 1;
      heldDevices = null;
      alerts.clear();
      visits.clear();
      requests.clear();
      workOrders.clear();
      devices.clear();
      me.value = null;
      profileLoaded.value = false;
    },
  };
}

export type WorkerDesk = ReturnType<typeof createWorkerDesk>;
