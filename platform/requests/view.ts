/**
 * How a request is shown: to staff with the contact phone masked by role (platform/privacy/mask.ts), and
 * to the resident, by reference and check code, without anyone's name and with their own phone masked.
 */
import { REQUEST_CATEGORY_LABELS, RequestCategory, RequestChannel, type PublicRequestStatus, type RequestHistoryEntry, type ServiceRequest } from '../../contract/index.ts';
import { maskPhone, type Disclosure, type PersonPlace } from '../privacy/mask.ts';
import { isOverdue } from './schedule.ts';
import type { RequestRow } from './store.ts';

const ms = (d: Date | null) => (d === null ? null : d.getTime());
const iso = (d: Date | null) => (d === null ? null : d.toISOString());

export function placeOfRequest(r: Pick<RequestRow, 'community_id' | 'grid_id'>): PersonPlace {
  return { communityId: r.community_id, gridId: r.grid_id };
}

export function requestOverdue(r: RequestRow, now: number): boolean {
  return isOverdue({ respondedAt: ms(r.responded_at), closedAt: ms(r.closed_at), deadline: r.deadline.getTime() }, now);
}

export function toServiceRequest(r: RequestRow, disclosure: Disclosure, now: number): ServiceRequest {
  return {
    id: r.id,
    reference: r.reference,
    category: RequestCategory.parse(r.category),
    description: r.description,
    channel: RequestChannel.parse(r.channel),
    place: { communityId: r.community_id, gridId: r.grid_id, buildingId: r.building_id, unit: r.unit, room: r.room, address: r.address },
    contact: { name: r.contact_name, phone: disclosure.phone ? r.contact_phone : maskPhone(r.contact_phone)!, masked: !disclosure.phone },
    status: r.status,
    assignee: r.assignee,
    escalatedTo: r.escalated_to,
    escalationStage: r.escalation_stage,
    receivedAt: r.received_at.toISOString(),
    deadline: r.deadline.toISOString(),
    overdue: requestOverdue(r, now),
    respondedAt: iso(r.responded_at),
    firstResponseS: r.responded_at ? Math.max(0, Math.round((r.responded_at.getTime() - r.received_at.getTime()) / 1000)) : null,
    closedAt: iso(r.closed_at),
    resolution: r.resolution,
    rating: r.rating && r.rated_at ? { value: r.rating, comment: r.rating_comment, at: r.rated_at.toISOString() } : null,
    deviceId: r.device_id,
    createdAt: r.created_at.toISOString(),
  };
}

/** The steps a resident sees: what happened and what staff wrote to them; never who, never internal paging. */
const PUBLIC_ACTIONS = new Set(['received', 'assigned', 'responded', 'progress', 'closed', 'rated']);

export function toPublicStatus(r: RequestRow, history: readonly RequestHistoryEntry[]): PublicRequestStatus {
  const category = RequestCategory.parse(r.category);
  return {
    reference: r.reference,
    category,
    categoryName: REQUEST_CATEGORY_LABELS[category],
    description: r.description,
    status: r.status,
    receivedAt: r.received_at.toISOString(),
    deadline: r.deadline.toISOString(),
    respondedAt: iso(r.responded_at),
    closedAt: iso(r.closed_at),
    resolution: r.resolution,
    contactPhone: maskPhone(r.contact_phone)!,
    history: history
      .filter((h) => PUBLIC_ACTIONS.has(h.action))
      // Only what staff wrote to the resident (responses, progress, resolution) keeps its note.
      .map((h) => ({ at: h.at, action: h.action, status: h.toStatus, note: ['responded', 'progress', 'closed'].includes(h.action) ? h.note : null })),
    rating: r.rating && r.rated_at ? { value: r.rating, comment: r.rating_comment, at: r.rated_at.toISOString() } : null,
    canRate: r.status === 'closed' && r.rating === null,
  };
}
