import { computed } from 'vue';
import type { Alert } from '../../../contract/index.ts';
import { useLabels } from '../format/labels.ts';

/** An alert's title, place and device in the reader's language, as the alert rows and queue rows show them. */
export function useAlertWords(alert: () => Alert) {
  const labels = useLabels();
  return {
    title: computed(() => labels.localized(alert().title)),
    place: computed(() => labels.place(alert().location, alert().gridId)),
    device: computed(() => `${labels.kindName(alert().deviceKind)} · ${labels.deviceName(alert().deviceId)}`),
  };
}
