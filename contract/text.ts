import { z } from 'zod';

/** A text in both languages the product speaks: zh-CN first, English second. */
export const LocalizedText = z.object({ 'zh-CN': z.string().min(1), en: z.string().min(1) });
export type LocalizedText = z.infer<typeof LocalizedText>;

export function text(zh: string, en: string): LocalizedText {
  return { 'zh-CN': zh, en };
}
