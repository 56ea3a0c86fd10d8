import { isImageReferenceError, parseImageReference } from '../images/reference';
import type { DockerStage } from '../parse/dockerfile';

/**
 * Windows containers have no numeric users: `ContainerAdministrator` is their root and
 * `ContainerUser` the unprivileged account the base images provide (RULES.md, Dockerfile rules).
 */
export const WINDOWS_ADMINISTRATOR = 'ContainerAdministrator';
export const WINDOWS_USER = 'ContainerUser';

/**
 * The user a Windows stage runs as when no USER sets one, or undefined for a stage that does not
 * build a Windows image. A Windows base is `mcr.microsoft.com/windows…`, a repository ending in
 * `/nanoserver` or `/servercore`, or an image whose tag names one of those bases
 * (`mcr.microsoft.com/dotnet/runtime:8.0-nanoserver-ltsc2022`), reached through the stages it is
 * built FROM. Nano Server images run as ContainerUser by default, Server Core and Windows images
 * as ContainerAdministrator.
 */
export function windowsDefaultUser(stage: DockerStage): string | undefined {
  let root = stage;
  for (let hops = 0; root.parent && hops < 64; hops++) root = root.parent;
  const resolved = root.image?.resolved;
  if (resolved === undefined) return undefined;
  const reference = parseImageReference(resolved);
  if (isImageReferenceError(reference)) return undefined;
  const { registry, repository, tag = '' } = reference;
  const base = /(?:^|\/)(nanoserver|servercore)$/.exec(repository)?.[1] ?? /(?:^|-)(nanoserver|windowsservercore|servercore)(?:-|$)/.exec(tag)?.[1];
  if (base === 'nanoserver') return WINDOWS_USER;
  if (base !== undefined || (registry === 'mcr.microsoft.com' && /^windows(?:\/|$)/.test(repository))) return WINDOWS_ADMINISTRATOR;
  return undefined;
}

export function isWindowsStage(stage: DockerStage): boolean {
  return windowsDefaultUser(stage) !== undefined;
}

/** Windows account names compare without case. */
export function isWindowsAdministrator(name: string): boolean {
  return name.toLowerCase() === WINDOWS_ADMINISTRATOR.toLowerCase();
}
