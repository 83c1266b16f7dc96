/** Elderly care wired together: households and residents, visits, and the inactivity monitor. */
import type { JournalEntry } from '../../gateway/journal/ingest-journal.ts';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/database.ts';
import type { Logger } from '../logger.ts';
import type { RuleSignal } from '../rules/signals.ts';
import type { RegistryStore } from '../store/registry.ts';
import { HouseholdStore } from './household-store.ts';
import { InactivityMonitor } from './inactivity-monitor.ts';
import { VisitStore } from './visit-store.ts';

const SWEEP_EVERY_MS = 5 * 60_000;
const PRUNE_EVERY_MS = 24 * 3600_000;

export interface Care {
  households: HouseholdStore;
  visits: VisitStore;
  inactivity: InactivityMonitor;
  /** Sees every stored batch (signs of life). */
  observe(entries: readonly JournalEntry[]): Promise<void>;
  /** The service's sweep: looks for quiet households every 5 minutes, prunes old activity daily. */
  tick(): Promise<void>;
}

export function createCare(deps: { db: Database; registry: RegistryStore; handle: (signals: RuleSignal[]) => Promise<void>; clock: Clock; logger: Logger }): Care {
  const households = new HouseholdStore(deps.db, deps.registry);
  const inactivity = new InactivityMonitor({ db: deps.db, households, handle: deps.handle, clock: deps.clock, logger: deps.logger });
  let swept = -Infinity;
  let pruned = deps.clock.now();
  return {
    households,
    visits: new VisitStore(deps.db),
    inactivity,
    observe: (entries) => inactivity.observe(entries),
    tick: async () => {
      const now = deps.clock.now();
      if (now - swept >= SWEEP_EVERY_MS) {
        swept = now;
        await inactivity.sweep();
      }
      if (now - pruned >= PRUNE_EVERY_MS) {
        pruned = now;
        await inactivity.prune();
      }
    },
  };
}
