import type { LocalizedText, WarningLevel } from '../../contract/index.ts';

/** What rules decide: raise (or repeat, or climb) an alert, mark its condition cleared, or flag a device. */
export type RuleSignal =
  | {
      type: 'raise';
      ruleId: string;
      title: LocalizedText;
      category: string;
      deviceId: string;
      level: WarningLevel;
      value: number | null;
      at: number;
      /** The journal entry that caused it: a replay of the same entry is not counted again. */
      source?: { journalId: string; seq: number };
    }
  /** `cancelWithinS`: a clear that soon after the raise cancels the alert (resolved as a false alarm). */
  | { type: 'clear'; ruleId: string; deviceId: string; at: number; cancelWithinS?: number }
  /** The device changes state too often (flapping): flagged faulty, never banned. */
  | { type: 'faulty'; deviceId: string; faulty: boolean; at: number };
