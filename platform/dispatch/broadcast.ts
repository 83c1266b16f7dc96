/**
 * The community emergency broadcast: a red fire, gas or flood incident (by policy) is announced on
 * `anju/v1/broadcast/{communityId}` to the community's speakers, once per incident and level; each
 * speaker acknowledges playback with a `played` event, kept as a receipt.
 */
import { broadcastTopic, LEVEL_NUMERAL, type Incident } from '../../contract/index.ts';
import type { Clock } from '../clock.ts';
import type { Database, Queryable } from '../db/database.ts';
import { isoRequired } from '../db/sql.ts';
import { newId } from '../ids.ts';
import type { Logger } from '../logger.ts';
import type { DispatchPolicy } from './policy.ts';

export interface BroadcastMessage {
  id: string;
  incidentId: string;
  communityId: string;
  buildingId: string | null;
  level: Incident['level'];
  category: Incident['category'];
  text: { 'zh-CN': string; en: string };
  at: string;
}

export interface BroadcastLink {
  publish(topic: string, payload: Buffer): Promise<void>;
}

const LEVEL_ZH = { blue: '蓝色', yellow: '黄色', orange: '橙色', red: '红色' } as const;

function announcement(incident: Incident): BroadcastMessage['text'] {
  const zh = `${LEVEL_ZH[incident.level]}（${LEVEL_NUMERAL[incident.level]}级）预警：${incident.title['zh-CN']}。请按指引有序疏散，远离危险区域。`;
  const en = `${incident.level.toUpperCase()} (${LEVEL_NUMERAL[incident.level]}) warning: ${incident.title.en}. Please evacuate calmly and keep away from the danger area.`;
  return { 'zh-CN': zh, en };
}

export class BroadcastService {
  private link: BroadcastLink | undefined;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  attach(link: BroadcastLink): void {
    this.link = link;
  }

  /** Records a broadcast for the incident if the policy calls for one and none went out at this level. */
  async plan(q: Queryable, incident: Incident, policy: DispatchPolicy): Promise<BroadcastMessage | undefined> {
    if (incident.suppressed || incident.test) return undefined;
    if (!policy.broadcast.levels.includes(incident.level) || !policy.broadcast.categories.includes(incident.category)) return undefined;
    const { rowCount } = await q.query(`SELECT 1 FROM broadcasts WHERE incident_id = $1 AND message->>'level' = $2`, [incident.id, incident.level]);
    if (rowCount) return undefined;
    const message: BroadcastMessage = {
      id: newId('bc'),
      incidentId: incident.id,
      communityId: incident.communityId,
      buildingId: incident.buildingId,
      level: incident.level,
      category: incident.category,
      text: announcement(incident),
      at: new Date(this.clock.now()).toISOString(),
    };
    await q.query('INSERT INTO broadcasts (id, incident_id, community_id, building_id, message, created_at) VALUES ($1, $2, $3, $4, $5, $6)', [
      message.id,
      incident.id,
      incident.communityId,
      incident.buildingId,
      JSON.stringify(message),
      new Date(this.clock.now()),
    ]);
    return message;
  }

  async publish(message: BroadcastMessage): Promise<void> {
    if (!this.link) return;
    await this.link.publish(broadcastTopic(message.communityId), Buffer.from(JSON.stringify(message))).catch((err: unknown) => this.logger.error({ err, broadcast: message.id }, 'could not publish a broadcast'));
  }

  /** A speaker played a broadcast. */
  async played(deviceId: string, broadcastId: string, at: number): Promise<void> {
    await this.db.query('INSERT INTO broadcast_receipts (broadcast_id, device_id, played_at) SELECT $1, $2, $3 WHERE EXISTS (SELECT 1 FROM broadcasts WHERE id = $1) ON CONFLICT DO NOTHING', [
      broadcastId,
      deviceId,
      new Date(at),
    ]);
  }

  async ofIncident(incidentId: string): Promise<(BroadcastMessage & { receipts: { deviceId: string; playedAt: string }[] })[]> {
    const { rows } = await this.db.query<{ message: BroadcastMessage; receipts: { device_id: string; played_at: string }[] | null }>(
      `SELECT b.message, (SELECT json_agg(json_build_object('device_id', r.device_id, 'played_at', r.played_at) ORDER BY r.played_at) FROM broadcast_receipts r WHERE r.broadcast_id = b.id) AS receipts
         FROM broadcasts b WHERE b.incident_id = $1 ORDER BY b.created_at`,
      [incidentId],
    );
    return rows.map((r) => ({ ...r.message, receipts: (r.receipts ?? []).map((x) => ({ deviceId: x.device_id, playedAt: isoRequired(x.played_at) })) }));
  }
}
