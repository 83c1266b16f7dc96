/** What the HTTP layer is given: stores and services built by the service, never globals. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Role } from '../../contract/index.ts';
import type { DeviceDirectory } from '../../gateway/device-info.ts';
import type { AlertService } from '../alerts/service.ts';
import type { Principal } from '../auth/principal.ts';
import type { Clock } from '../clock.ts';
import type { HouseholdStore } from '../care/household-store.ts';
import type { IndicatorStore } from '../indicators/store.ts';
import type { VisitStore } from '../care/visit-store.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import type { KioskService } from '../kiosks/service.ts';
import type { DeviceLiveState } from '../devices/live-state.ts';
import { ApiError, invalidField } from '../errors.ts';
import type { LiveHub } from '../live/hub.ts';
import type { Logger } from '../logger.ts';
import { DAY_MS } from '../local-time.ts';
import type { Metrics } from '../metrics.ts';
import type { AlertStore } from '../store/alerts.ts';
import type { CommandService } from '../commands/service.ts';
import type { CommandStore } from '../store/commands.ts';
import type { DeadLetterStore } from '../store/dead-letters.ts';
import type { BroadcastService } from '../dispatch/broadcast.ts';
import type { StorageMonitor } from '../health/storage-monitor.ts';
import type { PolicyStore } from '../dispatch/policy.ts';
import type { NotificationOutbox } from '../notify/outbox.ts';
import type { RequestsModule } from '../requests/module.ts';
import type { RuleRuntime } from '../rules/runtime.ts';
import type { RuleStore } from '../rules/rule-store.ts';
import type { IncidentStore } from '../store/incidents.ts';
import type { MaintenanceStore } from '../store/maintenance.ts';
import type { RefusalStore } from '../store/refusals.ts';
import type { DeviceStore } from '../store/devices.ts';
import type { PeopleStore } from '../store/people.ts';
import type { RegistryStore } from '../store/registry.ts';
import type { TelemetryHistory } from '../telemetry/history.ts';

export interface AppDeps {
  config: Config;
  db: Database;
  registry: RegistryStore;
  devices: DeviceStore;
  deviceState: DeviceLiveState;
  people: PeopleStore;
  alerts: AlertStore;
  alertService: AlertService;
  deadLetters: DeadLetterStore;
  refusals: RefusalStore;
  incidents: IncidentStore;
  ruleStore: RuleStore;
  rules: RuleRuntime;
  policy: PolicyStore;
  outbox: NotificationOutbox;
  maintenance: MaintenanceStore;
  broadcasts: BroadcastService;
  storageMonitor: StorageMonitor;
  commands: CommandService;
  commandStore: CommandStore;
  history: TelemetryHistory;
  /** Residents' requests (接诉即办). */
  requests: RequestsModule;
  kiosks: KioskService;
  households: HouseholdStore;
  indicators: IndicatorStore;
  visits: VisitStore;
  live: LiveHub;
  metrics: Metrics;
  clock: Clock;
  logger: Logger;
  jwtSecret: string;
  /** Serves one MQTT-over-WebSocket connection; absent in API-only tests. */
  mqttOverWebSocket?: (stream: import('node:stream').Duplex, request: import('node:http').IncomingMessage) => void;
  /** Device credentials and identities, for the MQTT cluster's HTTP hooks. */
  directory: DeviceDirectory;
  /** The platform's own login on an upstream MQTT cluster, which the hooks leave to the cluster. */
  upstreamUsername?: string;
  /** Built dashboard (index.html and assets); absent when not built. */
  dashboardDir?: string;
  /** Whether the service is ready (database reachable, broker listening). */
  ready: () => Promise<{ ready: boolean; checks: Record<string, string> }>;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: { sub: string; role: Role };
  }
}

/** preHandler: the caller must hold one of `roles`. */
export function requireRole(...roles: Role[]) {
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    if (!roles.includes(request.principal.role)) throw new ApiError('forbidden', { required: roles, role: request.principal.role });
  };
}

/** Who did it and from where, for the audit trail. */
export function requestSource(request: FastifyRequest): string {
  const agent = String(request.headers['user-agent'] ?? '').slice(0, 80);
  return agent ? `${request.ip} ${agent}` : request.ip;
}

/** `me` in a query: the caller's own worker id; a 400 on `field` when the account is not linked to a worker. */
export function ownWorkerId(p: Principal, field: string): string {
  if (!p.workerId) throw invalidField(field, 'your account is not linked to a worker');
  return p.workerId;
}

/** An instant in a query or body: epoch ms, or an ISO string. */
export function toMs(value: string | number | undefined): number | undefined {
  return value === undefined ? undefined : typeof value === 'number' ? value : Date.parse(value);
}

/** The widest range one history or statistics query may span. */
export const MAX_RANGE_MS = 366 * DAY_MS;

/** A query's [from, to): `to` defaults to now and `from` to `defaultSpanMs` before `to`; at most 366 days. */
export function timeRange(query: { from?: string | number; to?: string | number }, now: number, defaultSpanMs: number): { from: number; to: number } {
  const to = toMs(query.to) ?? now;
  const from = toMs(query.from) ?? to - defaultSpanMs;
  if (from > to) throw invalidField('from', 'must not be after to');
  if (to - from > MAX_RANGE_MS) throw invalidField('from', 'the range may span at most 366 days');
  return { from, to };
}
