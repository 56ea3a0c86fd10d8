import type { DockerfileRule, KubernetesRule, RuleDefinition } from './define';
import { configError, fileSkipped, invalidImageReference, parseError } from './engine-findings';
import privilegeEscalationAllowed from './kubernetes/privilege-escalation-allowed';

/**
 * The one registry: every rule and engine finding, sorted by id. Adding a rule means one import
 * and one entry here; a duplicate id fails at load.
 */
const DEFINITIONS: RuleDefinition[] = [
  configError,
  fileSkipped,
  invalidImageReference,
  parseError,
  privilegeEscalationAllowed,
];

function buildRegistry(definitions: RuleDefinition[]): ReadonlyMap<string, RuleDefinition> {
  const registry = new Map<string, RuleDefinition>();
  for (const definition of [...definitions].sort((a, b) => a.meta.id.localeCompare(b.meta.id))) {
    if (registry.has(definition.meta.id)) throw new Error(`Duplicate rule id in the registry: ${definition.meta.id}`);
    registry.set(definition.meta.id, definition);
  }
  return registry;
}

export const REGISTRY = buildRegistry(DEFINITIONS);

export const ALL_RULES: readonly RuleDefinition[] = [...REGISTRY.values()];

export const KUBERNETES_RULES: readonly KubernetesRule[] = ALL_RULES.filter((r): r is KubernetesRule => r.meta.kind === 'kubernetes');

export const DOCKERFILE_RULES: readonly DockerfileRule[] = ALL_RULES.filter((r): r is DockerfileRule => r.meta.kind === 'dockerfile');

export const RULE_IDS: ReadonlySet<string> = new Set(REGISTRY.keys());
