/**
 * The request policy (first-response deadline per category, reminder, escalation ladder, channels),
 * stored as a setting like the dispatch policy and editable through `PUT /requests/policy`.
 */
import { RequestPolicy } from '../../contract/index.ts';
import type { Database } from '../db/database.ts';

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

const KEY = 'request_policy';

export class RequestPolicyStore {
  private current: RequestPolicy = DEFAULT_REQUEST_POLICY;

  constructor(private readonly db: Database) {}

  async load(): Promise<RequestPolicy> {
    const { rows } = await this.db.query<{ value: string }>('SELECT value FROM settings WHERE key = $1', [KEY]);
    const parsed = rows[0] ? RequestPolicy.safeParse(JSON.parse(rows[0].value)) : undefined;
    this.current = parsed?.success ? parsed.data : DEFAULT_REQUEST_POLICY;
    return this.current;
  }

  get(): RequestPolicy {
    return this.current;
  }

  /** New deadlines follow at once; a request keeps the deadline it was given at intake. */
  async save(policy: RequestPolicy): Promise<RequestPolicy> {
    await this.db.query('INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value', [KEY, JSON.stringify(policy)]);
    this.current = policy;
    return policy;
  }
}
