/** A resident row as the API shows it to one viewer: phone and ID number masked unless disclosed. */
import type { CareProfile, Resident } from '../../contract/index.ts';
import { isoRequired } from '../db/sql.ts';
import { localYear } from '../local-time.ts';
import { type Disclosure, maskIdNumber, maskPhone, type PersonPlace } from '../privacy/mask.ts';

export interface ResidentRow {
  id: string;
  household_id: string;
  community_id: string;
  grid_id: string | null;
  name: string;
  birth_year: number | null;
  phone: string | null;
  id_number: string | null;
  lives_alone: boolean;
  special_difficulty: boolean;
  disabled: boolean;
  care_notes: string | null;
  contacts: { name: string; relation: string; phone: string }[];
  created_at: Date;
}

/** Residents with their household's place (for scope and masking). */
export const RESIDENT_SELECT = `SELECT r.*, h.community_id, h.grid_id FROM residents r JOIN households h ON h.id = r.household_id`;

export function toResident(r: ResidentRow, disclosure: Disclosure, now: number): Resident {
  const year = localYear(now);
  return {
    id: r.id,
    householdId: r.household_id,
    communityId: r.community_id,
    gridId: r.grid_id,
    name: r.name,
    birthYear: r.birth_year,
    age: r.birth_year === null ? null : year - r.birth_year,
    phone: disclosure.phone ? r.phone : maskPhone(r.phone),
    idNumber: disclosure.idNumber ? r.id_number : maskIdNumber(r.id_number),
    livesAlone: r.lives_alone,
    specialDifficulty: r.special_difficulty,
    disabled: r.disabled,
    careNotes: r.care_notes,
    contacts: r.contacts.map((c) => ({ ...c, phone: disclosure.phone ? c.phone : maskPhone(c.phone)! })),
    createdAt: isoRequired(r.created_at),
  };
}

/** A profile read in full, masked for one audience (each resident by their own place). */
export function maskedProfile(profile: CareProfile, disclose: (place: PersonPlace) => Disclosure): CareProfile {
  return {
    ...profile,
    residents: profile.residents.map((r) => {
      const d = disclose({ communityId: r.communityId, gridId: r.gridId });
      return {
        ...r,
        phone: d.phone ? r.phone : maskPhone(r.phone),
        idNumber: d.idNumber ? r.idNumber : maskIdNumber(r.idNumber),
        contacts: r.contacts.map((c) => ({ ...c, phone: d.phone ? c.phone : maskPhone(c.phone)! })),
      };
    }),
  };
}
