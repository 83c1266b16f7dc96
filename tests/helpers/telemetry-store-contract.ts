/**
 * The contract every telemetry store passes (the aedes way: one abstract suite, run per backend).
 * Ranges are aligned to bucket boundaries, since stores may count a bucket whole or from the range start.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NormalisedEvent, NormalisedTelemetry } from '../../gateway/ingest/message.ts';
import type { TelemetryStore } from '../../platform/telemetry/store.ts';

const DAY = 86_400_000;

export function telemetryStoreContract(name: string, open: () => Promise<{ store: TelemetryStore; close: () => Promise<void> }>): void {
  describe(`telemetry store contract: ${name}`, () => {
    let store: TelemetryStore;
    let close: () => Promise<void>;
    const device = `dev-${randomBytes(4).toString('hex')}`;
    const other = `${device}-b`;
    // Yesterday 00:00 UTC: inside every store's retention and partitions.
    const day = Math.floor(Date.now() / DAY) * DAY - DAY;
    const reading = (ts: number, values: Record<string, number>, id = device): NormalisedTelemetry => ({ type: 'telemetry', deviceId: id, ts, seq: undefined, values, receivedAt: ts });
    const event = (ts: number, name: string, data?: Record<string, unknown>, seq?: number): NormalisedEvent => ({ type: 'event', deviceId: device, ts, seq, event: name, data, receivedAt: ts });

    beforeAll(async () => {
      ({ store, close } = await open());
      await store.write({
        readings: [
          reading(day + 10_000, { gas_lel: 1, battery: 90 }),
          reading(day + 20_000, { gas_lel: 3 }),
          reading(day + 50_000, { gas_lel: 2 }),
          reading(day + 70_000, { gas_lel: 10 }),
          reading(day + 3_600_000 + 5_000, { gas_lel: 4 }),
          reading(day + 15_000, { gas_lel: 99 }, other),
        ],
        events: [event(day + 30_000, 'alarm', { zone: 'kitchen' }, 7), event(day + 90_000, 'fault')],
      });
      await store.write({ readings: [reading(day + 2 * 3_600_000, { gas_lel: 5 })], events: [] });
    });
    afterAll(() => close?.());

    const range = { from: day, to: day + DAY - 1 };

    it('reads raw points back in ascending time, for one device and metric only', async () => {
      const points = await store.readings(device, 'gas_lel', range, undefined, 100);
      expect(points.map((p) => [p.ts, p.value])).toEqual([
        [new Date(day + 10_000).toISOString(), 1],
        [new Date(day + 20_000).toISOString(), 3],
        [new Date(day + 50_000).toISOString(), 2],
        [new Date(day + 70_000).toISOString(), 10],
        [new Date(day + 3_605_000).toISOString(), 4],
        [new Date(day + 7_200_000).toISOString(), 5],
      ]);
      expect((await store.readings(device, 'battery', range, undefined, 100)).map((p) => p.value)).toEqual([90]);
    });

    it('returns the latest points when limited, and honours the range inclusively', async () => {
      expect((await store.readings(device, 'gas_lel', range, undefined, 2)).map((p) => p.value)).toEqual([4, 5]);
      expect((await store.readings(device, 'gas_lel', { from: day + 20_000, to: day + 70_000 }, undefined, 100)).map((p) => p.value)).toEqual([3, 2, 10]);
    });

    it('aggregates per minute: min, max, avg, last and count', async () => {
      const points = await store.readings(device, 'gas_lel', { from: day, to: day + 119_999 }, '1m', 100);
      expect(points).toEqual([
        { ts: new Date(day).toISOString(), value: 2, min: 1, max: 3, avg: 2, last: 2, count: 3 },
        { ts: new Date(day + 60_000).toISOString(), value: 10, min: 10, max: 10, avg: 10, last: 10, count: 1 },
      ]);
    });

    it('aggregates per hour and per day', async () => {
      const hours = await store.readings(device, 'gas_lel', range, '1h', 100);
      expect(hours.map((p) => [p.ts, p.count, p.last, p.max])).toEqual([
        [new Date(day).toISOString(), 4, 10, 10],
        [new Date(day + 3_600_000).toISOString(), 1, 4, 4],
        [new Date(day + 7_200_000).toISOString(), 1, 5, 5],
      ]);
      const days = await store.readings(device, 'gas_lel', range, '1d', 100);
      expect(days).toEqual([{ ts: new Date(day).toISOString(), value: 25 / 6, min: 1, max: 10, avg: 25 / 6, last: 5, count: 6 }]);
    });

    it('reads events newest first with their data and seq', async () => {
      const events = await store.events(device, range, 10);
      expect(events).toEqual([
        { ts: new Date(day + 90_000).toISOString(), event: 'fault', data: null, seq: null },
        { ts: new Date(day + 30_000).toISOString(), event: 'alarm', data: { zone: 'kitchen' }, seq: 7 },
      ]);
      expect(await store.events(device, { from: day + 31_000, to: day + 80_000 }, 10)).toEqual([]);
    });
  });
}
