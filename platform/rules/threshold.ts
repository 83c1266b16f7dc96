/**
 * One (threshold rule, device) pair: climbs a ladder of steps, optionally only after the value has
 * stayed beyond the first step for `forS`, and clears once the value is back past the hysteresis band.
 * "above" means value ≥ step; "below" means value < step.
 */
import type { ThresholdCondition } from '../../contract/index.ts';

export interface ThresholdState {
  /** Index of the highest step an open alert was raised at; -1 when inactive. */
  raisedStep: number;
  /** When the value first went beyond a step while inactive (for `forS`). */
  pendingSince: number | undefined;
  lastValue: number;
}

export type ThresholdOutcome = { type: 'raise'; step: number } | { type: 'clear' } | undefined;

export function newThresholdState(): ThresholdState {
  return { raisedStep: -1, pendingSince: undefined, lastValue: Number.NaN };
}

export function stepReached(condition: ThresholdCondition, value: number): number {
  let reached = -1;
  condition.steps.forEach((step, i) => {
    if (condition.direction === 'above' ? value >= step.value : value < step.value) reached = i;
  });
  return reached;
}

function backInsideBand(condition: ThresholdCondition, value: number): boolean {
  const first = condition.steps[0]!.value;
  return condition.direction === 'above' ? value < first - condition.hysteresis : value >= first + condition.hysteresis;
}

/** Applies a new value at time `at`; mutates `state` and says what to do. */
export function applyValue(condition: ThresholdCondition, state: ThresholdState, value: number, at: number): ThresholdOutcome {
  state.lastValue = value;
  const step = stepReached(condition, value);
  if (step >= 0) {
    if (state.raisedStep >= 0) {
      if (step <= state.raisedStep) return undefined;
      state.raisedStep = step;
      return { type: 'raise', step };
    }
    state.pendingSince ??= at;
    if (at - state.pendingSince < condition.forS * 1000) return undefined;
    state.pendingSince = undefined;
    state.raisedStep = step;
    return { type: 'raise', step };
  }
  state.pendingSince = undefined;
  if (state.raisedStep >= 0 && backInsideBand(condition, value)) {
    state.raisedStep = -1;
    return { type: 'clear' };
  }
  return undefined;
}
