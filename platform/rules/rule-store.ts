/**
 * Rules as data: the kinds' shipped defaults are seeded as version 1, and every edit through the API is
 * validated (one issue per offending field) and stored as a new version, the old ones kept.
 */
import type { RuleCreate, RuleUpdate, StoredRule } from '../../contract/index.ts';
import { type Database, inTransaction } from '../db/database.ts';
import { isoRequired } from '../db/sql.ts';
import { ApiError } from '../errors.ts';
import { compileRule, RuleDefinitionError, RuleSet, type CompiledRule } from './rule-set.ts';

interface RuleRow {
  id: string;
  kind: string;
  version: number;
  definition: Record<string, unknown>;
  enabled: boolean;
  builtin: boolean;
  updated_at: Date;
  updated_by: string | null;
}

function stored(r: RuleRow): StoredRule {
  const rule = compileRule(r.kind, r.definition, r.version);
  return { ...rule, kind: r.kind, version: r.version, enabled: r.enabled, builtin: r.builtin, updatedAt: isoRequired(r.updated_at), updatedBy: r.updated_by };
}

function validation(error: unknown): never {
  if (error instanceof RuleDefinitionError) throw new ApiError('validation_failed', error.issues);
  throw error;
}

export class RuleStore {
  constructor(private readonly db: Database) {}

  /**
   * Inserts the shipped defaults that are not stored yet, and brings a shipped default nobody has edited
   * (still version 1) up to this release's definition; an edited rule keeps its edits.
   */
  async seed(now: number): Promise<void> {
    const defaults = RuleSet.defaults();
    await this.db.query(
      `INSERT INTO rules (id, kind, version, definition, enabled, builtin, updated_at)
       SELECT id, kind, 1, definition, true, true, $4 FROM unnest($1::text[], $2::text[], $3::jsonb[]) AS d(id, kind, definition)
       ON CONFLICT (id) DO UPDATE SET definition = EXCLUDED.definition
        WHERE rules.builtin AND rules.version = 1 AND rules.definition IS DISTINCT FROM EXCLUDED.definition`,
      [defaults.map((r) => r.id), defaults.map((r) => r.kind), defaults.map(({ kind: _k, version: _v, ...definition }) => JSON.stringify(definition)), new Date(now)],
    );
    await this.db.query(
      `INSERT INTO rule_versions (rule_id, version, definition, enabled, changed_at, changed_by)
       SELECT id, version, definition, enabled, updated_at, 'system' FROM rules WHERE version = 1
       ON CONFLICT (rule_id, version) DO UPDATE SET definition = EXCLUDED.definition WHERE rule_versions.changed_by = 'system'`,
    );
  }

  async list(): Promise<StoredRule[]> {
    const { rows } = await this.db.query<RuleRow>('SELECT * FROM rules ORDER BY kind, id');
    return rows.map(stored);
  }

  async get(id: string): Promise<StoredRule | undefined> {
    const { rows } = await this.db.query<RuleRow>('SELECT * FROM rules WHERE id = $1', [id]);
    return rows[0] && stored(rows[0]);
  }

  async versions(id: string): Promise<{ version: number; definition: unknown; enabled: boolean; changedAt: string; changedBy: string | null }[]> {
    const { rows } = await this.db.query<{ version: number; definition: unknown; enabled: boolean; changed_at: Date; changed_by: string | null }>(
      'SELECT version, definition, enabled, changed_at, changed_by FROM rule_versions WHERE rule_id = $1 ORDER BY version DESC',
      [id],
    );
    return rows.map((r) => ({ version: r.version, definition: r.definition, enabled: r.enabled, changedAt: isoRequired(r.changed_at), changedBy: r.changed_by }));
  }

  /** The rule set in force: enabled rules. */
  async ruleSet(): Promise<RuleSet> {
    const { rows } = await this.db.query<RuleRow>('SELECT * FROM rules WHERE enabled ORDER BY kind, id');
    const rules: CompiledRule[] = rows.map((r) => compileRule(r.kind, r.definition, r.version));
    return new RuleSet(rules);
  }

  async update(id: string, patch: RuleUpdate, actor: string, now: number): Promise<StoredRule | undefined> {
    return inTransaction(this.db, async (client) => {
      const { rows } = await client.query<RuleRow>('SELECT * FROM rules WHERE id = $1 FOR UPDATE', [id]);
      const current = rows[0];
      if (!current) return undefined;
      const { enabled, ...changes } = patch;
      const merged: Record<string, unknown> = { ...current.definition };
      for (const [key, value] of Object.entries(changes)) {
        if (value === undefined) continue;
        if (value === null) delete merged[key];
        else merged[key] = value;
      }
      let compiled: CompiledRule;
      try {
        compiled = compileRule(current.kind, merged, current.version + 1);
      } catch (error) {
        validation(error);
      }
      const { kind: _k, version, ...definition } = compiled;
      const isEnabled = enabled ?? current.enabled;
      await client.query('UPDATE rules SET version = $2, definition = $3, enabled = $4, updated_at = $5, updated_by = $6 WHERE id = $1', [id, version, JSON.stringify(definition), isEnabled, new Date(now), actor]);
      await client.query('INSERT INTO rule_versions (rule_id, version, definition, enabled, changed_at, changed_by) VALUES ($1, $2, $3, $4, $5, $6)', [
        id,
        version,
        JSON.stringify(definition),
        isEnabled,
        new Date(now),
        actor,
      ]);
      return stored({ ...current, version, definition, enabled: isEnabled, updated_at: new Date(now), updated_by: actor });
    });
  }

  async create(input: RuleCreate, actor: string, now: number): Promise<StoredRule> {
    const { kind, ...definition } = input;
    let compiled: CompiledRule;
    try {
      compiled = compileRule(kind, definition);
    } catch (error) {
      validation(error);
    }
    const { kind: _k, version: _v, ...clean } = compiled;
    try {
      await inTransaction(this.db, async (client) => {
        await client.query('INSERT INTO rules (id, kind, version, definition, enabled, builtin, updated_at, updated_by) VALUES ($1, $2, 1, $3, true, false, $4, $5)', [
          compiled.id,
          compiled.kind,
          JSON.stringify(clean),
          new Date(now),
          actor,
        ]);
        await client.query('INSERT INTO rule_versions (rule_id, version, definition, enabled, changed_at, changed_by) VALUES ($1, 1, $2, true, $3, $4)', [compiled.id, JSON.stringify(clean), new Date(now), actor]);
      });
    } catch (error) {
      if ((error as { code?: string }).code === '23505') throw new ApiError('already_exists', [{ path: 'id', message: 'a rule with this id exists' }]);
      throw error;
    }
    return (await this.get(compiled.id))!;
  }
}
