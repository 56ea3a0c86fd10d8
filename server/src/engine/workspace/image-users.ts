/**
 * Who an image built in this workspace runs as (RULES.md, "Images built here"): the last USER of
 * the build's final stage (or its `target`), inherited through `FROM <stage>`; with no USER, root,
 * unless the base image is known to set a non-root user.
 */
import { dirname, relative } from 'node:path';
import { isImageReferenceError, parseImageReference } from '../images/reference';
import type { DockerfileFact, DockerfileStageFact, FactLocation, ImageBuildFact } from './facts';
import type { WorkspaceView } from './model';
import { isWindowsAdministrator } from '../dockerfile/windows';

export type ImageUserKind =
  /** USER root, 0, root:… or 0:…, ContainerAdministrator on Windows, or no USER at all. */
  | 'root'
  /** A user name (`app`): not root, but the kubelet cannot verify it for runAsNonRoot. */
  | 'named'
  /** A non-zero UID. */
  | 'numeric'
  /** A Windows user other than ContainerAdministrator: Windows has no UIDs. */
  | 'windows-user'
  /** No USER, but the base image sets a non-root user (distroless or Chainguard `:nonroot`, an image built here). */
  | 'non-root-base';

export interface ImageUser {
  kind: ImageUserKind;
  /** The user as written, when a USER line decides it. */
  user?: string;
  /** The USER line that decides it, else the final stage's last line. */
  at: FactLocation;
  /** The Dockerfile the image is built from, and how this workspace maps the image to it. */
  dockerfile: string;
  build: ImageBuildFact;
}

/** Base images that are built here nest at most this deep (a Dockerfile FROM an image built by another). */
const MAX_BASE_DEPTH = 8;

/**
 * Who the image runs as, when this workspace builds it (`image` as written in a manifest: tags and
 * digests are ignored); undefined when it is not built here, or when who it runs as cannot be
 * known (a USER from an ARG without default, a Dockerfile not in the workspace, an unknown target).
 */
export function builtImageUser(image: string, workspace: WorkspaceView): ImageUser | undefined {
  return resolve(image, workspace, 0);
}

function resolve(image: string, workspace: WorkspaceView, depth: number): ImageUser | undefined {
  if (depth > MAX_BASE_DEPTH) return undefined;
  const parsed = parseImageReference(image);
  if (isImageReferenceError(parsed)) return undefined;
  // A workspace that maps one image twice (skaffold and compose) builds it from the first mapping.
  const build = workspace.imageBuilds(parsed.name)[0];
  if (!build) return undefined;
  const dockerfile = workspace.dockerfile(build.dockerfile);
  const stage = dockerfile && stageBuilt(dockerfile, build.target);
  if (!stage) return undefined;
  const decided = { dockerfile: build.dockerfile, build };
  if (stage.user) {
    if (stage.user.value === undefined) return undefined;
    return { kind: userKind(stage.user.value, stage.windowsDefaultUser !== undefined), user: stage.user.value, at: stage.user.at, ...decided };
  }
  if (stage.baseImage !== undefined && isKnownNonRootBase(stage.baseImage)) return { kind: 'non-root-base', at: stage.lastLine, ...decided };
  const base = stage.baseImage === undefined ? undefined : resolve(stage.baseImage, workspace, depth + 1);
  if (base && base.kind !== 'root') return { ...base, ...decided, kind: base.kind === 'named' || base.kind === 'numeric' ? base.kind : 'non-root-base' };
  // Windows images run as their base's default user (ContainerUser on Nano Server); Linux ones as root.
  if (stage.windowsDefaultUser !== undefined) return { kind: userKind(stage.windowsDefaultUser, true), user: stage.windowsDefaultUser, at: stage.lastLine, ...decided };
  return { kind: 'root', at: stage.lastLine, ...decided };
}

/** The stage `docker build --target` builds, or the last one. */
function stageBuilt(dockerfile: DockerfileFact, target: string | undefined): DockerfileStageFact | undefined {
  if (target === undefined) return dockerfile.stages[dockerfile.stages.length - 1];
  return dockerfile.stages.find((stage) => stage.name === target.toLowerCase());
}

function userKind(written: string, isWindows: boolean): ImageUserKind {
  const user = (written.split(':')[0] ?? '').trim();
  if (isWindows) return isWindowsAdministrator(user) ? 'root' : 'windows-user';
  if (user === 'root' || /^0+$/.test(user) || user === '') return 'root';
  return /^\d+$/.test(user) ? 'numeric' : 'named';
}

/** Distroless and Chainguard publish `nonroot` tags (`:nonroot`, `:latest-nonroot`, `:debug-nonroot`) that run as UID 65532. */
function isKnownNonRootBase(image: string): boolean {
  const parsed = parseImageReference(image);
  if (isImageReferenceError(parsed) || parsed.tag === undefined) return false;
  const publisher = parsed.name.startsWith('gcr.io/distroless/') || parsed.name.startsWith('cgr.dev/chainguard/');
  return publisher && /(^|-)nonroot($|-)/.test(parsed.tag);
}

/** How a message names another file: relative to the folder of the file it is shown in. */
export function pathFrom(shownIn: string, other: string): string {
  return relative(dirname(shownIn), other).split('\\').join('/') || other;
}
