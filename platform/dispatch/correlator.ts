/**
 * Groups alerts into incidents so that a building on fire is one incident, not an alarm storm:
 * alerts of one building and hazard within the correlation window join one incident; two smoke
 * detectors (or smoke with fast-rising heat) in it make it red, a confirmed fire; several flood sensors
 * of one community make one area incident. Device-health and individual alerts (an SOS) stay per device;
 * a flapping device's alerts join its open incident. Test-mode and maintenance alerts are never mixed
 * with real ones.
 */
import { levelRank, maxLevel, text, type Alert, type HazardCategory, type Incident, type WarningLevel } from '../../contract/index.ts';
import type { Queryable } from '../db/database.ts';
import type { IncidentStore } from '../store/incidents.ts';
import type { DispatchPolicy } from './policy.ts';

export type IncidentChange = 'opened' | 'joined' | 'level_raised' | 'unchanged';

export interface Correlation {
  incident: Incident;
  change: IncidentChange;
}

const BUILDING_HAZARDS: ReadonlySet<string> = new Set(['fire', 'gas', 'electrical', 'security']);

const CONFIRMED_FIRE = text('确认火情', 'Confirmed fire');
const AREA_FLOOD = text('区域内涝', 'Area flooding');

/** A fire is confirmed by `devices` distinct smoke devices, or by smoke and a fast temperature rise together. */
function confirmsFire(entries: { deviceId: string; ruleId: string }[], devices: number): boolean {
  const smokeDevices = new Set(entries.filter((e) => /^smoke_detector\.(alarm|smoke_obscuration)$/.test(e.ruleId)).map((e) => e.deviceId));
  const heat = entries.some((e) => /temperature_rise$|cable_temp_c$/.test(e.ruleId));
  return smokeDevices.size >= devices || (smokeDevices.size >= 1 && heat);
}

export class Correlator {
  constructor(private readonly incidents: IncidentStore) {}

  async attach(q: Queryable, alert: Alert, context: { faulty: boolean; at: number; policy: DispatchPolicy }): Promise<Correlation> {
    const { incidents } = this;
    const category = alert.category as HazardCategory;
    const suppressed = alert.suppressed ?? (alert.test ? 'test_mode' : null);
    let incident: Incident | undefined;
    if (alert.incidentId) {
      // A repeat (or a climb) of an alert stays in its incident while that is open.
      incident = await incidents.lock(q, alert.incidentId);
      if (incident?.status === 'resolved') incident = undefined;
    }
    if (incident) {
      // fall through to the update below
    } else if (!suppressed) {
      if (context.faulty) incident = await incidents.openOfDevice(q, alert.deviceId);
      const since = context.at - context.policy.correlation.windowS * 1000;
      if (!incident && category === 'flood') incident = await incidents.findOpen(q, { communityId: alert.communityId, category }, since);
      else if (!incident && BUILDING_HAZARDS.has(category) && alert.buildingId) incident = await incidents.findOpen(q, { communityId: alert.communityId, category, buildingId: alert.buildingId }, since);
      else if (!incident) incident = await incidents.findOpen(q, { communityId: alert.communityId, category, deviceScopeOf: alert.deviceId }, since);
    } else {
      incident = await incidents.findOpen(q, { communityId: alert.communityId, category, deviceScopeOf: alert.deviceId }, 0);
      if (incident && !incident.suppressed && !incident.test) incident = undefined;
    }

    if (!incident) {
      const created = await incidents.create(q, {
        communityId: alert.communityId,
        buildingId: alert.buildingId,
        gridId: alert.gridId,
        category,
        scope: 'device',
        level: alert.level,
        title: alert.title,
        test: alert.test,
        suppressed,
        at: context.at,
      });
      await incidents.record(q, created.id, context.at, 'opened', { alertId: alert.id, level: alert.level });
      return { incident: created, change: 'opened' };
    }

    const before = incident;
    const joined = !incident.alertIds.includes(alert.id);
    const entries = [...(await incidents.devicesByRule(q, incident.id)), { deviceId: alert.deviceId, ruleId: alert.rule }];
    const devices = new Set(entries.map((e) => e.deviceId)).size;
    let level: WarningLevel = maxLevel(incident.level, alert.level);
    const changes: Parameters<IncidentStore['update']>[2] = { lastAlertAt: context.at };
    if (devices > 1 && incident.scope === 'device') changes.scope = category === 'flood' ? 'area' : 'building';
    if (category === 'fire' && !incident.confirmed && confirmsFire(entries, context.policy.correlation.confirmFireDevices)) {
      level = 'red';
      changes.confirmed = 'fire';
      changes.title = CONFIRMED_FIRE;
    }
    if (category === 'flood' && devices >= context.policy.correlation.areaFloodDevices && incident.confirmed !== 'area_flood') {
      level = maxLevel(level, 'orange');
      changes.scope = 'area';
      changes.confirmed = 'area_flood';
      changes.title = AREA_FLOOD;
    }
    if (levelRank(level) > levelRank(incident.level)) changes.level = level;
    incident = await incidents.update(q, incident.id, changes);
    if (joined) await incidents.record(q, incident.id, context.at, 'alert_joined', { alertId: alert.id, deviceId: alert.deviceId, rule: alert.rule });
    if (changes.confirmed) await incidents.record(q, incident.id, context.at, 'confirmed', { as: changes.confirmed, devices });
    if (changes.level) {
      await incidents.record(q, incident.id, context.at, 'level_raised', { from: before.level, to: incident.level });
      return { incident, change: 'level_raised' };
    }
    return { incident, change: joined ? 'joined' : 'unchanged' };
  }
}
