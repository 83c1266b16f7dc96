/**
 * The rules in force, by device kind: the kinds' shipped defaults, or the stored (edited) rules. Every
 * rule is validated like input, then checked against its kind (the metrics and events it names exist).
 */
import { DEVICE_KIND_DEFINITIONS, fieldIssues, findDeviceKind, levelRank, RuleDefinition, type DeviceKindDefinition, type FieldIssue, type RuleDefinitionInput } from '../../contract/index.ts';

export type CompiledRule = RuleDefinition & { kind: string; version: number };

export class RuleDefinitionError extends Error {
  constructor(readonly issues: FieldIssue[]) {
    super(issues.map((i) => `${i.path}: ${i.message}`).join('; '));
  }
}

/** Problems a schema cannot see: step order, and names the kind does not define. */
function semanticIssues(rule: RuleDefinition, kind: DeviceKindDefinition): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const c = rule.condition;
  if (c.type === 'threshold') {
    for (let i = 1; i < c.steps.length; i++) {
      const prev = c.steps[i - 1]!;
      const step = c.steps[i]!;
      if (levelRank(step.level) <= levelRank(prev.level)) issues.push({ path: `condition.steps.${i}.level`, message: `must be more severe than step ${i - 1}` });
      if (c.direction === 'above' ? step.value <= prev.value : step.value >= prev.value) issues.push({ path: `condition.steps.${i}.value`, message: `must lie further ${c.direction} than step ${i - 1}` });
    }
  }
  if ((c.type === 'threshold' || c.type === 'rate') && !Object.hasOwn(kind.metrics, c.metric)) {
    issues.push({ path: 'condition.metric', message: `${kind.kind} has no metric ${c.metric}; it has ${Object.keys(kind.metrics).join(', ')}` });
  }
  const events: [string, string | undefined][] =
    c.type === 'event' ? [['condition.event', c.event], ['condition.clearEvent', c.clearEvent]] : c.type === 'absence' ? [['condition.event', c.event]] : [];
  for (const [path, name] of events) {
    if (name !== undefined && !Object.hasOwn(kind.events, name)) issues.push({ path, message: `${kind.kind} has no event ${name}; it has ${Object.keys(kind.events).join(', ')}` });
  }
  if (rule.schedule && rule.schedule.from === rule.schedule.to) issues.push({ path: 'schedule.to', message: 'must differ from schedule.from' });
  return issues;
}

/** Validates a rule for a kind; throws RuleDefinitionError with one issue per offending field. */
export function compileRule(kindName: string, input: RuleDefinitionInput | unknown, version = 1): CompiledRule {
  const kind = findDeviceKind(kindName);
  if (!kind) throw new RuleDefinitionError([{ path: 'kind', message: `no device kind ${kindName}` }]);
  const parsed = RuleDefinition.safeParse(input);
  if (!parsed.success) throw new RuleDefinitionError(fieldIssues(parsed.error));
  const issues = semanticIssues(parsed.data, kind);
  if (issues.length) throw new RuleDefinitionError(issues);
  return { ...parsed.data, kind: kind.kind, version };
}

export class RuleSet {
  private readonly byKind = new Map<string, CompiledRule[]>();
  private readonly byId = new Map<string, CompiledRule>();

  constructor(rules: readonly CompiledRule[] = RuleSet.defaults()) {
    for (const rule of rules) {
      if (this.byId.has(rule.id)) throw new RuleDefinitionError([{ path: 'id', message: `duplicate rule id ${rule.id}` }]);
      this.byId.set(rule.id, rule);
      const list = this.byKind.get(rule.kind) ?? [];
      list.push(rule);
      this.byKind.set(rule.kind, list);
    }
  }

  /** The shipped defaults of every kind. */
  static defaults(kinds: readonly DeviceKindDefinition[] = DEVICE_KIND_DEFINITIONS): CompiledRule[] {
    return kinds.flatMap((kind) => kind.rules.map((r) => compileRule(kind.kind, r)));
  }

  forKind(kind: string): readonly CompiledRule[] {
    return this.byKind.get(kind) ?? [];
  }

  get(id: string): CompiledRule | undefined {
    return this.byId.get(id);
  }

  all(): CompiledRule[] {
    return [...this.byId.values()];
  }
}
