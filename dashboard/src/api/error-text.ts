/** A translated sentence for an error: per code when the catalogue has one, else the server's message. */
import { ApiError } from './client.ts';

export interface Translator {
  t: (key: string) => string;
  te: (key: string) => boolean;
}

export function errorText(error: unknown, { t, te }: Translator): string {
  if (error instanceof ApiError) {
    const key = `errors.${error.code}`;
    if (te(key)) return t(key);
    return error.message || t('errors.unknown');
  }
  return error instanceof Error && error.message ? error.message : t('errors.unknown');
}
