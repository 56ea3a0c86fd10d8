import { containsValueMask } from '../parse/helm-mask';
import type { KubeResource } from './walker';

/** The resource's name as messages show it: masked Helm actions would show as private-use characters. */
export function displayName(resource: KubeResource): string {
  if (resource.name === undefined) return '(unnamed)';
  return containsValueMask(resource.name) ? '(name set by a template)' : resource.name;
}
