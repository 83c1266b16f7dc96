/**
 * Personal data (phone numbers, ID numbers) is masked unless the viewer is responsible for the person:
 * an admin; an operator of the person's community; a worker of the person's grid. Everyone else — and
 * every group channel, log line and export — sees the masked form. ID numbers are shown whole only to
 * admins and operators of the community: a grid worker needs a phone to call, not an ID number.
 */
import type { Principal } from '../auth/principal.ts';

/** 13800001234 → 138****1234; short numbers keep only their last two digits. */
export function maskPhone(phone: string | null): string | null {
  if (phone === null) return null;
  const digits = phone.replace(/\s+/g, '');
  if (digits.length >= 7) return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
  return `${'*'.repeat(Math.max(0, digits.length - 2))}${digits.slice(-2)}`;
}

/** 110101195001011234 → 110101********1234 (region kept, birth date hidden). */
export function maskIdNumber(id: string | null): string | null {
  if (id === null) return null;
  if (id.length <= 8) return '*'.repeat(id.length);
  return `${id.slice(0, 6)}${'*'.repeat(id.length - 10)}${id.slice(-4)}`;
}

export interface PersonPlace {
  communityId: string;
  gridId: string | null;
}

export interface Disclosure {
  phone: boolean;
  idNumber: boolean;
}

/** What of a person's data this principal may see in full. */
export function disclosureFor(p: Principal, place: PersonPlace): Disclosure {
  switch (p.role) {
    case 'admin':
      return { phone: true, idNumber: true };
    case 'operator': {
      const mine = p.communityIds.includes(place.communityId);
      return { phone: mine, idNumber: mine };
    }
    case 'worker':
      return { phone: place.gridId !== null && p.gridIds.includes(place.gridId), idNumber: false };
    case 'vendor':
      return { phone: false, idNumber: false };
  }
}

export const MASKED: Disclosure = { phone: false, idNumber: false };

/** Paths pino replaces in every log line: personal data never reaches the logs. */
export const LOG_REDACT_PATHS = ['*.phone', '*.idNumber', '*.id_number', '*.contacts[*].phone', '*.contact.phone', 'phone', 'idNumber'];
