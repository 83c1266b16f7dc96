/** Answer types of the API, re-exported from the contract under the names the dashboard uses. */
export type { AlertQuery as AlertListQuery, AlertWithHistory, DeviceKindDescription as DeviceKindInfo } from '../../../contract/index.ts';
