/**
 * One incident's detail (`GET /incidents/{id}`), re-read shortly after the live stream tells of a
 * change: an `incident.updated` of it, or an `alert.updated` of one of its alerts (both land in the
 * stores, which this watches). A link into another community switches the dashboard to it.
 */
import { computed, onScopeDispose, shallowRef, watch } from 'vue';
import type { Alert } from '../../../../contract/index.ts';
import type { IncidentDetail } from '../../api/types.ts';
import { useAppState } from '../../state/app-state.ts';

export const INCIDENT_REFRESH_MS = 300;

export function useIncident(id: () => string, refreshMs = INCIDENT_REFRESH_MS) {
  const { api, incidents, alerts, communities } = useAppState();
  const detail = shallowRef<IncidentDetail | null>(null);
  const error = shallowRef<unknown>(null);
  let generation = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  async function load() {
    clearTimeout(timer);
    const mine = ++generation;
    const wanted = id();
    try {
      const answer = await api.incident(wanted);
      if (mine !== generation) return;
      detail.value = answer;
      error.value = null;
      if (answer.communityId !== communities.selectedId.value && communities.list.value.some((c) => c.id === answer.communityId)) {
        communities.select(answer.communityId);
      }
    } catch (failure) {
      if (mine === generation) error.value = failure;
    }
  }

  /** The live versions win over the fetched ones until the next read. */
  const incident = computed(() => {
    const fetched = detail.value;
    if (!fetched) return null;
    const live = incidents.byId.get(fetched.id);
    return live ? { ...fetched, ...live } : fetched;
  });
  const incidentAlerts = computed<Alert[]>(() => (detail.value?.alerts ?? []).map((a) => alerts.byId.get(a.id) ?? a));

  const liveMarks = computed(() => [incidents.byId.get(id()), ...alerts.all.value.filter((a) => a.incidentId === id())]);
  watch(liveMarks, (now, before) => {
    if (before === undefined || (now.length === before.length && now.every((x, i) => x === before[i]))) return;
    clearTimeout(timer);
    timer = setTimeout(() => void load(), refreshMs);
  });
  watch(id, () => {
    detail.value = null;
    void load();
  }, { immediate: true });
  onScopeDispose(() => clearTimeout(timer));

  return { detail, incident, alerts: incidentAlerts, error, reload: load };
}
