/** Whether a target of the plan is met: the API's `met` (true, false, or null for no data), in one word. */
export type TargetState = 'met' | 'not_met' | 'no_data' | 'not_applicable';

export function targetState(met: boolean | null | undefined, value: number | null = 0): TargetState {
  if (met === undefined) return 'not_applicable';
  if (met === null || value === null) return 'no_data';
  return met ? 'met' : 'not_met';
}
