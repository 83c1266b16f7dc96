import type { Role, User } from '../../contract/index.ts';

/** Who is asking, with the scope their role grants. */
export interface Principal {
  userId: string;
  username: string;
  displayName: string;
  role: Role;
  /** Operator: the communities it watches. Worker: the communities of its grids. */
  communityIds: string[];
  /** Worker: the grids it covers. */
  gridIds: string[];
  workerId: string | null;
}

export function toUser(p: Principal): User {
  return { id: p.userId, username: p.username, displayName: p.displayName, role: p.role, communityIds: p.communityIds, workerId: p.workerId };
}

/** Where a thing lives, for deciding who may see it. */
export interface Placement {
  communityId: string;
  gridId: string | null;
  ownerUserId?: string | null;
}

export function canSee(p: Principal, place: Placement): boolean {
  switch (p.role) {
    case 'admin':
      return true;
    case 'operator':
      return p.communityIds.includes(place.communityId);
    case 'worker':
      return place.gridId !== null && p.gridIds.includes(place.gridId);
    case 'vendor':
      return place.ownerUserId === p.userId;
  }
}
