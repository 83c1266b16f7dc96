/** The administration sections, each a tab with its own address (`/admin/{section}`). */
export const ADMIN_SECTIONS = ['places', 'workers', 'devices', 'rules', 'dead-letters'] as const;
export type AdminSection = (typeof ADMIN_SECTIONS)[number];

/** The section a route parameter names; the first one when it names none. */
export function sectionOf(param: unknown): AdminSection {
  return (ADMIN_SECTIONS as readonly unknown[]).includes(param) ? (param as AdminSection) : 'places';
}
