/**
 * Which steps of a request the signed-in user may take, as the API decides them (it enforces them
 * anyway): respond, progress and close for the assignee, those it was escalated to, the grid leader of
 * its grid, an operator of its community or an admin; reassign for the last three.
 */
import type { RequestStatus, ServiceRequest, User, Worker } from '../../../contract/index.ts';

export type RequestStep = 'respond' | 'progress' | 'close';

const FROM: Record<RequestStep, readonly RequestStatus[]> = {
  respond: ['open'],
  progress: ['open', 'responded', 'in_progress'],
  close: ['open', 'responded', 'in_progress'],
};

/** Steps the lifecycle allows from a status (open → responded → in_progress → closed). */
export function stepsFrom(status: RequestStatus): RequestStep[] {
  return (Object.keys(FROM) as RequestStep[]).filter((step) => FROM[step].includes(status));
}

/** The grid leader of the request's grid, an operator of its community, an admin. */
export function mayAssign(user: User | null, request: ServiceRequest, me: Worker | null = null): boolean {
  if (!user) return false;
  if (user.role === 'admin') return true;
  if (user.role === 'operator') return user.communityIds.includes(request.place.communityId);
  if (user.role !== 'worker' || !me || me.id !== user.workerId) return false;
  return me.position === 'grid_leader' && request.place.gridId !== null && me.gridIds.includes(request.place.gridId);
}

export function mayAct(user: User | null, request: ServiceRequest, me: Worker | null = null): boolean {
  if (!user) return false;
  if (user.role === 'worker' && user.workerId) {
    if (request.assignee?.workerId === user.workerId || request.escalatedTo.some((e) => e.workerId === user.workerId)) return true;
  }
  return mayAssign(user, request, me);
}

/** The steps the user may take now. */
export function availableSteps(user: User | null, request: ServiceRequest, me: Worker | null = null): RequestStep[] {
  return mayAct(user, request, me) ? stepsFrom(request.status) : [];
}

/** The API call for a step: respond and progress carry a note, close a resolution. */
export function sendStep(
  api: { respondRequest: (id: string, note: string) => Promise<ServiceRequest>; progressRequest: (id: string, note: string) => Promise<ServiceRequest>; closeRequest: (id: string, resolution: string) => Promise<ServiceRequest> },
  requestId: string,
  step: RequestStep,
  text: string,
): Promise<ServiceRequest> {
  switch (step) {
    case 'respond':
      return api.respondRequest(requestId, text);
    case 'progress':
      return api.progressRequest(requestId, text);
    case 'close':
      return api.closeRequest(requestId, text);
  }
}
