import type { SqlParams } from '../db/sql.ts';
import type { Principal } from './principal.ts';

/** The SQL form of `canSee`: a WHERE clause limiting rows to the principal's scope. */
export function scopeClause(p: Principal, params: SqlParams, columns: { community: string; grid: string; owner?: string }): string {
  switch (p.role) {
    case 'admin':
      return 'TRUE';
    case 'operator':
      return `${columns.community} = ANY(${params.add(p.communityIds)}::text[])`;
    case 'worker':
      return `${columns.grid} = ANY(${params.add(p.gridIds)}::text[])`;
    case 'vendor':
      return columns.owner ? `${columns.owner} = ${params.add(p.userId)}` : 'FALSE';
  }
}
