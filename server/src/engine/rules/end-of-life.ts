// What image-eol and dockerfile-eol-base-image report about one image reference: the same
// table, messages, hover details and upgrade for a container's `image` and a FROM line.
import type { ImageReference } from '../images/reference';
import {
  applyReferenceEdits,
  imageReleases,
  isEndOfLife,
  releaseLabel,
  supportedReleases,
  upgradeEdits,
  upgradeTarget,
  type ImageProduct,
  type ReferenceEdit,
  type ReleaseLine,
  type TagRelease,
} from '../images/eol';
import type { ReportData } from '../types';

/** Messages of both rules; `{subject}` is how each names the image (`Image "node:16"`, `FROM node:16`). */
export const END_OF_LIFE_MESSAGES = {
  release: '{subject} runs {product} {release}, whose support ended on {eol}; the oldest release still supported is {target}, {targetSupport}.',
  releaseWithoutUpgrade: '{subject} runs {product} {release}, whose support ended on {eol}, and no newer release is supported: move to {replacement}.',
  base: '{subject} is built on {product} {release}, whose support ended on {eol}; the oldest release still supported is {target}, {targetSupport}.',
  baseWithoutUpgrade: '{subject} is built on {product} {release}, whose support ended on {eol}, and no newer release is supported: move to {replacement}.',
} as const;

export const END_OF_LIFE_FIX = 'Upgrade to the oldest supported release';

export interface EndOfLifeReport {
  messageId: keyof typeof END_OF_LIFE_MESSAGES;
  data: ReportData;
  /** The supported releases and where the dates come from, for the hover. */
  details: string;
  /** Edits inside the reference as written, and the reference they give; undefined without a newer supported release. */
  upgrade: { edits: ReferenceEdit[]; image: string } | undefined;
}

/**
 * End-of-life findings for one reference on `today`: its own release (`node:16-…`), and the base
 * distribution its variant names (`…-alpine3.18`) only when that is itself past its end. A tag the
 * table cannot map (custom, `latest`, a moving `lts`) gives none.
 */
export function endOfLifeReports(reference: ImageReference, subject: string, today: string): readonly EndOfLifeReport[] {
  // Everything the reports depend on: the reference (all of it follows from its text), the subject and the day.
  const key = `${reference.text}\u0000${reference.name}\u0000${reference.tag ?? ''}\u0000${reference.digest ?? ''}\u0000${subject}\u0000${today}`;
  let reports = remembered.get(key);
  if (!reports) {
    reports = reportsOn(reference, subject, today);
    if (remembered.size >= MAX_REMEMBERED) remembered.clear();
    remembered.set(key, reports);
  }
  return reports;
}

/**
 * Reports by reference, subject and day: a keystroke judges every FROM line and image again, and
 * looking a release up in the table is most of what these rules cost. Never modified once made.
 */
const remembered = new Map<string, readonly EndOfLifeReport[]>();
const MAX_REMEMBERED = 10_000;

function reportsOn(reference: ImageReference, subject: string, today: string): readonly EndOfLifeReport[] {
  const named = imageReleases(reference);
  if (!named) return [];
  const reports: EndOfLifeReport[] = [];
  if (named.release && isEndOfLife(named.release.release, today)) reports.push(reportFor(reference, named.release, 'release', subject, today));
  if (named.base && isEndOfLife(named.base.release, today)) reports.push(reportFor(reference, named.base, 'base', subject, today));
  return reports;
}

function reportFor(reference: ImageReference, named: TagRelease, role: 'release' | 'base', subject: string, today: string): EndOfLifeReport {
  const { release } = named;
  const { product } = release;
  const target = upgradeTarget(release, today);
  const data: ReportData = { subject, product: product.name, release: releaseLabel(release), eol: release.eol ?? '' };
  const details = supportDetails(product, today);
  if (!target) {
    return {
      messageId: role === 'release' ? 'releaseWithoutUpgrade' : 'baseWithoutUpgrade',
      data: { ...data, replacement: product.replacement ?? `a maintained image instead of ${product.name}` },
      details,
      upgrade: undefined,
    };
  }
  const edits = upgradeEdits(reference, named, target);
  return {
    messageId: role,
    data: { ...data, target: releaseLabel(target), targetSupport: supportUntil(target) },
    details,
    upgrade: { edits, image: applyReferenceEdits(reference.text, edits) },
  };
}

function supportUntil(release: ReleaseLine): string {
  return release.eol === undefined ? 'with no end date announced yet' : `supported until ${release.eol}`;
}

/** Markdown: the product's supported releases with their end dates, any upgrade caveat, and the source. */
function supportDetails(product: ImageProduct, today: string): string {
  const supported = supportedReleases(product, today);
  const lines =
    supported.length === 0
      ? [`No ${product.name} release is supported on ${today}.`]
      : [`${product.name} releases still supported on ${today}:`, '', ...supported.map((release) => `- ${releaseLabel(release)}: ${supportUntil(release)}`)];
  if (product.upgradeNote !== undefined) lines.push('', product.upgradeNote);
  const checked = product.releases.reduce((latest, release) => (release.checked > latest ? release.checked : latest), '');
  lines.push('', `Source: ${product.source} (checked ${checked}).`);
  return lines.join('\n');
}
