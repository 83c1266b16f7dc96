import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEVICE_KIND_DEFINITIONS, DEVICE_KINDS } from '../../contract/index.ts';
import { RuleSet } from '../../platform/rules/rule-set.ts';

const folder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../contract/device-kinds');

describe('device kinds', () => {
  it('registers every definition file of the folder', async () => {
    const files = fs.readdirSync(folder).filter((f) => f.endsWith('.ts') && !['index.ts', 'builders.ts'].includes(f));
    const registered = new Set<unknown>(DEVICE_KIND_DEFINITIONS);
    for (const file of files) {
      const module = (await import(path.join(folder, file))) as { default: unknown };
      expect(registered.has(module.default), `${file} is not registered in contract/device-kinds/index.ts`).toBe(true);
    }
    expect(files).toHaveLength(DEVICE_KIND_DEFINITIONS.length);
  });

  it('covers the seven kinds of the contract, the broadcast speaker and the household water meter', () => {
    expect([...DEVICE_KINDS].sort()).toEqual(['broadcast_speaker', 'door_contact', 'electrical_monitor', 'emergency_button', 'flood_sensor', 'gas_detector', 'kiosk', 'smoke_detector', 'water_meter']);
  });

  it('gives every field a unit, a bilingual label and a normal range its own schema accepts', () => {
    for (const kind of DEVICE_KIND_DEFINITIONS) {
      expect(kind.reportingIntervalS).toBeGreaterThan(0);
      for (const [field, metric] of Object.entries(kind.metrics)) {
        expect(metric.label['zh-CN'], `${kind.kind}.${field}`).toBeTruthy();
        expect(metric.label.en, `${kind.kind}.${field}`).toBeTruthy();
        const isFlag = metric.schema.safeParse(false).success;
        const samples = isFlag ? [false, true] : metric.normal;
        for (const sample of samples) expect(metric.schema.safeParse(sample).success, `${kind.kind}.${field} rejects ${sample}`).toBe(true);
        expect(metric.schema.safeParse('12').success, `${kind.kind}.${field} accepts a string`).toBe(false);
      }
    }
  });

  it('compiles every default rule against its kind, with unique ids', () => {
    const rules = new RuleSet();
    expect(rules.all().length).toBeGreaterThanOrEqual(DEVICE_KIND_DEFINITIONS.length);
    for (const kind of DEVICE_KIND_DEFINITIONS) {
      expect(rules.forKind(kind.kind).some((r) => r.condition.type === 'silence'), `${kind.kind} has a silence rule`).toBe(true);
    }
  });

  it('ships the warning levels the plan asks for', () => {
    const rules = new RuleSet();
    const level = (id: string) => {
      const c = rules.get(id)?.condition;
      return c && 'level' in c ? c.level : c?.type === 'threshold' ? c.steps.map((s) => `${s.level}@${s.value}`).join(',') : undefined;
    };
    expect(level('smoke_detector.alarm')).toBe('red');
    expect(level('gas_detector.gas_lel')).toBe('orange@10,red@25');
    expect(level('emergency_button.sos')).toBe('red');
    expect(level('emergency_button.fall')).toBe('red');
    expect(level('kiosk.fault')).toBe('yellow');
    expect(level('smoke_detector.battery')).toBe('blue@20');
    expect(level('smoke_detector.silence')).toBe('yellow');
    expect(level('door_contact.silence')).toBe('blue');
  });
});
