/**
 * The live stream's fan-out: every event is delivered to the subscribers whose scope covers its place.
 * A subscriber that throws is removed; it cannot stop delivery to the others.
 */
import type { LiveEvent } from '../../contract/index.ts';
import { canSee, type Placement, type Principal } from '../auth/principal.ts';
import type { Logger } from '../logger.ts';

export interface LiveSubscriber {
  principal: Principal;
  send(event: LiveEvent): void;
}

export class LiveHub {
  private readonly subscribers = new Set<LiveSubscriber>();

  constructor(private readonly logger: Logger) {}

  subscribe(subscriber: LiveSubscriber): () => void {
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  publish(event: LiveEvent, place: Placement): void {
    for (const subscriber of this.subscribers) {
      if (!canSee(subscriber.principal, place)) continue;
      try {
        subscriber.send(event);
      } catch (error) {
        this.logger.warn({ err: error, user: subscriber.principal.username }, 'live subscriber failed; dropped');
        this.subscribers.delete(subscriber);
      }
    }
  }

  /**
   * An event rendered for each subscriber (personal data masked by the subscriber's role); a subscriber
   * for whom `render` answers undefined does not get it.
   */
  publishEach(render: (principal: Principal) => LiveEvent | undefined): void {
    for (const subscriber of this.subscribers) {
      const event = render(subscriber.principal);
      if (!event) continue;
      try {
        subscriber.send(event);
      } catch (error) {
        this.logger.warn({ err: error, user: subscriber.principal.username }, 'live subscriber failed; dropped');
        this.subscribers.delete(subscriber);
      }
    }
  }

  /** To every admin and operator, whatever their communities (platform-wide news). */
  publishToStaff(event: LiveEvent): void {
    for (const subscriber of this.subscribers) {
      if (subscriber.principal.role !== 'admin' && subscriber.principal.role !== 'operator') continue;
      try {
        subscriber.send(event);
      } catch {
        this.subscribers.delete(subscriber);
      }
    }
  }

  get size(): number {
    return this.subscribers.size;
  }
}
