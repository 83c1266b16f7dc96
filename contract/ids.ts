import { z } from 'zod';

/** Ids travel in MQTT usernames and topic levels, so they stay within a safe alphabet. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
export const Id = z.string().regex(ID_PATTERN, 'must be 1–64 letters, digits, "_", "." or "-", starting with a letter or digit');
export type Id = z.infer<typeof Id>;
