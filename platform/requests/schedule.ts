/**
 * When things are due for a request under the request policy: the first-response deadline, the
 * reminder to the assignee before it, and each escalation stage after it. Pure: times in, times out.
 */
import type { RequestCategory, RequestPolicy, WorkerPosition } from '../../contract/index.ts';

export function deadlineFor(policy: RequestPolicy, category: RequestCategory, receivedAt: number): number {
  return receivedAt + policy.respondWithinS[category] * 1000;
}

/**
 * The reminder: `remindBeforeS` ahead of the deadline, but never in the first half of the window (a
 * reminder right after the assignment says nothing new); null when the policy sends none or it is past.
 */
export function reminderAt(policy: RequestPolicy, receivedAt: number, deadline: number, now: number): number | null {
  if (policy.remindBeforeS === null) return null;
  const at = Math.max(deadline - policy.remindBeforeS * 1000, receivedAt + (deadline - receivedAt) / 2);
  return at > now && at < deadline ? Math.round(at) : null;
}

/** Stage 0 is the assignee; stage k ≥ 1 is the policy's k-th escalation step, due that long after the deadline. */
export function escalationAt(policy: RequestPolicy, deadline: number, stage: number): number | null {
  const step = policy.escalation[stage - 1];
  return stage >= 1 && step ? deadline + step.afterS * 1000 : null;
}

export function escalationPositions(policy: RequestPolicy, stage: number): WorkerPosition[] {
  return policy.escalation[stage - 1]?.positions ?? [];
}

/** Whether a request still waits for its first response past its deadline. */
export function isOverdue(request: { respondedAt: number | null; closedAt: number | null; deadline: number }, now: number): boolean {
  return request.respondedAt === null && request.closedAt === null && now > request.deadline;
}
