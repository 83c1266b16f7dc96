/**
 * One setting kept as JSON in the `settings` table, validated by its schema, read once at start and
 * cached. A stored value that no longer parses (an older release's shape) falls back to the default.
 */
import type { z } from 'zod';
import type { Database } from '../db/database.ts';

export class SettingStore<T> {
  private current: T;

  constructor(
    private readonly db: Database,
    private readonly key: string,
    private readonly schema: z.ZodType<T>,
    private readonly fallback: T,
  ) {
    this.current = fallback;
  }

  async load(): Promise<T> {
    const { rows } = await this.db.query<{ value: string }>('SELECT value FROM settings WHERE key = $1', [this.key]);
    const parsed = rows[0] ? this.schema.safeParse(JSON.parse(rows[0].value)) : undefined;
    this.current = parsed?.success ? parsed.data : this.fallback;
    return this.current;
  }

  get(): T {
    return this.current;
  }

  async save(value: T): Promise<T> {
    await this.db.query('INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value', [this.key, JSON.stringify(value)]);
    this.current = value;
    return value;
  }
}
