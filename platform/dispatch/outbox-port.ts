/** What the dispatcher needs of the notification outbox (platform/notify/outbox.ts implements it). */
import type pg from 'pg';
import type { Channel, NotificationRecipient, NotifyEvent, WarningLevel, WebhookDelivery } from '../../contract/index.ts';

export interface NewNotification {
  incidentId: string | null;
  alertId: string | null;
  event: NotifyEvent;
  stage: number;
  level: WarningLevel;
  recipient: NotificationRecipient;
  channel: Channel;
  payload: WebhookDelivery;
}

export interface OutboxPort {
  enqueue(client: pg.PoolClient, items: NewNotification[], now: number): Promise<unknown>;
  kick(): void;
}
