/** What the dispatcher needs of the notification outbox (platform/notify/outbox.ts implements it). */
import type pg from 'pg';
import type { AlertNotifyEvent, Channel, NotificationRecipient, RequestDelivery, RequestNotifyEvent, WarningLevel, WebhookDelivery } from '../../contract/index.ts';

export interface NewNotification {
  incidentId: string | null;
  alertId: string | null;
  event: AlertNotifyEvent;
  stage: number;
  level: WarningLevel;
  recipient: NotificationRecipient;
  channel: Channel;
  payload: WebhookDelivery;
}

/** A notification about a resident's request (platform/requests): no incident, no alert, no warning level, so no flood control. */
export interface NewRequestNotification {
  requestId: string;
  event: RequestNotifyEvent;
  stage: number;
  recipient: NotificationRecipient;
  channel: Channel;
  payload: RequestDelivery;
}

export type OutboxItem = NewNotification | NewRequestNotification;

export interface OutboxPort {
  enqueue(client: pg.PoolClient, items: OutboxItem[], now: number): Promise<unknown>;
  kick(): void;
}
