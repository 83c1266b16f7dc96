/**
 * When the database is down, an alarm cannot be recorded or dispatched the usual way; it still must reach
 * people. From what it last read (devices' places, the duty roster, channels), this announces the raise at
 * once: a provisional alert on the live stream, and for orange and red a direct page to the on-duty grid
 * worker (or the duty officer) on the level's channels. When the database is back, the signal is applied
 * normally and dispatched again: better paged twice than not at all.
 */
import type { Alert, Channel, DeviceKind, DeviceLocation } from '../../contract/index.ts';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/database.ts';
import type { LiveHub } from '../live/hub.ts';
import type { Logger } from '../logger.ts';
import { createSenders, senderFor, type SmsGatewayConfig } from '../notify/senders/index.ts';
import type { RuleSignal } from '../rules/signals.ts';
import type { DeviceRow } from '../store/devices.ts';
import type { PeopleStore } from '../store/people.ts';
import { recipientsFor, type DutyCandidate } from './duty.ts';
import type { PolicyStore } from './policy.ts';

interface Placement {
  kind: DeviceKind;
  communityId: string;
  gridId: string | null;
  buildingId: string | null;
  location: DeviceLocation | null;
  testMode: boolean;
}

type PlacementRow = Pick<DeviceRow, 'id' | 'kind' | 'community_id' | 'grid_id' | 'building_id' | 'location' | 'test_mode'>;

const placement = (r: PlacementRow): Placement => ({ kind: r.kind, communityId: r.community_id, gridId: r.grid_id, buildingId: r.building_id, location: r.location, testMode: r.test_mode });

export class DegradedMode {
  private placements = new Map<string, Placement>();
  private candidates = new Map<string, DutyCandidate[]>();
  private readonly senders;

  constructor(
    private readonly deps: { db: Database; people: PeopleStore; policy: PolicyStore; live: LiveHub; clock: Clock; logger: Logger; sms?: SmsGatewayConfig },
  ) {
    this.senders = createSenders({ sms: deps.sms });
  }

  /** Reads places and rosters while the database answers (at start and every minute). */
  async refresh(): Promise<void> {
    const { rows } = await this.deps.db.query<PlacementRow>('SELECT id, kind, community_id, grid_id, building_id, location, test_mode FROM devices');
    this.placements = new Map(rows.map((r) => [r.id, placement(r)]));
    const communities = new Set(rows.map((r) => r.community_id));
    const candidates = new Map<string, DutyCandidate[]>();
    for (const communityId of communities) candidates.set(communityId, await this.deps.people.dutyCandidates(this.deps.db, communityId));
    this.candidates = candidates;
  }

  /** A device read at login (provisioned since the last refresh, or moved): its place is known at once. */
  learn(row: PlacementRow): void {
    this.placements.set(row.id, placement(row));
    if (this.candidates.has(row.community_id)) return;
    this.candidates.set(row.community_id, []);
    this.deps.people
      .dutyCandidates(this.deps.db, row.community_id)
      .then((found) => this.candidates.set(row.community_id, found))
      .catch(() => this.candidates.delete(row.community_id));
  }

  async announce(signal: Extract<RuleSignal, { type: 'raise' }>): Promise<void> {
    const place = this.placements.get(signal.deviceId);
    if (!place || place.testMode) return;
    const now = this.deps.clock.now();
    const level = this.deps.policy.get().levels[signal.level];
    const people = recipientsFor(this.candidates.get(place.communityId) ?? [], place.gridId, level.escalation[0]!.positions, now);
    const alert: Alert = {
      id: `provisional-${signal.deviceId}-${signal.at}`,
      deviceId: signal.deviceId,
      deviceKind: place.kind,
      communityId: place.communityId,
      gridId: place.gridId,
      buildingId: place.buildingId,
      location: place.location,
      rule: signal.ruleId,
      title: { 'zh-CN': `${signal.title['zh-CN']}（存储故障期间，临时通知）`, en: `${signal.title.en} (provisional, storage down)` },
      level: signal.level,
      status: 'open',
      count: 1,
      value: signal.value,
      raisedAt: new Date(signal.at).toISOString(),
      lastAt: new Date(signal.at).toISOString(),
      clearedAt: null,
      acknowledgedAt: null,
      onSiteAt: null,
      resolvedAt: null,
      disposition: null,
      assignees: people.map((p) => ({ workerId: p.id, name: p.name, position: p.position })),
      incidentId: null,
      category: signal.category as Alert['category'],
      test: false,
      suppressed: null,
    };
    this.deps.live.publish({ type: 'alert.raised', alert }, alert);
    this.deps.logger.error({ alertId: alert.id, deviceId: signal.deviceId, level: signal.level, recipients: people.map((p) => p.name) }, 'provisional alert while storage is down');
    if (signal.level !== 'orange' && signal.level !== 'red') return;
    const allowed = new Set(level.channels);
    await Promise.all(
      people.flatMap((person) =>
        person.channels
          .filter((c: Channel) => allowed.has(c.type))
          .map((channel) => this.page(channel, alert, { workerId: person.id, name: person.name, position: person.position }, now)),
      ),
    );
  }

  /** A few attempts, in memory: the outbox needs the database this is standing in for. */
  private async page(channel: Channel, alert: Alert, recipient: { workerId: string; name: string; position: DutyCandidate['position'] }, now: number): Promise<void> {
    const payload = { event: 'alert.raised' as const, alert, recipient, stage: 0 };
    for (let attempt = 1; attempt <= 3; attempt++) {
      const outcome = await senderFor(this.senders, channel).send(channel, { id: `${alert.id}-${recipient.workerId}-${channel.type}`, payload, now, timeoutMs: 5000 });
      if (outcome.ok) return;
      this.deps.logger.warn({ channel: channel.type, recipient: recipient.name, error: outcome.error, attempt }, 'provisional page failed');
      if (outcome.final) return;
      await new Promise((resolve) => setTimeout(resolve, 2000 * attempt));
    }
  }
}
