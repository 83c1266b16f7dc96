/** Prometheus metrics (prom-client), one registry per service instance so tests can run several. */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'anju_' });
  /**
   * Accepted messages are counted per message on the gateway's hot path: in plain numbers, added to the
   * counter whenever it is read (a scrape, `get()`), so every reading of it is exact.
   */
  const accepted = new Map<string, Map<string, { labels: { channel: string; kind: string }; n: number }>>();
  const messagesAccepted = new Counter({
    name: 'anju_mqtt_messages_accepted_total',
    help: 'Device messages accepted, by channel and device kind',
    labelNames: ['channel', 'kind'] as const,
    registers: [registry],
    collect() {
      for (const byKind of accepted.values()) {
        for (const entry of byKind.values()) {
          if (!entry.n) continue;
          this.inc(entry.labels, entry.n);
          entry.n = 0;
        }
      }
    },
  });
  return {
    registry,
    messagesAccepted,
    /** One accepted message (the same as `messagesAccepted.inc({ channel, kind })`, cheaper). */
    countAccepted(channel: string, kind: string): void {
      let byKind = accepted.get(channel);
      if (!byKind) accepted.set(channel, (byKind = new Map()));
      const entry = byKind.get(kind);
      if (entry) entry.n++;
      else byKind.set(kind, { labels: { channel, kind }, n: 1 });
    },
    messagesRejected: new Counter({
      name: 'anju_mqtt_messages_rejected_total',
      help: 'Device messages rejected, by reason (error code)',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    messagesDuplicate: new Counter({
      name: 'anju_mqtt_messages_duplicate_total',
      help: 'Device messages dropped as repeats of (device, seq)',
      registers: [registry],
    }),
    mqttRefusals: new Counter({
      name: 'anju_mqtt_refusals_total',
      help: 'Connections, publishes and subscriptions refused by the gateway, by reason',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    alertsRaised: new Counter({
      name: 'anju_alerts_raised_total',
      help: 'Alerts raised (new, or climbing to a higher level), by level',
      labelNames: ['level'] as const,
      registers: [registry],
    }),
    ingestLatency: new Histogram({
      name: 'anju_ingest_latency_seconds',
      help: 'From receipt by the broker to stored and evaluated by the rules',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    ingestBacklog: new Gauge({ name: 'anju_ingest_backlog_messages', help: 'Journaled messages not yet stored', registers: [registry] }),
    journalEntries: new Gauge({ name: 'anju_ingest_journal_entries', help: 'Entries kept in the ingest journal', registers: [registry] }),
    notifications: new Counter({ name: 'anju_notifications_total', help: 'Notification outcomes, by channel', labelNames: ['channel', 'outcome'] as const, registers: [registry] }),
    commands: new Counter({ name: 'anju_commands_total', help: 'Commands sent to devices, by outcome', labelNames: ['outcome'] as const, registers: [registry] }),
    storeFailures: new Counter({ name: 'anju_store_failures_total', help: 'Failed batch writes (retried)', labelNames: ['sink'] as const, registers: [registry] }),
    storageUp: new Gauge({ name: 'anju_storage_up', help: '1 while the database answers, 0 while it does not', registers: [registry] }),
    devicesOnline: new Gauge({ name: 'anju_devices_online', help: 'Devices with at least one connection', registers: [registry] }),
    liveSubscribers: new Gauge({ name: 'anju_live_subscribers', help: 'Open live-stream connections', registers: [registry] }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
