/**
 * Residents' requests at work: intake (API, resident form, kiosk event, control-room phone call), routing
 * to the on-duty grid worker of the place's grid (the backup when away, the duty officer when the place
 * has no grid or nobody is on duty), notification through the outbox, the first-response deadline with a
 * reminder before it and escalation after it on persisted timers, the lifecycle steps, and the
 * resident's rating. Everything runs in one transaction per step, every step audited; live events and
 * the outbox kick follow the commit.
 */
import type pg from 'pg';
import type { RequestCategory, RequestChannel, RequestNotifyEvent, RequestPlaceInput, RequestRating, WorkerPosition } from '../../contract/index.ts';
import { KioskRequestSubmitted } from '../../contract/device-kinds/kiosk.ts';
import type { NormalisedEvent } from '../../gateway/ingest/message.ts';
import type { Principal } from '../auth/principal.ts';
import type { Clock } from '../clock.ts';
import { type Database, inTransaction } from '../db/database.ts';
import { recipientsFor, type DutyCandidate } from '../dispatch/duty.ts';
import type { NewRequestNotification, OutboxPort } from '../dispatch/outbox-port.ts';
import { ApiError, invalidField, sqlState, UNIQUE_VIOLATION } from '../errors.ts';
import { newId } from '../ids.ts';
import type { LiveHub } from '../live/hub.ts';
import type { Logger } from '../logger.ts';
import { disclosureFor, MASKED, type Disclosure } from '../privacy/mask.ts';
import type { PeopleStore, Recipient } from '../store/people.ts';
import type { Timer, TimerChange, TimerStore } from '../store/timers.ts';
import type { RequestPolicyStore } from './policy.ts';
import { checkCodeMatches, hashCheckCode, newCheckCode } from './reference.ts';
import { deadlineFor, escalationAt, escalationPositions, reminderAt } from './schedule.ts';
import { canSeeRequest, type RequestRow, type RequestStore } from './store.ts';
import { placeOfRequest, toServiceRequest } from './view.ts';

export const REQUEST_ESCALATE = 'request_escalate';
export const REQUEST_REMIND = 'request_remind';
export const requestEscalateKey = (id: string) => `request-escalate|${id}`;
export const requestRemindKey = (id: string) => `request-remind|${id}`;

export interface RequestServiceDeps {
  db: Database;
  store: RequestStore;
  policy: RequestPolicyStore;
  people: PeopleStore;
  timers: TimerStore;
  outbox: OutboxPort;
  live: LiveHub;
  clock: Clock;
  logger: Logger;
  /** Tells the kiosk a resident used the reference and check code of their request (command request_receipt). */
  kioskReceipt?: (deviceId: string, receipt: { reference: string; check_code: string; deadline: string; ticket?: string }) => Promise<void>;
  /** Where a kiosk stands. */
  kioskPlace?: (deviceId: string) => Promise<{ communityId: string; gridId: string | null; buildingId: string | null } | undefined>;
}

export interface Intake {
  category: RequestCategory;
  description: string;
  place: RequestPlaceInput;
  contact: { name: string; phone: string };
  channel: RequestChannel;
  /** When the resident asked, if earlier than now (a forwarded hotline order, a kiosk's own clock). */
  receivedAt?: number;
  deviceId?: string;
  /** Identity of the event that made it (kiosk), for idempotent replays. */
  sourceKey?: string;
}

export type Actor = { id: string; name: string } | null;
export type StepAction = 'respond' | 'progress' | 'close';

/** What to announce once the transaction has committed. */
interface After {
  requests: Map<string, RequestRow>;
  notified: boolean;
}
const after = (): After => ({ requests: new Map(), notified: false });

const STEP: Record<StepAction, { from: RequestRow['status'][]; to: RequestRow['status']; record: string }> = {
  respond: { from: ['open'], to: 'responded', record: 'responded' },
  progress: { from: ['open', 'responded', 'in_progress'], to: 'in_progress', record: 'progress' },
  close: { from: ['open', 'responded', 'in_progress'], to: 'closed', record: 'closed' },
};

const asRecipient = (w: DutyCandidate): Recipient => ({ workerId: w.id, name: w.name, position: w.position });
const transitionError = (status: string, action: string) =>
  new ApiError('invalid_transition', { status, action }, 'The request lifecycle does not allow this step from the current status.');

export class RequestService {
  constructor(private readonly deps: RequestServiceDeps) {}

  // --- intake ---------------------------------------------------------------------------------------

  /** A new request, routed and notified; the check code is answered this once and kept only as a hash. */
  async create(input: Intake, actor: Actor, source: string | null, authorise?: (place: { communityId: string; gridId: string | null }) => void): Promise<{ request: RequestRow; checkCode: string }> {
    const { store, clock } = this.deps;
    const now = clock.now();
    const receivedAt = Math.min(input.receivedAt ?? now, now);
    const done = after();
    const checkCode = newCheckCode();
    const request = await inTransaction(this.deps.db, async (client) => {
      const place = await resolvePlace(client, input.place);
      authorise?.(place);
      const policy = this.deps.policy.get();
      const deadline = deadlineFor(policy, input.category, receivedAt);
      let row = await store.insert(client, {
        id: newId('req'),
        reference: await store.nextReference(client, now),
        checkCodeHash: hashCheckCode(checkCode),
        category: input.category,
        description: input.description,
        channel: input.channel,
        communityId: place.communityId,
        gridId: place.gridId,
        buildingId: place.buildingId,
        unit: input.place.unit ?? null,
        room: input.place.room ?? null,
        address: input.place.address ?? null,
        contactName: input.contact.name,
        contactPhone: input.contact.phone,
        receivedAt,
        deadline,
        deviceId: input.deviceId ?? null,
        sourceKey: input.sourceKey ?? null,
        createdBy: actor?.id ?? null,
        createdAt: now,
      });
      await store.record(client, row.id, now, 'received', { to: 'open', actor, source, detail: { channel: input.channel, receivedAt: new Date(receivedAt).toISOString() } });

      const candidates = await this.deps.people.dutyCandidates(client, row.community_id);
      const assignee = chooseAssignee(candidates, row.grid_id, now);
      if (assignee) {
        row = await store.update(client, row.id, { assignee: asRecipient(assignee) });
        await store.record(client, row.id, now, 'assigned', { detail: { assignee: asRecipient(assignee), deadline: row.deadline.toISOString() } });
        await this.notify(client, row, [assignee], 'request.assigned', 0, now, done);
      } else {
        await store.record(client, row.id, now, 'not_assigned', { detail: { reason: 'nobody on duty for the place' } });
      }

      const changes: TimerChange[] = [];
      const remindAt = assignee ? reminderAt(policy, receivedAt, deadline, now) : null;
      if (remindAt !== null) changes.push({ op: 'set', key: requestRemindKey(row.id), dueAt: remindAt, kind: REQUEST_REMIND, payload: { requestId: row.id } });
      const escalateAt = escalationAt(policy, deadline, 1);
      if (escalateAt !== null) changes.push({ op: 'set', key: requestEscalateKey(row.id), dueAt: escalateAt, kind: REQUEST_ESCALATE, payload: { requestId: row.id, stage: 1 } });
      await this.deps.timers.apply(changes, client);
      done.requests.set(row.id, row);
      return row;
    });
    this.deps.logger.info({ requestId: request.id, reference: request.reference, channel: request.channel, communityId: request.community_id }, 'resident request received');
    await this.publish(done);
    return { request, checkCode };
  }

  /** A kiosk's `request_submitted` event: a request placed where the kiosk stands; replays of the same event are ignored. */
  async fromKiosk(message: NormalisedEvent): Promise<void> {
    const data = KioskRequestSubmitted.safeParse(message.data);
    if (!data.success) return;
    const sourceKey = `kiosk|${message.deviceId}|${message.ts}|${message.seq ?? ''}`;
    if (await this.deps.store.bySourceKey(sourceKey)) return;
    const where = await this.deps.kioskPlace?.(message.deviceId);
    if (!where) {
      this.deps.logger.warn({ deviceId: message.deviceId }, 'a request from a kiosk the platform does not know; dropped');
      return;
    }
    const place: RequestPlaceInput = {
      communityId: where.communityId,
      ...(where.buildingId ? { buildingId: where.buildingId } : where.gridId ? { gridId: where.gridId } : {}),
      ...(data.data.unit ? { unit: data.data.unit } : {}),
      ...(data.data.room ? { room: data.data.room } : {}),
    };
    let created: { request: RequestRow; checkCode: string };
    try {
      created = await this.create(
        {
          category: data.data.category,
          description: data.data.description,
          place,
          contact: { name: data.data.contact_name, phone: data.data.contact_phone },
          channel: 'kiosk',
          receivedAt: message.ts,
          deviceId: message.deviceId,
          sourceKey,
        },
        null,
        `kiosk ${message.deviceId}`,
      );
    } catch (error) {
      if (sqlState(error) === UNIQUE_VIOLATION) return; // the same event, taken by a concurrent replay
      throw error;
    }
    const { request, checkCode } = created;
    await this.deps
      .kioskReceipt?.(message.deviceId, { reference: request.reference, check_code: checkCode, deadline: request.deadline.toISOString(), ...(data.data.ticket ? { ticket: data.data.ticket } : {}) })
      .catch((err: unknown) => this.deps.logger.warn({ err, requestId: request.id, deviceId: message.deviceId }, 'could not send the kiosk its request receipt'));
  }

  // --- lifecycle ------------------------------------------------------------------------------------

  /** Respond (the first response), report progress, or close with a resolution; each stops the deadline's timers. */
  async step(principal: Principal, id: string, action: StepAction, text: string, source: string | null): Promise<RequestRow> {
    const { store, clock } = this.deps;
    const now = clock.now();
    const done = after();
    const actor = { id: principal.userId, name: principal.displayName };
    const row = await inTransaction(this.deps.db, async (client) => {
      const current = await store.lock(client, id);
      if (!current || !canSeeRequest(principal, current)) throw new ApiError('not_found');
      if (!(await this.mayAct(principal, current))) throw new ApiError('forbidden', { reason: 'only the assignee, those it was escalated to, the grid leader, an operator of the community or an admin' });
      const step = STEP[action];
      if (!step.from.includes(current.status)) throw transitionError(current.status, action);
      const firstResponse = current.responded_at === null;
      const updated = await store.update(client, id, {
        status: step.to,
        ...(firstResponse ? { respondedAt: now } : {}),
        ...(action === 'close' ? { closedAt: now, resolution: text } : {}),
      });
      const detail = firstResponse ? { firstResponseS: Math.round((now - current.received_at.getTime()) / 1000), onTime: now <= current.deadline.getTime() } : undefined;
      await store.record(client, id, now, step.record, { from: current.status, to: step.to, note: text, actor, source, detail });
      if (firstResponse) {
        await this.deps.timers.apply([{ op: 'cancel', key: requestEscalateKey(id) }, { op: 'cancel', key: requestRemindKey(id) }], client);
        // Those the escalation reached hear that someone is on it.
        if (current.escalated_to.length) {
          const ids = new Set(current.escalated_to.map((e) => e.workerId));
          const people = (await this.deps.people.dutyCandidates(client, current.community_id)).filter((c) => ids.has(c.id));
          await this.notify(client, updated, people, 'request.updated', current.escalation_stage, now, done);
        }
      }
      done.requests.set(id, updated);
      return updated;
    });
    await this.publish(done);
    return row;
  }

  /** Hands the request to another worker of the community (admin, operator, grid leader); they are notified. */
  async assign(principal: Principal, id: string, workerId: string, note: string | undefined, source: string | null): Promise<RequestRow> {
    const { store, clock } = this.deps;
    const now = clock.now();
    const done = after();
    const row = await inTransaction(this.deps.db, async (client) => {
      const current = await store.lock(client, id);
      if (!current || !canSeeRequest(principal, current)) throw new ApiError('not_found');
      if (!(await this.mayAssign(principal, current))) throw new ApiError('forbidden', { reason: 'only the grid leader, an operator of the community or an admin' });
      if (current.status === 'closed') throw transitionError(current.status, 'assign');
      const target = (await this.deps.people.dutyCandidates(client, current.community_id)).find((c) => c.id === workerId);
      if (!target) throw invalidField('workerId', "no such worker in the request's community");
      const updated = await store.update(client, id, { assignee: asRecipient(target) });
      await store.record(client, id, now, 'reassigned', { note: note ?? null, actor: { id: principal.userId, name: principal.displayName }, source, detail: { from: current.assignee, to: asRecipient(target) } });
      await this.notify(client, updated, [target], 'request.assigned', current.escalation_stage, now, done);
      if (current.responded_at === null) {
        const remindAt = reminderAt(this.deps.policy.get(), current.received_at.getTime(), current.deadline.getTime(), now);
        await this.deps.timers.apply(
          [remindAt === null ? { op: 'cancel', key: requestRemindKey(id) } : { op: 'set', key: requestRemindKey(id), dueAt: remindAt, kind: REQUEST_REMIND, payload: { requestId: id } }],
          client,
        );
      }
      done.requests.set(id, updated);
      return updated;
    });
    await this.publish(done);
    return row;
  }

  /** The resident's rating (好差评): once, after the request is closed, with the check code. */
  async rate(reference: string, code: string, rating: RequestRating, comment: string | undefined): Promise<RequestRow> {
    const { store, clock } = this.deps;
    const now = clock.now();
    const done = after();
    const row = await inTransaction(this.deps.db, async (client) => {
      const current = await store.byReference(reference, client, true);
      if (!current || !checkCodeMatches(code, current.check_code_hash)) throw new ApiError('not_found');
      if (current.status !== 'closed') throw new ApiError('request_not_closed', { status: current.status });
      if (current.rating !== null) throw new ApiError('already_rated');
      const updated = await store.update(client, current.id, { rating: { value: rating, comment: comment || null, at: now } });
      await store.record(client, current.id, now, 'rated', { note: comment || null, source: 'resident', detail: { rating } });
      done.requests.set(updated.id, updated);
      return updated;
    });
    await this.publish(done);
    return row;
  }

  /** A request by reference and check code, for the resident; undefined for a wrong pair (the answer does not say which). */
  async forResident(reference: string, code: string): Promise<RequestRow | undefined> {
    const row = await this.deps.store.byReference(reference);
    return row && checkCodeMatches(code, row.check_code_hash) ? row : undefined;
  }

  // --- timers -----------------------------------------------------------------------------------------

  /** Timer `request_escalate`: no first response by the deadline (and each later step of the ladder). */
  async onEscalateTimer(timer: Timer, client: pg.PoolClient, now: number): Promise<() => Promise<void>> {
    const done = after();
    const { requestId, stage } = timer.payload as { requestId: string; stage: number };
    await this.escalate(client, requestId, stage, now, done);
    return () => this.publish(done);
  }

  /** Timer `request_remind`: the deadline is near and the assignee has not responded. */
  async onRemindTimer(timer: Timer, client: pg.PoolClient, now: number): Promise<() => Promise<void>> {
    const done = after();
    const { requestId } = timer.payload as { requestId: string };
    const row = await this.deps.store.lock(client, requestId);
    if (row && row.responded_at === null && row.status !== 'closed' && row.assignee) {
      const person = (await this.deps.people.dutyCandidates(client, row.community_id)).find((c) => c.id === row.assignee!.workerId);
      if (person) {
        await this.deps.store.record(client, row.id, now, 'reminded', { detail: { to: asRecipient(person), deadline: row.deadline.toISOString() } });
        await this.notify(client, row, [person], 'request.reminder', row.escalation_stage, now, done);
      }
    }
    return () => this.publish(done);
  }

  private async escalate(client: pg.PoolClient, id: string, stage: number, now: number, done: After): Promise<void> {
    const { store, people, timers } = this.deps;
    const row = await store.lock(client, id);
    if (!row || row.responded_at !== null || row.status === 'closed' || stage <= row.escalation_stage) return;
    const policy = this.deps.policy.get();
    const positions = escalationPositions(policy, stage);
    if (!positions.length) return;
    const candidates = await people.dutyCandidates(client, row.community_id);
    let reached = recipientsFor(candidates, row.grid_id, positions, now);
    // Nobody of the step on duty: the community's duty officer must hear of it rather than nobody.
    if (!reached.length && !positions.includes('duty_officer')) reached = recipientsFor(candidates, row.grid_id, ['duty_officer'], now);
    const escalatedTo = [...row.escalated_to];
    for (const person of reached) if (!escalatedTo.some((e) => e.workerId === person.id)) escalatedTo.push(asRecipient(person));
    const updated = await store.update(client, id, { escalationStage: stage, escalatedTo });
    await store.record(client, id, now, 'escalated', {
      detail: { stage, reason: 'no first response by the deadline', deadline: row.deadline.toISOString(), to: reached.map(asRecipient) },
    });
    await this.notify(client, updated, reached, 'request.escalated', stage, now, done);
    const next = escalationAt(policy, row.deadline.getTime(), stage + 1);
    if (next !== null) await timers.apply([{ op: 'set', key: requestEscalateKey(id), dueAt: Math.max(now, next), kind: REQUEST_ESCALATE, payload: { requestId: id, stage: stage + 1 } }], client);
    done.requests.set(id, updated);
    this.deps.logger.info({ requestId: id, reference: row.reference, stage, to: reached.map((p) => p.id) }, 'resident request escalated: no first response by the deadline');
  }

  // --- who may, and telling people -------------------------------------------------------------------

  private async workerPosition(p: Principal): Promise<WorkerPosition | undefined> {
    return p.workerId ? (await this.deps.people.getWorker(p.workerId))?.position : undefined;
  }

  /** The assignee, those it was escalated to, the grid leader of its grid, an operator of its community, an admin. */
  async mayAct(p: Principal, row: RequestRow): Promise<boolean> {
    if (p.role === 'admin') return true;
    if (p.role === 'operator') return p.communityIds.includes(row.community_id);
    if (p.role !== 'worker' || !p.workerId) return false;
    if (row.assignee?.workerId === p.workerId || row.escalated_to.some((e) => e.workerId === p.workerId)) return true;
    return this.mayAssign(p, row);
  }

  /** The grid leader of its grid, an operator of its community, an admin. */
  async mayAssign(p: Principal, row: RequestRow): Promise<boolean> {
    if (p.role === 'admin') return true;
    if (p.role === 'operator') return p.communityIds.includes(row.community_id);
    if (p.role !== 'worker' || row.grid_id === null || !p.gridIds.includes(row.grid_id)) return false;
    return (await this.workerPosition(p)) === 'grid_leader';
  }

  /**
   * Every channel of the people the policy allows. A group robot (WeCom, DingTalk) gets the resident's
   * phone masked; a worker's own webhook or SMS carries it only when the worker covers the request's grid.
   */
  private async notify(client: pg.PoolClient, row: RequestRow, people: DutyCandidate[], event: RequestNotifyEvent, stage: number, now: number, done: After): Promise<void> {
    const channels = new Set(this.deps.policy.get().channels);
    const items: NewRequestNotification[] = [];
    for (const person of people) {
      const own: Disclosure = { phone: row.grid_id !== null && person.gridIds.includes(row.grid_id), idNumber: false };
      for (const channel of person.channels) {
        if (!channels.has(channel.type)) continue;
        const disclosure = channel.type === 'wecom' || channel.type === 'dingtalk' ? MASKED : own;
        const recipient = { workerId: person.id, name: person.name, position: person.position };
        items.push({ requestId: row.id, event, stage, recipient, channel, payload: { event, request: toServiceRequest(row, disclosure, now), recipient, stage } });
      }
    }
    if (items.length) {
      await this.deps.outbox.enqueue(client, items, now);
      done.notified = true;
    }
    await this.deps.store.record(client, row.id, now, 'notified', { detail: { event, stage, recipients: people.map(asRecipient), channels: items.map((i) => i.channel.type) } });
  }

  /** Live `request.updated`, rendered per subscriber with the phone masked by role; then the outbox. */
  private async publish(done: After): Promise<void> {
    const now = this.deps.clock.now();
    for (const row of done.requests.values()) {
      this.deps.live.publishEach((p) =>
        canSeeRequest(p, row) ? { type: 'request.updated', request: toServiceRequest(row, disclosureFor(p, placeOfRequest(row)), now) } : undefined,
      );
    }
    if (done.notified) this.deps.outbox.kick();
  }
}

/** The on-duty grid worker of the grid (the backup standing in when away); the duty officer when there is no grid or nobody. */
export function chooseAssignee(candidates: readonly DutyCandidate[], gridId: string | null, now: number): DutyCandidate | undefined {
  const workers = gridId === null ? [] : recipientsFor(candidates, gridId, ['grid_worker'], now);
  return workers[0] ?? recipientsFor(candidates, gridId, ['duty_officer'], now)[0];
}

/** The place checked against the registry: the grid follows the building. */
export async function resolvePlace(q: pg.PoolClient, place: RequestPlaceInput): Promise<{ communityId: string; gridId: string | null; buildingId: string | null }> {
  const community = await q.query('SELECT 1 FROM communities WHERE id = $1', [place.communityId]);
  if (!community.rowCount) throw invalidField('place.communityId', 'no such community');
  if (place.buildingId) {
    const { rows } = await q.query<{ community_id: string; grid_id: string }>('SELECT community_id, grid_id FROM buildings WHERE id = $1', [place.buildingId]);
    const building = rows[0];
    if (!building) throw invalidField('place.buildingId', 'no such building');
    if (building.community_id !== place.communityId) throw invalidField('place.buildingId', 'the building belongs to another community');
    if (place.gridId && place.gridId !== building.grid_id) throw invalidField('place.gridId', `the building lies in grid ${building.grid_id}`);
    return { communityId: place.communityId, gridId: building.grid_id, buildingId: place.buildingId };
  }
  if (place.gridId) {
    const { rows } = await q.query<{ community_id: string }>('SELECT community_id FROM grids WHERE id = $1', [place.gridId]);
    if (!rows[0]) throw invalidField('place.gridId', 'no such grid');
    if (rows[0].community_id !== place.communityId) throw invalidField('place.gridId', 'the grid belongs to another community');
    return { communityId: place.communityId, gridId: place.gridId, buildingId: null };
  }
  return { communityId: place.communityId, gridId: null, buildingId: null };
}
