/**
 * The alert lifecycle of the contract: open → acknowledged → on_site → resolved. A step is allowed only
 * from the status right before it, except that an acknowledged alert may be resolved without a visit
 * (a false alarm checked by phone), and a fresh call the resident cancels is resolved from any status.
 * Everything else answers 409.
 */
import type { AlertStatus } from '../../contract/index.ts';

export type AlertAction = 'acknowledge' | 'on_site' | 'resolve' | 'cancel';
/** The steps a person takes through the API. */
export type PersonAction = Exclude<AlertAction, 'cancel'>;

/** `cancel` is not a step people take: the resident cancels a fresh call from the device itself. */
export const TRANSITIONS: Record<AlertAction, { from: readonly AlertStatus[]; to: AlertStatus }> = {
  acknowledge: { from: ['open'], to: 'acknowledged' },
  on_site: { from: ['acknowledged'], to: 'on_site' },
  resolve: { from: ['acknowledged', 'on_site'], to: 'resolved' },
  cancel: { from: ['open', 'acknowledged', 'on_site'], to: 'resolved' },
};

export function canTransition(status: AlertStatus, action: AlertAction): boolean {
  return TRANSITIONS[action].from.includes(status);
}
