import { booleanOf } from '../source/yaml-view';
import { capabilityList, spellingOf } from './capabilities';
import type { ContainerSite } from './walker';

/**
 * True when the API server would reject `allowPrivilegeEscalation: false` on this container, or
 * might: kube-apiserver refuses it together with `privileged: true` ("cannot set
 * allowPrivilegeEscalation to false and privileged to true") and with CAP_SYS_ADMIN added
 * (ValidateSecurityContext). The API compares the literal `CAP_SYS_ADMIN`, but the runtime grants
 * SYS_ADMIN in any spelling and `ALL` includes it, so each of them counts; a value a Helm action
 * supplies may be any of them.
 */
export function conflictsWithNoNewPrivileges(container: ContainerSite): boolean {
  const { security } = container;
  // A Helm action on a line of its own may write `privileged: true` into the securityContext.
  if (security.unknown) return true;
  const privileged = security.own('privileged');
  if (privileged && (privileged.templated || booleanOf(privileged.value) === true)) return true;
  if (security.own('capabilities')?.templated) return true;
  const added = capabilityList(container, 'add');
  if (!added) return false;
  return added.hasTemplatedContent || added.items.some((item) => GRANTS_SYS_ADMIN.has(spellingOf(item.name).canonical));
}

const GRANTS_SYS_ADMIN: ReadonlySet<string> = new Set(['SYS_ADMIN', 'ALL']);
