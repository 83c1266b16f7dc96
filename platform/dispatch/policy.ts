/**
 * The dispatch policy: per warning level, who is paged at which stage of escalation, how often to
 * remind until someone acknowledges, the on-site deadline and which channels carry it; plus the
 * correlation and flood-control windows. Stored as a setting, editable through the API.
 */
import { z } from 'zod';
import { WarningLevel, WorkerPosition } from '../../contract/index.ts';
import type { Database } from '../db/database.ts';
import { SettingStore } from '../store/setting.ts';

const Stage = z.strictObject({
  afterS: z.number().int().min(0).max(86_400).describe('seconds after the incident opened'),
  positions: z.array(WorkerPosition).min(1),
});

const LevelPolicy = z.strictObject({
  escalation: z
    .array(Stage)
    .min(1)
    .refine((stages) => stages[0]!.afterS === 0, { message: 'the first stage starts at 0 s' })
    .refine((stages) => stages.every((s, i) => i === 0 || s.afterS > stages[i - 1]!.afterS), { message: 'stages must come later and later' }),
  remindEveryS: z.number().int().min(10).max(86_400).nullable(),
  onSiteWithinS: z.number().int().min(60).max(86_400).nullable(),
  channels: z.array(z.enum(['webhook', 'wecom', 'dingtalk', 'sms'])),
});
export type LevelPolicy = z.infer<typeof LevelPolicy>;

export const DispatchPolicy = z.strictObject({
  levels: z.strictObject({ blue: LevelPolicy, yellow: LevelPolicy, orange: LevelPolicy, red: LevelPolicy }),
  /** Blue and yellow: at most one notification per recipient and incident per interval. */
  floodIntervalS: z.number().int().min(0).max(86_400),
  correlation: z.strictObject({
    windowS: z.number().int().min(0).max(86_400),
    confirmFireDevices: z.number().int().min(2).max(20),
    areaFloodDevices: z.number().int().min(2).max(100),
  }),
  broadcast: z.strictObject({ levels: z.array(WarningLevel), categories: z.array(z.enum(['fire', 'gas', 'flood', 'electrical', 'medical', 'security', 'device', 'service'])) }),
});
export type DispatchPolicy = z.infer<typeof DispatchPolicy>;

const ALL_CHANNELS: LevelPolicy['channels'] = ['webhook', 'wecom', 'dingtalk', 'sms'];

export const DEFAULT_POLICY: DispatchPolicy = {
  levels: {
    red: {
      escalation: [
        { afterS: 0, positions: ['grid_worker'] },
        { afterS: 60, positions: ['grid_leader', 'duty_officer'] },
        { afterS: 180, positions: ['emergency_centre'] },
      ],
      remindEveryS: 30,
      onSiteWithinS: 900,
      channels: ALL_CHANNELS,
    },
    orange: {
      escalation: [
        { afterS: 0, positions: ['grid_worker'] },
        { afterS: 300, positions: ['grid_leader', 'duty_officer'] },
        { afterS: 900, positions: ['emergency_centre'] },
      ],
      remindEveryS: 120,
      onSiteWithinS: 1800,
      channels: ALL_CHANNELS,
    },
    yellow: {
      escalation: [
        { afterS: 0, positions: ['grid_worker'] },
        { afterS: 1800, positions: ['grid_leader'] },
      ],
      remindEveryS: 900,
      onSiteWithinS: null,
      channels: ['webhook', 'wecom', 'dingtalk'],
    },
    blue: { escalation: [{ afterS: 0, positions: ['grid_worker'] }], remindEveryS: null, onSiteWithinS: null, channels: ['webhook', 'wecom', 'dingtalk'] },
  },
  floodIntervalS: 300,
  correlation: { windowS: 600, confirmFireDevices: 2, areaFloodDevices: 3 },
  broadcast: { levels: ['red'], categories: ['fire', 'gas', 'flood'] },
};

/** The dispatch policy, stored as the setting `dispatch_policy`. */
export class PolicyStore extends SettingStore<DispatchPolicy> {
  constructor(db: Database) {
    super(db, 'dispatch_policy', DispatchPolicy, DEFAULT_POLICY);
  }
}
