/**
 * Indicator 6 of the plan: the share of urban communities with a self-service kiosk (target 100 %),
 * and the share with one in service now. Callable on its own (the plan indicators use it).
 */
import type { KioskCoverage } from '../../contract/index.ts';
import type { Queryable } from '../db/database.ts';
import { INITIAL_STATE } from './availability.ts';

export const KIOSK_COVERAGE_TARGET = 1;

/**
 * Per community: its kiosks, how many are in service at `at` (connected, no fault open, paper to
 * print), and whether it is covered; plus the urban totals. `communityIds` limits the answer.
 */
export async function kioskCoverage(db: Queryable, options: { communityIds?: readonly string[]; at?: number } = {}): Promise<KioskCoverage> {
  const at = new Date(options.at ?? Date.now());
  const { rows } = await db.query<{ id: string; name: string; kind: 'urban' | 'rural'; kiosks: number; in_service: number }>(
    `SELECT c.id, c.name, c.kind, count(d.id)::int AS kiosks,
            (count(d.id) FILTER (WHERE NOT COALESCE(s.offline, $2) AND NOT COALESCE(s.fault, $3) AND NOT COALESCE(s.no_paper, $4)))::int AS in_service
       FROM communities c
       LEFT JOIN devices d ON d.community_id = c.id AND d.kind = 'kiosk'
       LEFT JOIN LATERAL (
         SELECT (SELECT unavailable FROM kiosk_availability_log WHERE device_id = d.id AND reason = 'offline' AND at <= $1 ORDER BY at DESC, id DESC LIMIT 1) AS offline,
                (SELECT unavailable FROM kiosk_availability_log WHERE device_id = d.id AND reason = 'fault' AND at <= $1 ORDER BY at DESC, id DESC LIMIT 1) AS fault,
                (SELECT unavailable FROM kiosk_availability_log WHERE device_id = d.id AND reason = 'no_paper' AND at <= $1 ORDER BY at DESC, id DESC LIMIT 1) AS no_paper
       ) s ON d.id IS NOT NULL
      WHERE $5::text[] IS NULL OR c.id = ANY($5::text[])
      GROUP BY c.id ORDER BY c.kind DESC, c.name`,
    [at, INITIAL_STATE.offline, INITIAL_STATE.fault, INITIAL_STATE.no_paper, options.communityIds ?? null],
  );
  const communities = rows.map((r) => ({
    communityId: r.id,
    name: r.name,
    kind: r.kind,
    kiosks: r.kiosks,
    inService: r.in_service,
    covered: r.kiosks > 0,
    coveredInService: r.in_service > 0,
  }));
  const urban = communities.filter((c) => c.kind === 'urban');
  const share = (n: number) => (urban.length ? Math.round((n / urban.length) * 10_000) / 10_000 : null);
  const covered = urban.filter((c) => c.covered).length;
  const coveredInService = urban.filter((c) => c.coveredInService).length;
  return {
    communities,
    urban: { communities: urban.length, covered, coveredInService, coverage: share(covered), coverageInService: share(coveredInService), target: KIOSK_COVERAGE_TARGET },
  };
}
