/** Timer operations the rules ask for; the platform persists them (table `timers`). */
export type RuleTimerKind = 'threshold' | 'absence' | 'unflap';

export type TimerOp =
  | { op: 'set'; key: string; dueAt: number; kind: RuleTimerKind; payload: { ruleId?: string; deviceId: string } }
  | { op: 'cancel'; key: string };

export const timerKey = (kind: RuleTimerKind, deviceId: string, ruleId = '') => `${kind}|${ruleId}|${deviceId}`;
