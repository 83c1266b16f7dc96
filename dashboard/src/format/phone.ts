/** Phone numbers as the API gives them: whole for those responsible, masked ("139****5678") for others. */

export function isMasked(phone: string): boolean {
  return phone.includes('*');
}

/** A `tel:` link for a whole number (tap to call on a phone); none for a masked one. */
export function telHref(phone: string | null | undefined): string | null {
  if (!phone || isMasked(phone)) return null;
  const digits = phone.replace(/[^\d+]/g, '');
  return digits ? `tel:${digits}` : null;
}
