/** Kiosk availability within service hours, as the control room reads it: who fell short first, and why. */
import type { Alert, Device, KioskAvailability } from '../../../contract/index.ts';

/** Kiosks not available for their full service hours first (the least available first), then by name. */
export function sortAvailability(list: readonly KioskAvailability[]): KioskAvailability[] {
  return [...list].sort(
    (a, b) => Number(a.fullyAvailable) - Number(b.fullyAvailable) || (a.ratio ?? 1) - (b.ratio ?? 1) || kioskLabel(a.deviceId, a.name).localeCompare(kioskLabel(b.deviceId, b.name)),
  );
}

export function kioskLabel(deviceId: string, name: string | null): string {
  return name ?? deviceId;
}

/** What on the live stream may change the kiosk page: kiosk alerts (work orders follow them) and presence. */
export function kioskSignature(alerts: readonly Alert[], devices: readonly Device[]): string {
  const parts = [
    ...alerts.filter((a) => a.deviceKind === 'kiosk').map((a) => `a:${a.id}:${a.status}`),
    ...devices.filter((d) => d.kind === 'kiosk').map((d) => `d:${d.id}:${d.status}`),
  ];
  return parts.sort().join(',');
}

/** The ratings 1–5 as shares of those rated, for a distribution in words. */
export function ratingShares(ratings: Record<1 | 2 | 3 | 4 | 5, number>, rated: number): { stars: 1 | 2 | 3 | 4 | 5; count: number; share: number }[] {
  return ([5, 4, 3, 2, 1] as const).map((stars) => ({ stars, count: ratings[stars], share: rated ? ratings[stars] / rated : 0 }));
}
