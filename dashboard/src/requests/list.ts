/**
 * Lists of residents' requests kept current by the live stream: a pushed request joins, moves in or
 * leaves a list by the same filters the server applied, so no list needs re-reading (or polling) to
 * follow a response, an escalation or a reassignment.
 */
import type { RequestCategory, RequestStatus, ServiceRequest } from '../../../contract/index.ts';

/** The request categories (a local copy of the contract's enum, so the bundle does not pull in zod). */
export const REQUEST_CATEGORIES = ['repair', 'environment', 'safety', 'elderly', 'neighbour', 'consultation', 'other'] as const satisfies readonly RequestCategory[];
export const REQUEST_STATUSES = ['open', 'responded', 'in_progress', 'closed'] as const satisfies readonly RequestStatus[];

export interface RequestFilter {
  communityId?: string;
  status?: RequestStatus | 'active';
  overdue?: boolean;
  category?: RequestCategory;
  gridId?: string;
  /** A worker id: requests assigned or escalated to that worker (as the server answers `assignedTo`). */
  assignee?: string;
}

/** Not responded to and past its deadline, at `now` (the server's `overdue`, worked out for live updates). */
export function isOverdue(request: Pick<ServiceRequest, 'respondedAt' | 'status' | 'deadline'>, now: number): boolean {
  return request.respondedAt === null && request.status !== 'closed' && Date.parse(request.deadline) < now;
}

export function matchesFilter(request: ServiceRequest, filter: RequestFilter, now: number): boolean {
  if (filter.communityId && request.place.communityId !== filter.communityId) return false;
  if (filter.status === 'active' ? request.status === 'closed' : filter.status && request.status !== filter.status) return false;
  if (filter.overdue !== undefined && isOverdue(request, now) !== filter.overdue) return false;
  if (filter.category && request.category !== filter.category) return false;
  if (filter.gridId && request.place.gridId !== filter.gridId) return false;
  if (filter.assignee && request.assignee?.workerId !== filter.assignee && !request.escalatedTo.some((e) => e.workerId === filter.assignee)) return false;
  return true;
}

/** Overdue lists: the longest waiting first (earliest deadline), as the server answers `overdue=true`. */
export function byDeadline(a: ServiceRequest, b: ServiceRequest): number {
  return Date.parse(a.deadline) - Date.parse(b.deadline) || a.id.localeCompare(b.id);
}

/** Other lists: newest first, as the server answers. */
export function byNewest(a: ServiceRequest, b: ServiceRequest): number {
  return Date.parse(b.receivedAt) - Date.parse(a.receivedAt) || b.id.localeCompare(a.id);
}

/** A worker's own: overdue first, then the nearest deadline. */
export function byUrgency(now: number) {
  return (a: ServiceRequest, b: ServiceRequest): number => Number(isOverdue(b, now)) - Number(isOverdue(a, now)) || byDeadline(a, b);
}

/** The list with `request` put in, replaced or taken out, in order. */
export function mergeRequest(
  list: readonly ServiceRequest[],
  request: ServiceRequest,
  filter: RequestFilter,
  order: (a: ServiceRequest, b: ServiceRequest) => number,
  now: number,
): ServiceRequest[] {
  const others = list.filter((r) => r.id !== request.id);
  if (!matchesFilter(request, filter, now)) return others.length === list.length ? [...list] : others;
  return [...others, { ...request, overdue: isOverdue(request, now) }].sort(order);
}
