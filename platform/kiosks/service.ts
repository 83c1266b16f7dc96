/**
 * The kiosk module: records availability changes as they happen (presence, the fault work order,
 * paper below 5 %), opens and closes work orders for each kiosk's maintainer from its fault and
 * paper-low alerts (inside the alert's own transaction, notified through the outbox), stores the
 * services residents complete, and answers availability, work orders, service statistics and coverage.
 */
import type pg from 'pg';
import {
  DEFAULT_SERVICE_HOURS,
  KIOSK_TIME_ZONE,
  PAPER_OUT_BELOW_PCT,
  type Alert,
  type Kiosk,
  type KioskAvailability,
  type KioskAvailabilityAnswer,
  type KioskCoverage,
  type KioskHistoryImport,
  type KioskPatch,
  type KioskServiceRecord,
  type KioskServiceStatsAnswer,
  type KioskWorkOrder,
  type KioskWorkOrderQuery,
  type KioskWorkOrderWithHistory,
} from '../../contract/index.ts';
import type { JournalEntry } from '../../gateway/journal/ingest-journal.ts';
import type { AlertObserver } from '../alerts/service.ts';
import { MAX_RANGE_MS, ownWorkerId, toMs } from '../api/context.ts';
import type { Principal } from '../auth/principal.ts';
import type { Clock } from '../clock.ts';
import { type Database, inTransaction, isTransientDbError, waitForDbRetry } from '../db/database.ts';
import type { AfterCommit } from '../dispatch/dispatcher.ts';
import type { NewNotification, OutboxPort } from '../dispatch/outbox-port.ts';
import { ApiError, invalidField } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Logger } from '../logger.ts';
import { disclosureFor, maskPhone } from '../privacy/mask.ts';
import { DAY_MS, type Interval, localDay, localDayStart } from '../local-time.ts';
import { availability, reasonIntervals, serviceWindows } from './availability.ts';
import { kioskCoverage } from './coverage.ts';
import { type Actor, type KioskRow, KioskStore, type StatsGroup } from './store.ts';


/** The alerts that open a work order, and what for. */
const WORK_ORDER_RULES: Record<string, 'fault' | 'paper'> = { 'kiosk.fault': 'fault', 'kiosk.paper_pct': 'paper' };

export interface KioskServiceDeps {
  db: Database;
  outbox: OutboxPort;
  clock: Clock;
  logger: Logger;
}

export interface PeriodQuery {
  date?: string | undefined;
  from?: string | number | undefined;
  to?: string | number | undefined;
  communityId?: string | undefined;
  deviceId?: string | undefined;
}

const minutes = (ms: number) => Math.round(ms / 600) / 100;
const ratio = (available: number, service: number) => (service > 0 ? Math.round((available / service) * 10_000) / 10_000 : null);
const figures = (serviceMs: number, availableMs: number) => ({
  serviceMinutes: minutes(serviceMs),
  availableMinutes: minutes(availableMs),
  unavailableMinutes: minutes(serviceMs - availableMs),
  ratio: ratio(availableMs, serviceMs),
});

/** A local day (`date`), or `from`/`to`; by default yesterday (local). */
export function resolvePeriod(query: PeriodQuery, now: number): Interval {
  if (query.date !== undefined) {
    if (query.from !== undefined || query.to !== undefined) throw invalidField('date', 'give either date or from/to, not both');
    return localDay(query.date);
  }
  if (query.from === undefined && query.to === undefined) {
    const today = localDayStart(now);
    return { from: today - DAY_MS, to: today };
  }
  const to = toMs(query.to) ?? now;
  const from = toMs(query.from) ?? to - DAY_MS;
  if (!(to > from)) throw invalidField('to', 'must be after from');
  if (to - from > MAX_RANGE_MS) throw invalidField('from', 'the period may span at most 366 days');
  return { from, to };
}

export class KioskService implements AlertObserver {
  readonly store: KioskStore;

  constructor(private readonly deps: KioskServiceDeps) {
    this.store = new KioskStore(deps.db);
  }

  /** At start-up, before devices connect: kiosks last seen online are offline from when they were last heard. */
  async start(): Promise<void> {
    const marked = await this.store.markUnseenOffline();
    if (marked) this.deps.logger.info({ kiosks: marked }, 'kiosks offline until they reconnect');
  }

  // --- what happens

  /** A device connected or disconnected (kiosks only are logged). */
  presence(deviceId: string, online: boolean, at: number): Promise<void> {
    return this.store.logPresence(deviceId, online, at);
  }

  /** A stored batch: paper readings and completed services of kiosks. Retried while the database is away. */
  async observe(entries: readonly JournalEntry[]): Promise<void> {
    const services: Parameters<KioskStore['insertServices']>[0] = [];
    const paper = new Map<string, { at: number; pct: number }[]>();
    for (const { kind, message } of entries) {
      if (kind !== 'kiosk') continue;
      if (message.type === 'telemetry') {
        const pct = message.values.paper_pct;
        if (typeof pct === 'number') paper.set(message.deviceId, [...(paper.get(message.deviceId) ?? []), { at: message.ts, pct }]);
      } else if (message.event === 'service_completed' && message.data) {
        const { service, duration_s: durationS, rating } = message.data as { service: string; duration_s: number; rating?: number };
        services.push({ deviceId: message.deviceId, ts: message.ts, service, durationS, rating: rating ?? null });
      }
    }
    if (!services.length && !paper.size) return;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.store.insertServices(services);
        for (const [deviceId, readings] of paper) await this.logPaper(deviceId, readings);
        return;
      } catch (error) {
        if (!isTransientDbError(error) || attempt >= 30) {
          this.deps.logger.error({ err: error }, 'could not record kiosk paper readings or services');
          return;
        }
        await waitForDbRetry(attempt);
      }
    }
  }

  /** Out of paper below 5 %: one log row per change, not per reading. */
  private async logPaper(deviceId: string, readings: { at: number; pct: number }[]): Promise<void> {
    let previous: boolean | undefined;
    for (const { at, pct } of readings.sort((a, b) => a.at - b.at)) {
      const out = pct < PAPER_OUT_BELOW_PCT;
      if (out === previous) continue;
      previous = out;
      await this.store.logIfChanged(this.deps.db, deviceId, 'no_paper', out, at, `paper ${pct} %`);
    }
  }

  // --- alerts → work orders (inside the alert's transaction)

  concerns(alert: Alert): boolean {
    return alert.deviceKind === 'kiosk' && WORK_ORDER_RULES[alert.rule] !== undefined;
  }

  async raised(client: pg.PoolClient, alert: Alert, _change: string, at: number, after: AfterCommit): Promise<void> {
    const reason = alert.deviceKind === 'kiosk' ? WORK_ORDER_RULES[alert.rule] : undefined;
    // Test mode and maintenance page nobody; they open no work order either.
    if (!reason || alert.test || alert.suppressed) return;
    const maintainer = await this.store.maintainerOf(client, alert.deviceId);
    const detail = reason === 'paper' && alert.value !== null ? `${alert.title['zh-CN']}：${alert.value}% · ${alert.title.en}: ${alert.value} %` : `${alert.title['zh-CN']} · ${alert.title.en}`;
    const order = await this.store.openWorkOrder(client, { id: newId('kwo'), deviceId: alert.deviceId, reason, alertId: alert.id, detail, maintainer: maintainer ?? null, at });
    if (!order) return;
    await this.store.record(client, order.id, at, 'opened', null, detail, { alertId: alert.id, level: alert.level });
    if (reason === 'fault') await this.store.log(client, alert.deviceId, 'fault', true, at, `work order ${order.id}`);
    if (!maintainer) {
      await this.store.record(client, order.id, at, 'not_notified', null, 'no maintainer is set for this kiosk');
      return;
    }
    const recipient = { workerId: maintainer.id, name: maintainer.name, position: maintainer.position };
    const incident = alert.incidentId ? after.incidents.get(alert.incidentId) : undefined;
    // A work order is an assignment to one person: it goes on every channel the maintainer has.
    const items: NewNotification[] = maintainer.channels.map((channel) => ({
      incidentId: alert.incidentId,
      alertId: alert.id,
      event: 'alert.raised',
      stage: 0,
      level: alert.level,
      recipient,
      channel,
      payload: { event: 'alert.raised', alert, ...(incident ? { incident } : {}), recipient, stage: 0, workOrder: { id: order.id, reason, deviceId: alert.deviceId } },
    }));
    if (items.length) {
      await this.deps.outbox.enqueue(client, items, at);
      after.notified = true;
    }
    await this.store.record(client, order.id, at, items.length ? 'notified' : 'not_notified', null, items.length ? null : 'the maintainer has no channels', {
      recipient,
      channels: items.map((i) => i.channel.type),
    });
  }

  async cleared(client: pg.PoolClient, alert: Alert, at: number): Promise<void> {
    if (alert.deviceKind !== 'kiosk' || !WORK_ORDER_RULES[alert.rule]) return;
    const note = WORK_ORDER_RULES[alert.rule] === 'paper' ? 'paper refilled' : 'the condition cleared';
    await this.afterClose(client, await this.store.closeWorkOrders(client, { alertId: alert.id }, { reason: 'condition_cleared', actor: null, note, at }), at, null, note);
  }

  async transitioned(client: pg.PoolClient, alert: Alert, action: string, actor: Actor, at: number, note: string | null): Promise<void> {
    if (action !== 'resolve' || alert.deviceKind !== 'kiosk' || !WORK_ORDER_RULES[alert.rule]) return;
    const text = [alert.disposition, note].filter(Boolean).join(': ') || null;
    await this.afterClose(client, await this.store.closeWorkOrders(client, { alertId: alert.id }, { reason: 'alert_resolved', actor, note: text, at }), at, actor, text);
  }

  private async afterClose(client: pg.PoolClient, closed: KioskWorkOrder[], at: number, actor: Actor | null, note: string | null): Promise<void> {
    for (const order of closed) {
      await this.store.record(client, order.id, at, 'closed', actor, note, { closeReason: order.closeReason });
      if (order.reason === 'fault') await this.store.log(client, order.deviceId, 'fault', false, at, `work order ${order.id} closed`);
    }
  }

  // --- kiosks

  private async toKiosks(p: Principal, rows: KioskRow[]): Promise<Kiosk[]> {
    const ids = rows.map((r) => r.id);
    const now = this.deps.clock.now();
    const reasons = await this.store.currentReasons(ids, now);
    const open = await this.store.openWorkOrderCounts(ids);
    return rows.map((r) => {
      const why = reasons.get(r.id) ?? [];
      const phoneShown = r.maintainer_community_id !== null && disclosureFor(p, { communityId: r.maintainer_community_id, gridId: null }).phone;
      return {
        deviceId: r.id,
        name: r.name,
        communityId: r.community_id,
        gridId: r.grid_id,
        buildingId: r.building_id,
        serviceHours: r.service_hours ?? DEFAULT_SERVICE_HOURS,
        serviceHoursSet: r.service_hours !== null,
        maintainer: r.maintainer_worker_id ? { workerId: r.maintainer_worker_id, name: r.maintainer_name ?? r.maintainer_worker_id, phone: phoneShown ? r.maintainer_phone : maskPhone(r.maintainer_phone) } : null,
        available: why.length === 0,
        reasons: why,
        openWorkOrders: open.get(r.id) ?? 0,
        updatedAt: r.updated_at ? r.updated_at.toISOString() : null,
        updatedBy: r.updated_by,
      };
    });
  }

  async list(p: Principal, filter: { communityId?: string | undefined }): Promise<Kiosk[]> {
    return this.toKiosks(p, await this.store.kiosks(p, filter));
  }

  async get(p: Principal, id: string): Promise<Kiosk> {
    const rows = await this.store.kiosks(p, { deviceId: id });
    if (!rows.length) throw new ApiError('not_found');
    return (await this.toKiosks(p, rows))[0]!;
  }

  /** Sets service hours and/or the maintainer; open work orders follow a new maintainer. */
  async patch(p: Principal, id: string, patch: KioskPatch, source: string | null): Promise<Kiosk> {
    const current = (await this.store.kiosks(p, { deviceId: id }))[0];
    if (!current) throw new ApiError('not_found');
    const now = this.deps.clock.now();
    const actor: Actor = { id: p.userId, name: p.displayName, source };
    await inTransaction(this.deps.db, async (client) => {
      let maintainer: { id: string; name: string } | null = current.maintainer_worker_id ? { id: current.maintainer_worker_id, name: current.maintainer_name ?? current.maintainer_worker_id } : null;
      if (patch.maintainerWorkerId !== undefined) {
        maintainer = null;
        if (patch.maintainerWorkerId !== null) {
          const { rows } = await client.query<{ id: string; name: string }>('SELECT id, name FROM workers WHERE id = $1', [patch.maintainerWorkerId]);
          if (!rows[0]) throw invalidField('maintainerWorkerId', 'no such worker');
          maintainer = rows[0];
        }
      }
      await this.store.saveProfile(client, id, { serviceHours: patch.serviceHours ?? current.service_hours, maintainerWorkerId: maintainer?.id ?? null }, now, p.username);
      if (patch.maintainerWorkerId !== undefined) {
        for (const orderId of await this.store.reassignOpen(client, id, maintainer)) {
          await this.store.record(client, orderId, now, 'reassigned', actor, maintainer ? `to ${maintainer.name}` : 'no maintainer', { workerId: maintainer?.id ?? null });
        }
      }
    });
    this.deps.logger.info({ deviceId: id, by: p.username, serviceHours: patch.serviceHours !== undefined, maintainer: patch.maintainerWorkerId }, 'kiosk profile changed');
    return this.get(p, id);
  }

  // --- availability

  /** Adds history from before the platform watched the kiosk (admin): never after its first recorded change, never in the future. */
  async importHistory(p: Principal, id: string, body: KioskHistoryImport): Promise<{ recorded: number }> {
    if (!(await this.store.kiosks(p, { deviceId: id })).length) throw new ApiError('not_found');
    const now = this.deps.clock.now();
    const changes = await inTransaction(this.deps.db, async (client) => {
      // One import at a time per kiosk, so that two cannot both pass the check.
      await client.query('SELECT id FROM devices WHERE id = $1 FOR UPDATE', [id]);
      const first = (await this.store.firstLogged([id], client)).get(id);
      const changes = body.changes.map((c, i) => {
        const at = Date.parse(c.at);
        if (at > now) throw invalidField(`changes.${i}.at`, 'is in the future');
        if (first !== undefined && at >= first) throw invalidField(`changes.${i}.at`, `history can only be added before the first change the platform recorded (${new Date(first).toISOString()})`);
        return { at, reason: c.reason, unavailable: c.unavailable, detail: `imported by ${p.username}${c.note ? `: ${c.note}` : ''}` };
      });
      await this.store.logMany(client, id, changes);
      return changes;
    });
    this.deps.logger.info({ deviceId: id, by: p.username, changes: changes.length }, 'kiosk availability history imported');
    return { recorded: changes.length };
  }

  /** Per kiosk in scope: service time, available time and outages within service hours over the period. */
  async availability(p: Principal, query: PeriodQuery & { notFullyAvailable?: boolean | undefined }): Promise<KioskAvailabilityAnswer> {
    const now = this.deps.clock.now();
    const period = resolvePeriod(query, now);
    const rows = await this.store.kiosks(p, query);
    const ids = rows.map((r) => r.id);
    // Time yet to come is not service time.
    const end = Math.max(period.from, Math.min(period.to, now));
    const changes = await this.store.changes(ids, period.from, end);
    const first = await this.store.firstLogged(ids);
    const kiosks: (KioskAvailability & { serviceMs: number; availableMs: number })[] = rows.map((r) => {
      // Counted from when the kiosk was installed (or first logged, if that is earlier).
      const trackedFrom = Math.min(r.created_at.getTime(), first.get(r.id) ?? Number.POSITIVE_INFINITY);
      const start = Math.max(period.from, trackedFrom);
      const windows = end > start ? serviceWindows(r.service_hours ?? DEFAULT_SERVICE_HOURS, start, end) : [];
      const result = availability(windows, reasonIntervals(changes.get(r.id) ?? [], period.from, end));
      return {
        deviceId: r.id,
        name: r.name,
        communityId: r.community_id,
        ...figures(result.serviceMs, result.availableMs),
        fullyAvailable: result.availableMs === result.serviceMs,
        outages: result.outages.map((o) => ({ from: new Date(o.from).toISOString(), to: new Date(o.to).toISOString(), minutes: minutes(o.to - o.from), reasons: o.reasons })),
        serviceMs: result.serviceMs,
        availableMs: result.availableMs,
      };
    });
    const names = await this.communityNames([...new Set(rows.map((r) => r.community_id))]);
    const byCommunity = new Map<string, typeof kiosks>();
    for (const k of kiosks) byCommunity.set(k.communityId, [...(byCommunity.get(k.communityId) ?? []), k]);
    const sum = (list: typeof kiosks) => {
      const serviceMs = list.reduce((s, k) => s + k.serviceMs, 0);
      const availableMs = list.reduce((s, k) => s + k.availableMs, 0);
      return { kiosks: list.length, notFullyAvailable: list.filter((k) => !k.fullyAvailable).length, ...figures(serviceMs, availableMs) };
    };
    const strip = ({ serviceMs: _s, availableMs: _a, ...k }: (typeof kiosks)[number]): KioskAvailability => k;
    return {
      from: new Date(period.from).toISOString(),
      to: new Date(period.to).toISOString(),
      timeZone: KIOSK_TIME_ZONE,
      kiosks: kiosks.filter((k) => !query.notFullyAvailable || !k.fullyAvailable).map(strip),
      communities: [...byCommunity].map(([communityId, list]) => ({ communityId, name: names.get(communityId) ?? communityId, ...sum(list) })),
      total: sum(kiosks),
    };
  }

  private async communityNames(ids: string[]): Promise<Map<string, string>> {
    const { rows } = await this.deps.db.query<{ id: string; name: string }>('SELECT id, name FROM communities WHERE id = ANY($1::text[])', [ids]);
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  // --- work orders

  async workOrders(p: Principal, query: KioskWorkOrderQuery): Promise<KioskWorkOrder[]> {
    const { maintainer, ...filter } = query;
    const maintainerWorkerId = maintainer === 'me' ? ownWorkerId(p, 'maintainer') : maintainer;
    return this.store.workOrders(p, { ...filter, maintainerWorkerId });
  }

  async workOrder(p: Principal, id: string): Promise<KioskWorkOrderWithHistory> {
    const order = await this.store.visibleWorkOrder(p, id);
    if (!order) throw new ApiError('not_found');
    return { ...order, history: await this.store.workOrderHistory(id) };
  }

  /** Closed by a person with a note (the maintainer after the repair, or the control room). */
  async closeWorkOrder(p: Principal, id: string, note: string, source: string | null): Promise<KioskWorkOrderWithHistory> {
    if (!(await this.store.visibleWorkOrder(p, id))) throw new ApiError('not_found');
    const now = this.deps.clock.now();
    const actor: Actor = { id: p.userId, name: p.displayName, source };
    await inTransaction(this.deps.db, async (client) => {
      const current = await this.store.workOrder(id, client, true);
      if (current?.status !== 'open') throw new ApiError('invalid_transition', { status: current?.status ?? null }, 'The work order is closed already.');
      await this.afterClose(client, await this.store.closeWorkOrders(client, { id }, { reason: 'closed_by_hand', actor, note, at: now }), now, actor, note);
    });
    this.deps.logger.info({ workOrderId: id, by: p.username }, 'kiosk work order closed');
    return this.workOrder(p, id);
  }

  // --- services

  async services(p: Principal, query: PeriodQuery & { limit: number }): Promise<KioskServiceRecord[]> {
    const period = resolvePeriod(query, this.deps.clock.now());
    const ids = (await this.store.kiosks(p, query)).map((r) => r.id);
    return this.store.services(ids, period.from, period.to, query.limit);
  }

  async serviceStats(p: Principal, query: PeriodQuery & { by: StatsGroup }): Promise<KioskServiceStatsAnswer> {
    const period = resolvePeriod(query, this.deps.clock.now());
    const ids = (await this.store.kiosks(p, query)).map((r) => r.id);
    const { groups, total } = await this.store.serviceStats(ids, period.from, period.to, query.by);
    return { from: new Date(period.from).toISOString(), to: new Date(period.to).toISOString(), by: query.by, groups, total };
  }

  // --- coverage

  coverage(p: Principal): Promise<KioskCoverage> {
    if (p.role === 'vendor') throw new ApiError('forbidden', { required: ['admin', 'operator', 'worker'], role: p.role });
    return kioskCoverage(this.deps.db, { communityIds: p.role === 'admin' ? undefined : p.communityIds, at: this.deps.clock.now() });
  }
}
