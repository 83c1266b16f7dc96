/** The rules in force, by device kind. Today the kinds' shipped defaults; each is validated like input. */
import { DEVICE_KIND_DEFINITIONS, levelRank, RuleDefinition, type DeviceKindDefinition, type RuleDefinitionInput } from '../../contract/index.ts';

export type CompiledRule = RuleDefinition & { kind: string };

export class RuleDefinitionError extends Error {}

/** Threshold steps must climb in severity and move in the rule's direction. */
function checkSteps(rule: RuleDefinition): void {
  if (rule.condition.type !== 'threshold') return;
  const { steps, direction } = rule.condition;
  for (let i = 1; i < steps.length; i++) {
    const prev = steps[i - 1]!;
    const step = steps[i]!;
    if (levelRank(step.level) <= levelRank(prev.level)) throw new RuleDefinitionError(`${rule.id}: step ${i} must be more severe than step ${i - 1}`);
    if (direction === 'above' ? step.value <= prev.value : step.value >= prev.value) {
      throw new RuleDefinitionError(`${rule.id}: step ${i} must lie further ${direction} than step ${i - 1}`);
    }
  }
}

export function compileRule(kind: DeviceKindDefinition, input: RuleDefinitionInput): CompiledRule {
  const parsed = RuleDefinition.safeParse(input);
  if (!parsed.success) throw new RuleDefinitionError(`${input.id}: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  const rule = parsed.data;
  checkSteps(rule);
  if (rule.condition.type === 'threshold' && !Object.hasOwn(kind.metrics, rule.condition.metric)) {
    throw new RuleDefinitionError(`${rule.id}: ${kind.kind} has no metric ${rule.condition.metric}`);
  }
  if (rule.condition.type === 'event') {
    for (const name of [rule.condition.event, rule.condition.clearEvent]) {
      if (name !== undefined && !Object.hasOwn(kind.events, name)) throw new RuleDefinitionError(`${rule.id}: ${kind.kind} has no event ${name}`);
    }
  }
  return { ...rule, kind: kind.kind };
}

export class RuleSet {
  private readonly byKind = new Map<string, CompiledRule[]>();
  private readonly byId = new Map<string, CompiledRule>();

  constructor(kinds: readonly DeviceKindDefinition[] = DEVICE_KIND_DEFINITIONS) {
    for (const kind of kinds) {
      const rules = kind.rules.map((r) => compileRule(kind, r));
      this.byKind.set(kind.kind, rules);
      for (const rule of rules) {
        if (this.byId.has(rule.id)) throw new RuleDefinitionError(`duplicate rule id ${rule.id}`);
        this.byId.set(rule.id, rule);
      }
    }
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
