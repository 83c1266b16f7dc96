/**
 * The control room's intake form for a phone call: the draft as typed, checked field by field before
 * sending (with the same paths the API names in a 400), and the body of `POST /requests`.
 */
import type { RequestCategory, RequestCreate } from '../../../contract/index.ts';
import type { FieldIssue } from '../admin/field-errors.ts';
import { fromLocalInput } from '../format/clock.ts';

export interface IntakeDraft {
  category: RequestCategory | '';
  communityId: string;
  buildingId: string;
  unit: string;
  room: string;
  address: string;
  name: string;
  phone: string;
  description: string;
  /** datetime-local: when the resident called, if earlier than now. */
  receivedAt: string;
}

export const PHONE_PATTERN = /^\+?[0-9]{5,20}$/;

export function emptyDraft(communityId: string): IntakeDraft {
  return { category: '', communityId, buildingId: '', unit: '', room: '', address: '', name: '', phone: '', description: '', receivedAt: '' };
}

/** The problems the form can see itself; `message` is an i18n key under `requests.intake.errors`. */
export function draftIssues(draft: IntakeDraft, now: number): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (!draft.category) issues.push({ path: 'category', message: 'category' });
  if (!draft.buildingId && !draft.address.trim()) issues.push({ path: 'place.address', message: 'place' });
  if (!draft.name.trim()) issues.push({ path: 'contact.name', message: 'name' });
  const phone = draft.phone.replace(/[\s-]/g, '');
  if (!phone) issues.push({ path: 'contact.phone', message: 'phoneMissing' });
  else if (!PHONE_PATTERN.test(phone)) issues.push({ path: 'contact.phone', message: 'phoneDigits' });
  if (!draft.description.trim()) issues.push({ path: 'description', message: 'description' });
  if (draft.receivedAt) {
    const at = fromLocalInput(draft.receivedAt);
    if (!at) issues.push({ path: 'receivedAt', message: 'receivedAtInvalid' });
    else if (Date.parse(at) > now) issues.push({ path: 'receivedAt', message: 'receivedAtFuture' });
  }
  return issues;
}

const optional = (value: string) => (value.trim() ? value.trim() : undefined);

/** The body of `POST /requests` for a checked draft: a phone call typed by the control room. */
export function toRequestCreate(draft: IntakeDraft): RequestCreate {
  const place = {
    communityId: draft.communityId,
    buildingId: optional(draft.buildingId),
    unit: optional(draft.unit),
    room: optional(draft.room),
    address: optional(draft.address),
  };
  const receivedAt = draft.receivedAt ? fromLocalInput(draft.receivedAt) : null;
  return {
    category: draft.category as RequestCategory,
    description: draft.description.trim(),
    place: Object.fromEntries(Object.entries(place).filter(([, v]) => v !== undefined)) as RequestCreate['place'],
    contact: { name: draft.name.trim(), phone: draft.phone.replace(/[\s-]/g, '') },
    channel: 'phone',
    ...(receivedAt ? { receivedAt } : {}),
  };
}
