// Matching image references against the end-of-life table: which official image a reference names,
// which release line its tag names (and which base distribution release its variant names), and
// what the upgrade writes. Issue 17 and both end-of-life rules share it.
import type { ImageReference } from './reference';
import { EOL_TABLE, IMAGES_NAMED_BY_BASE, OFFICIAL_IMAGE_MIRRORS, PRODUCTS_BY_IMAGE_NAME, type EolTable, type ImageProduct, type ReleaseLine } from './eol-table';

export { EOL_TABLE } from './eol-table';
export type { EolTable, ImageProduct, ReleaseLine } from './eol-table';

/** A release named inside a tag, and the part of the tag that names it. */
export interface TagRelease {
  readonly release: ReleaseLine;
  /** Offsets into the tag of what the upgrade replaces (`16.20.2` in `16.20.2-alpine`). */
  readonly start: number;
  readonly end: number;
  /** The tag names the release by an alias (a codename), so the upgrade writes one too. */
  readonly byAlias: boolean;
}

/** What a reference's tag says about releases. */
export interface ImageReleases {
  readonly product: ImageProduct;
  /** The image's own release (`16` in `node:16-alpine3.18`); undefined for a moving tag (`lts-alpine3.18`). */
  readonly release: TagRelease | undefined;
  /** The base distribution release its variant names (`3.18` in `alpine3.18`). */
  readonly base: TagRelease | undefined;
}

/** A text replacement inside an image reference as written. */
export interface ReferenceEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** How old the table's review may be before `npm run check:eol-table` fails and the CLI warns. */
export const EOL_TABLE_MAX_AGE_DAYS = 180;

/**
 * The product an image reference names: a Docker official image by any of its names (`node`,
 * `library/node`, `docker.io/library/node`, `index.docker.io/library/node`), its per-architecture
 * namespaces (`arm64v8/node`) and its public mirrors (`public.ecr.aws/docker/library/node`).
 * Tags and digests play no part.
 */
export function productOf(reference: ImageReference): ImageProduct | undefined {
  return PRODUCTS_BY_IMAGE_NAME.get(reference.name);
}

/**
 * One name for an image that several registries serve byte for byte: an official image's public
 * mirrors (`public.ecr.aws/docker/library/node`, `mirror.gcr.io/library/node`) are
 * `docker.io/library/node`, with the same tags and digests. Other names are returned as they are.
 */
export function canonicalImageName(name: string): string {
  for (const mirror of OFFICIAL_IMAGE_MIRRORS) {
    const image = name.startsWith(`${mirror}/`) ? name.slice(mirror.length + 1) : undefined;
    if (image !== undefined && !image.includes('/')) return `docker.io/library/${image}`;
  }
  return name;
}

/** The releases a reference's tag names; undefined when the image is not in the table or has no tag. */
export function imageReleases(reference: ImageReference): ImageReleases | undefined {
  const product = productOf(reference);
  const tag = reference.tag;
  if (tag === undefined) return undefined;
  if (IMAGES_NAMED_BY_BASE.has(reference.name)) {
    // The whole tag is the variant: `bookworm-scm` names Debian 12 and nothing else.
    const base = baseInVariant(tag, 0);
    return base ? { product: base.release.product, release: undefined, base } : undefined;
  }
  if (!product) return undefined;
  const match = product.tagPattern.exec(tag);
  const token = match?.groups?.['release'];
  const line = match?.groups?.['line'];
  if (!match || token === undefined || line === undefined) return undefined;
  // The release token always starts the tag (the patterns are anchored).
  const release = tagRelease(product, line, 0, token.length);
  // A distribution's own tags name no other distribution (`debian:bookworm-slim`).
  const base = product.basePattern === undefined ? baseInVariant(tag, token.length) : undefined;
  if (!release && !base) return undefined;
  return { product, release, base };
}

/** Whether the release's support has ended on `today` (`YYYY-MM-DD`, UTC): its last day has passed. */
export function isEndOfLife(release: ReleaseLine, today: string): boolean {
  return release.eol !== undefined && today > release.eol;
}

/** The product's releases still supported on `today`, oldest first. */
export function supportedReleases(product: ImageProduct, today: string): ReleaseLine[] {
  return product.releases.filter((release) => !isEndOfLife(release, today));
}

/**
 * The release an end-of-life release upgrades to: the oldest release line newer than it that is
 * still supported on `today` (never a downgrade); undefined when none is (CentOS Linux).
 */
export function upgradeTarget(release: ReleaseLine, today: string): ReleaseLine | undefined {
  return release.product.releases.find((candidate) => candidate.order > release.order && !isEndOfLife(candidate, today));
}

/** How a tag writes `release`: by codename when the tag it replaces did, else by number. */
export function releaseTagText(release: ReleaseLine, byAlias: boolean): string {
  const codename = codenameOf(release);
  return byAlias && codename !== undefined ? codename : release.line;
}

/** How messages name a release: `10 (buster)`, `3.8`. */
export function releaseLabel(release: ReleaseLine): string {
  const codename = codenameOf(release);
  return codename === undefined ? release.line : `${release.line} (${codename})`;
}

/**
 * The edits that upgrade `named` to `target` inside the reference as written: the release text is
 * replaced and everything else of the tag kept (variant, suffixes); a digest is dropped, since it
 * pins the old release's content.
 */
export function upgradeEdits(reference: ImageReference, named: TagRelease, target: ReleaseLine): ReferenceEdit[] {
  const tag = reference.tag ?? '';
  const at = reference.text.indexOf('@');
  const tagStart = (at === -1 ? reference.text.length : at) - tag.length;
  const edits: ReferenceEdit[] = [{ start: tagStart + named.start, end: tagStart + named.end, text: releaseTagText(target, named.byAlias) }];
  if (at !== -1) edits.push({ start: at, end: reference.text.length, text: '' });
  return edits;
}

/** `text` with non-overlapping `edits` applied. */
export function applyReferenceEdits(text: string, edits: readonly ReferenceEdit[]): string {
  let result = text;
  for (const edit of [...edits].sort((a, b) => b.start - a.start)) result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
  return result;
}

/** Days from the table's review to `today` (both `YYYY-MM-DD`). */
export function eolTableAgeInDays(today: string, table: EolTable = EOL_TABLE): number {
  return Math.floor((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${table.reviewed}T00:00:00Z`)) / 86_400_000);
}

/** Whether the table's newest review is more than EOL_TABLE_MAX_AGE_DAYS old on `today`. */
export function isEolTableStale(today: string, table: EolTable = EOL_TABLE): boolean {
  return eolTableAgeInDays(today, table) > EOL_TABLE_MAX_AGE_DAYS;
}

function tagRelease(product: ImageProduct, key: string, start: number, end: number): TagRelease | undefined {
  const release = product.releases.find((candidate) => candidate.line === key || candidate.aliases.includes(key));
  return release ? { release, start, end, byAlias: release.line !== key } : undefined;
}

/** Distributions other images are built on, named in their variants. */
const BASE_PRODUCTS = EOL_TABLE.products.filter((product) => product.basePattern !== undefined);

/** The first base distribution release a tag's variant names (`-alpine3.18`, `-slim-bookworm`), from `variantStart` on. */
function baseInVariant(tag: string, variantStart: number): TagRelease | undefined {
  let offset = variantStart;
  for (const token of tag.slice(variantStart).split('-')) {
    for (const product of BASE_PRODUCTS) {
      const match = product.basePattern?.exec(token);
      const release = match?.groups?.['release'];
      const line = match?.groups?.['line'];
      if (!match || release === undefined || line === undefined) continue;
      const start = offset + token.indexOf(release);
      const named = tagRelease(product, line, start, start + release.length);
      if (named) return named;
    }
    offset += token.length + 1;
  }
  return undefined;
}

function codenameOf(release: ReleaseLine): string | undefined {
  return release.aliases.find((alias) => /^[a-z]/.test(alias));
}
