/**
 * The transactional notification outbox. The dispatcher writes notifications inside its own transaction
 * (`enqueue`), so a notification exists exactly when the decision to send it was committed. Delivery
 * claims due rows (FOR UPDATE SKIP LOCKED plus a lease, so several instances never take the same row),
 * sends outside any transaction, several at once with a deadline each, records every attempt, and
 * retries failures with backoff on the injected clock until `maxAttempts`.
 */
import type { PoolClient } from 'pg';
import type { Counter } from 'prom-client';
import { Channel, NotificationPayload, type Notification, type WarningLevel } from '../../contract/index.ts';
import type { NewNotification, OutboxItem } from '../dispatch/outbox-port.ts';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/database.ts';
import { newId } from '../ids.ts';
import type { Logger } from '../logger.ts';
import { retryDelayMs } from './backoff.ts';
import { isFloodControlled, lockFloodKeys, notifiedSince } from './flood-control.ts';
import { createSenders, senderFor, type SenderRegistry, type SendOutcome, type SmsGatewayConfig } from './senders/index.ts';
import { claimDue, insertNotification, listNotifications, recordAttempt, toNotification, type ClaimedRow } from './store.ts';

export type { SmsGatewayConfig } from './senders/index.ts';

export type { NewNotification, NewRequestNotification, OutboxItem } from '../dispatch/outbox-port.ts';

export interface OutboxOptions {
  /** Blue and yellow: at most one notification per (worker, incident, channel) per interval. Default 5 min. */
  floodIntervalMs?: number;
  /** Default 8. */
  maxAttempts?: number;
  /** Deadline of one delivery request. Default 5000. */
  requestTimeoutMs?: number;
  /** Requests in flight at once per instance, at most half of them to one destination. Default 16. */
  concurrency?: number;
  sms?: SmsGatewayConfig | undefined;
}

export interface OutboxDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  /** Outcomes per channel type: delivered, retrying, failed, suppressed. */
  metrics?: { notifications?: Counter<'channel' | 'outcome'> | undefined };
}

const LOOP_INTERVAL_MS = 250;
// Longer than any delivery takes; only matters when an instance dies mid-delivery.
const LEASE_MARGIN_MS = 60_000;

export class NotificationOutbox {
  private readonly senders: SenderRegistry;
  private readonly floodIntervalMs: number;
  private readonly maxAttempts: number;
  private readonly requestTimeoutMs: number;
  private readonly concurrency: number;
  private readonly perDestination: number;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly busy = new Map<string, number>();
  /** Deliveries finished so far. */
  private finished = 0;
  private claiming: Promise<unknown> = Promise.resolve();
  private running = false;
  private pumping = false;
  private pumpAgain = false;
  private timer: NodeJS.Timeout | undefined;
  private kickTimer: NodeJS.Immediate | undefined;

  constructor(
    private readonly deps: OutboxDeps,
    options: OutboxOptions = {},
  ) {
    this.senders = createSenders({ sms: options.sms });
    this.floodIntervalMs = options.floodIntervalMs ?? 5 * 60_000;
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 8);
    this.requestTimeoutMs = options.requestTimeoutMs ?? 5000;
    this.concurrency = Math.max(1, options.concurrency ?? 16);
    this.perDestination = Math.max(1, Math.ceil(this.concurrency / 2));
  }

  /** Inserts in the caller's transaction; blue and yellow repeats within the flood interval are inserted as suppressed. */
  async enqueue(client: PoolClient, items: OutboxItem[], now: number): Promise<Notification[]> {
    const problems = items.map(problemWith);
    await lockFloodKeys(client, items.filter((item, i) => !problems[i] && isAlertItem(item)) as NewNotification[]);
    const out: Notification[] = [];
    for (const [i, item] of items.entries()) {
      const problem = problems[i] ?? null;
      // A resident request's notifications have no level and are never flood-controlled.
      const alertItem = isAlertItem(item) ? item : undefined;
      const suppressed = !problem && alertItem !== undefined && isFloodControlled(alertItem.level) && (await notifiedSince(client, alertItem, now - this.floodIntervalMs));
      const status = problem ? 'failed' : suppressed ? 'suppressed' : 'pending';
      const row = await insertNotification(client, {
        id: newId('ntf'),
        incidentId: alertItem?.incidentId ?? null,
        alertId: alertItem?.alertId ?? null,
        requestId: alertItem ? null : (item as Exclude<OutboxItem, NewNotification>).requestId,
        event: item.event,
        stage: item.stage,
        level: alertItem?.level ?? null,
        recipientWorkerId: item.recipient.workerId,
        recipientName: item.recipient.name,
        channelType: channelType(item.channel),
        channel: item.channel,
        payload: item.payload,
        status,
        createdAt: now,
        nextAttemptAt: status === 'pending' ? now : null,
        lastError: problem,
      });
      if (problem) this.deps.logger.error({ notificationId: row.id, problem }, 'notification not sendable');
      if (status !== 'pending') this.count(row.channel_type, status);
      out.push(toNotification(row));
    }
    return out;
  }

  /** Delivers every pending notification due at clock.now(); resolves with the number of attempts made. */
  async deliverDue(): Promise<number> {
    const mine = new Set<Promise<void>>();
    let attempts = 0;
    for (;;) {
      const finishedBefore = this.finished;
      const launched = await this.claimAndLaunch();
      for (const delivery of launched) {
        mine.add(delivery);
        void delivery.then(() => mine.delete(delivery));
      }
      attempts += launched.length;
      // A delivery that finished during the claim freed a slot or destination the claim did not see.
      if (launched.length || this.finished !== finishedBefore) continue;
      // Nothing claimable: done, unless our own deliveries (or full slots) may yet free a slot or a destination.
      if (!this.inFlight.size || (!mine.size && this.inFlight.size < this.concurrency)) return attempts;
      await Promise.race(this.inFlight);
    }
  }

  /** Delivers on real timers (every 250 ms, and whenever a slot frees up) until stop(). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.timer = setInterval(() => this.pump(), LOOP_INTERVAL_MS);
    this.timer.unref();
    this.pump();
  }

  /** Deliver soon (after the caller's transaction committed). Only while started. */
  kick(): void {
    if (!this.running || this.kickTimer) return;
    this.kickTimer = setImmediate(() => {
      this.kickTimer = undefined;
      this.pump();
    });
  }

  /** Stops claiming and waits for deliveries in flight (each bounded by requestTimeoutMs). */
  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.timer);
    if (this.kickTimer) clearImmediate(this.kickTimer);
    this.kickTimer = undefined;
    await this.claiming;
    await Promise.allSettled([...this.inFlight]);
  }

  list(filter: { incidentId?: string; alertId?: string }): Promise<Notification[]> {
    return listNotifications(this.deps.db, filter);
  }

  private claimFailures = 0;

  private pump(): void {
    if (!this.running) return;
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    this.claimAndLaunch()
      .then(() => {
        if (this.claimFailures) this.deps.logger.info({ failures: this.claimFailures }, 'claiming notifications again');
        this.claimFailures = 0;
      })
      .catch((err: unknown) => {
        // Once, then every 100th: the storage monitor reports an outage; this need not repeat it each tick.
        if (this.claimFailures++ % 100 === 0) this.deps.logger.warn({ err: err instanceof Error ? err.message : err, failures: this.claimFailures }, 'could not claim due notifications');
      })
      .finally(() => {
        this.pumping = false;
        if (this.pumpAgain) {
          this.pumpAgain = false;
          this.pump();
        }
      });
  }

  /** One claim at a time per instance, so free slots are not handed out twice. */
  private claimAndLaunch(): Promise<Promise<void>[]> {
    const run = this.claiming.then(async () => {
      const slots = this.concurrency - this.inFlight.size;
      if (slots <= 0) return [];
      const now = this.deps.clock.now();
      const rows = await claimDue(this.deps.db, { now, leaseUntil: now + this.requestTimeoutMs + LEASE_MARGIN_MS, slots, perDestination: this.perDestination, busy: this.busy });
      return rows.map((row) => this.launch(row));
    });
    this.claiming = run.catch(() => undefined);
    return run;
  }

  private launch(row: ClaimedRow): Promise<void> {
    this.busy.set(row.destination, (this.busy.get(row.destination) ?? 0) + 1);
    const delivery: Promise<void> = this.deliverOne(row)
      .catch((err: unknown) => this.deps.logger.error({ err, notificationId: row.id }, 'could not record a notification attempt; it will be retried after its lease'))
      .finally(() => {
        this.finished++;
        this.inFlight.delete(delivery);
        const left = (this.busy.get(row.destination) ?? 1) - 1;
        if (left > 0) this.busy.set(row.destination, left);
        else this.busy.delete(row.destination);
        this.pump();
      });
    this.inFlight.add(delivery);
    return delivery;
  }

  private async deliverOne(row: ClaimedRow): Promise<void> {
    const at = this.deps.clock.now();
    const started = performance.now();
    const outcome = await this.send(row, at);
    const durationMs = performance.now() - started;
    const now = this.deps.clock.now();
    const attempts = row.attempts + 1;
    const retry = !outcome.ok && !outcome.final && attempts < this.maxAttempts;
    const status = outcome.ok ? 'delivered' : retry ? 'pending' : 'failed';
    const recorded = await recordAttempt(this.deps.db, {
      id: row.id,
      claimedAttempts: row.attempts,
      at,
      durationMs,
      ok: outcome.ok,
      statusCode: outcome.statusCode,
      error: outcome.error,
      status,
      nextAttemptAt: retry ? now + retryDelayMs(attempts) : null,
      deliveredAt: outcome.ok ? now : null,
      receipt: outcome.receipt,
    });
    const log = { notificationId: row.id, channel: row.channel_type, attempt: attempts, error: outcome.error };
    if (!recorded) this.deps.logger.warn(log, 'notification attempt made after its claim went stale');
    else if (status === 'failed') this.deps.logger.error(log, 'notification failed');
    else if (status === 'pending') this.deps.logger.warn(log, 'notification attempt failed; will retry');
    else this.deps.logger.debug(log, 'notification delivered');
    this.count(row.channel_type, status === 'pending' ? 'retrying' : status);
  }

  private async send(row: ClaimedRow, now: number): Promise<SendOutcome> {
    const channel = Channel.safeParse(row.channel);
    // Parsing also puts the body's keys back in contract order (jsonb keeps its own order).
    const payload = NotificationPayload.safeParse(row.payload);
    if (!channel.success || !payload.success) return { ok: false, statusCode: null, error: 'stored channel or payload does not match the contract', final: true };
    try {
      return await senderFor(this.senders, channel.data).send(channel.data, { id: row.id, payload: payload.data, now, timeoutMs: this.requestTimeoutMs });
    } catch (error) {
      return { ok: false, statusCode: null, error: `sender failed: ${error instanceof Error ? error.message : String(error)}` };
    }
  }

  private count(channel: string, outcome: string): void {
    this.deps.metrics?.notifications?.inc({ channel, outcome });
  }
}

/** Why a notification cannot be sent at all, or null. Such a row is kept as failed rather than failing the dispatcher. */
const isAlertItem = (item: OutboxItem): item is NewNotification => !('requestId' in item);

function problemWith(item: OutboxItem): string | null {
  const channel = Channel.safeParse(item.channel);
  if (!channel.success) return `invalid channel: ${channel.error.issues.map((i) => `${i.path.join('.') || 'channel'} ${i.message}`).join('; ')}`;
  const payload = NotificationPayload.safeParse(item.payload);
  if (!payload.success) return `invalid payload: ${payload.error.issues.map((i) => `${i.path.join('.') || 'payload'} ${i.message}`).join('; ')}`;
  return null;
}

function channelType(channel: unknown): string {
  const type = (channel as { type?: unknown } | null)?.type;
  return typeof type === 'string' ? type : 'unknown';
}
