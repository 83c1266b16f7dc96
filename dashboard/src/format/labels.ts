/** Human labels in the current language, built from the catalogue and the device list. */
import { useI18n } from 'vue-i18n';
import type { DeviceLocation, LocalizedText } from '../../../contract/index.ts';
import type { Locale } from '../i18n/index.ts';
import { useAppState } from '../state/app-state.ts';
import { placeText } from './place.ts';

export function useLabels() {
  const { t, locale } = useI18n();
  const { catalogue, devices } = useAppState();
  const lookup = {
    building: (id: string) => catalogue.buildings.value.get(id),
    grid: (id: string) => catalogue.grids.value.get(id),
  };

  const localized = (text: LocalizedText) => text[locale.value as Locale] ?? text['zh-CN'];

  return {
    localized,
    kindName(kind: string): string {
      const info = catalogue.kinds.value.get(kind);
      return info ? localized(info.name) : kind;
    },
    /** The device's name when it has one, else its id. */
    deviceName(deviceId: string): string {
      return devices.byId.get(deviceId)?.name ?? deviceId;
    },
    place(location: DeviceLocation | null, gridId: string | null): string {
      return placeText(location, gridId, lookup, (key, params) => (params ? t(key, params) : t(key)));
    },
  };
}
