/**
 * What residents' requests (接诉即办) are about. Kept apart from `requests.ts`, which depends on the API
 * schemas, so that device kinds (the kiosk's `request_submitted` event) can use it without a cycle.
 */
import { z } from 'zod';
import { type LocalizedText, text } from './text.ts';

export const RequestCategory = z.enum(['repair', 'environment', 'safety', 'elderly', 'neighbour', 'consultation', 'other']);
export type RequestCategory = z.infer<typeof RequestCategory>;

export const REQUEST_CATEGORY_LABELS: Record<RequestCategory, LocalizedText> = {
  repair: text('维修', 'Repairs'),
  environment: text('环境卫生', 'Environment and sanitation'),
  safety: text('安全隐患', 'Safety hazard'),
  elderly: text('养老助老', 'Help for the elderly'),
  neighbour: text('邻里纠纷', 'Neighbour dispute'),
  consultation: text('政策咨询', 'Policy question'),
  other: text('其他', 'Other'),
};

/** A resident's phone number as typed: digits with an optional leading +. */
export const ResidentPhone = z.string().regex(/^\+?[0-9]{5,20}$/, 'digits with an optional leading +');
