/**
 * The request policy (first-response deadline per category, reminder, escalation ladder, channels),
 * stored as a setting like the dispatch policy and editable through `PUT /requests/policy`.
 */
import { RequestPolicy } from '../../contract/index.ts';
import type { Database } from '../db/database.ts';
import { SettingStore } from '../store/setting.ts';

const HOUR = 3600;

/** First response within 24 h, a safety hazard within 2 h; the grid leader at the deadline, the duty officer 2 h later. */
export const DEFAULT_REQUEST_POLICY: RequestPolicy = {
  respondWithinS: {
    repair: 24 * HOUR,
    environment: 24 * HOUR,
    safety: 2 * HOUR,
    elderly: 24 * HOUR,
    neighbour: 24 * HOUR,
    consultation: 24 * HOUR,
    other: 24 * HOUR,
  },
  remindBeforeS: 2 * HOUR,
  escalation: [
    { afterS: 0, positions: ['grid_leader'] },
    { afterS: 2 * HOUR, positions: ['duty_officer'] },
  ],
  channels: ['webhook', 'wecom', 'dingtalk', 'sms'],
};

/** The request policy, stored as the setting `request_policy`. New deadlines apply to requests taken from then on. */
export class RequestPolicyStore extends SettingStore<RequestPolicy> {
  constructor(db: Database) {
    super(db, 'request_policy', RequestPolicy, DEFAULT_REQUEST_POLICY);
  }
}
