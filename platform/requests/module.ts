/** Wires residents' requests into the service: the policy, the store, the timers and the kiosk events. */
import type { JournalEntry } from '../../gateway/journal/ingest-journal.ts';
import type { Clock } from '../clock.ts';
import type { CommandService } from '../commands/service.ts';
import type { Database } from '../db/database.ts';
import type { OutboxPort } from '../dispatch/outbox-port.ts';
import type { LiveHub } from '../live/hub.ts';
import type { Logger } from '../logger.ts';
import type { RuleRuntime } from '../rules/runtime.ts';
import type { DeviceStore } from '../store/devices.ts';
import type { PeopleStore } from '../store/people.ts';
import type { TimerStore } from '../store/timers.ts';
import { RequestPolicyStore } from './policy.ts';
import { REQUEST_ESCALATE, REQUEST_REMIND, RequestService } from './service.ts';
import { RequestStore } from './store.ts';

export interface RequestsModule {
  service: RequestService;
  store: RequestStore;
  policy: RequestPolicyStore;
  /** Journal entries after evaluation: kiosk `request_submitted` events become requests. */
  observe(entries: readonly JournalEntry[]): Promise<void>;
}

export interface RequestsDeps {
  db: Database;
  people: PeopleStore;
  devices: DeviceStore;
  timers: TimerStore;
  outbox: OutboxPort;
  live: LiveHub;
  rules: RuleRuntime;
  commands: CommandService;
  clock: Clock;
  logger: Logger;
}

export async function startRequests(deps: RequestsDeps): Promise<RequestsModule> {
  const store = new RequestStore(deps.db);
  const policy = new RequestPolicyStore(deps.db);
  await policy.load();
  const service = new RequestService({
    db: deps.db,
    store,
    policy,
    people: deps.people,
    timers: deps.timers,
    outbox: deps.outbox,
    live: deps.live,
    clock: deps.clock,
    logger: deps.logger,
    kioskPlace: async (deviceId) => {
      const row = await deps.devices.getRow(deviceId);
      return row && { communityId: row.community_id, gridId: row.grid_id, buildingId: row.building_id ?? row.location?.buildingId ?? null };
    },
    kioskReceipt: async (deviceId, receipt) => {
      const row = await deps.devices.getRow(deviceId);
      if (row) await deps.commands.send(row, { command: 'request_receipt', args: receipt, timeoutS: 60 }, 'system');
    },
  });
  deps.rules.handleTimers(REQUEST_ESCALATE, (timer, client, now) => service.onEscalateTimer(timer, client, now));
  deps.rules.handleTimers(REQUEST_REMIND, (timer, client, now) => service.onRemindTimer(timer, client, now));
  return {
    service,
    store,
    policy,
    async observe(entries) {
      for (const { kind, message } of entries) {
        if (kind !== 'kiosk' || message.type !== 'event' || message.event !== 'request_submitted') continue;
        // One failed request must not cost the rest of the batch; the event itself is stored either way.
        await service.fromKiosk(message).catch((err: unknown) => deps.logger.error({ err, deviceId: message.deviceId }, 'could not take a request from a kiosk'));
      }
    },
  };
}
