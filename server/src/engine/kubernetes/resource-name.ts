import type { KubeResource } from './walker';

/** The resource's name as messages show it: a name written with Helm actions shows their source. */
export function displayName(resource: KubeResource): string {
  return resource.view.getDisplay(resource.metadata, 'name') ?? '(unnamed)';
}
