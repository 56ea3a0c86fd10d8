import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, resolveConfig } from '../../server/src/engine';
import { isImageReferenceError, parseImageReference, type ImageReference } from '../../server/src/engine/images/reference';
import {
  applyReferenceEdits,
  EOL_TABLE,
  EOL_TABLE_MAX_AGE_DAYS,
  eolTableAgeInDays,
  imageReleases,
  isEndOfLife,
  isEolTableStale,
  upgradeEdits,
  upgradeTarget,
  type TagRelease,
} from '../../server/src/engine/images/eol';

const TODAY = '2026-12-05';

function reference(text: string): ImageReference {
  const parsed = parseImageReference(text);
  if (isImageReferenceError(parsed)) throw new Error(parsed.error);
  return parsed;
}

/** `product line` of the image's own release and of its base, or `-`. */
function describeReleases(text: string): string {
  const found = imageReleases(reference(text));
  const name = (named: TagRelease | undefined): string => (named ? `${named.release.product.id} ${named.release.line}` : '-');
  return found ? `${name(found.release)} / ${name(found.base)}` : 'unmapped';
}

/** The reference after upgrading every end-of-life release it names, on TODAY. */
function upgraded(text: string): string {
  const ref = reference(text);
  const found = imageReleases(ref);
  let result = text;
  for (const named of [found?.release, found?.base]) {
    if (!named || !isEndOfLife(named.release, TODAY)) continue;
    const target = upgradeTarget(named.release, TODAY);
    if (target) result = applyReferenceEdits(result, upgradeEdits(reference(result), { ...named }, target));
  }
  return result;
}

describe('end-of-life table', () => {
  it('covers every image RULES.md lists for image-eol', () => {
    const ids = EOL_TABLE.products.map((product) => product.id);
    for (const id of ['alpine', 'debian', 'ubuntu', 'centos', 'node', 'python', 'golang', 'openjdk', 'eclipse-temurin', 'php', 'ruby', 'postgres', 'mysql', 'redis', 'nginx']) {
      assert.ok(ids.includes(id), `${id} is missing`);
    }
  });

  it('has well-formed rows: dates, a source, no row checked after the review', () => {
    for (const product of EOL_TABLE.products) {
      assert.match(product.source, /^https:\/\//, product.id);
      assert.ok(product.releases.length > 0, product.id);
      for (const release of product.releases) {
        assert.ok(release.checked <= EOL_TABLE.reviewed, `${product.id} ${release.line} was checked after the review date`);
        assert.ok(release.eol === undefined || /^\d{4}-\d{2}-\d{2}$/.test(release.eol), `${product.id} ${release.line}`);
        assert.ok(!Number.isNaN(Date.parse(`${release.eol ?? release.checked}T00:00:00Z`)), `${product.id} ${release.line} has an impossible date`);
      }
      // A product with no replacement must keep a supported release, or the message has nothing to offer.
      if (product.replacement === undefined) assert.ok(product.releases.some((release) => !isEndOfLife(release, TODAY)), product.id);
    }
  });

  it('maps every tag family the issue names, and ignores tags it cannot map', () => {
    const expected: Record<string, string> = {
      'node:16-alpine3.18': 'node 16 / alpine 3.18',
      'python:3.8-slim-bookworm': 'python 3.8 / debian 12',
      'debian:buster-slim': 'debian 10 / -',
      'openjdk:8-jre': 'openjdk 8 / -',
      'eclipse-temurin:11-jdk-jammy': 'eclipse-temurin 11 / ubuntu 22.04',
      'ubuntu:18.04': 'ubuntu 18.04 / -',
      'ubuntu:jammy': 'ubuntu 22.04 / -',
      'alpine:3.12.0': 'alpine 3.12 / -',
      'centos:7': 'centos 7 / -',
      'nginx:1.26.3-alpine-perl': 'nginx 1.26 / -',
      'golang:1.21-bookworm': 'golang 1.21 / debian 12',
      'postgres:12-alpine': 'postgres 12 / -',
      'redis:6.2': 'redis 6.2 / -',
      // Spellings of the same official image.
      'library/node:16': 'node 16 / -',
      'docker.io/library/node:16': 'node 16 / -',
      'index.docker.io/library/node:16': 'node 16 / -',
      'arm64v8/node:16': 'node 16 / -',
      'public.ecr.aws/docker/library/node:16': 'node 16 / -',
      // Codenames, frozen majors, patch versions, dated snapshots, pre-9.x numbering.
      'node:gallium-alpine': 'node 16 / -',
      'python:2': 'python 2.7 / -',
      'php:7-apache': 'php 7.4 / -',
      'postgres:9.6.24': 'postgres 9.6 / -',
      'postgres:12.19-bookworm': 'postgres 12 / debian 12',
      'debian:bookworm-20240211-slim': 'debian 12 / -',
      'ubuntu:noble-20240605': 'ubuntu 24.04 / -',
      'eclipse-temurin:8u402-b06-jre-focal': 'eclipse-temurin 8 / ubuntu 20.04',
      'eclipse-temurin:21.0.2_13-jdk-alpine': 'eclipse-temurin 21 / -',
      'centos:centos7.9.2009': 'centos 7 / -',
      'pypy:3.9-7.3.16-slim': 'pypy 3.9 / -',
      'mysql:8.0.36-oracle': 'mysql 8.0 / -',
      'node:0.10.48-slim': 'node 0.10 / -',
      // An image whose tag names only the distribution it is built on.
      'buildpack-deps:buster-scm': '- / debian 10',
      'buildpack-deps:noble': '- / ubuntu 24.04',
      'buildpack-deps:latest': 'unmapped',
      // A moving release with a fixed base: the base is still judged.
      'node:lts-alpine3.18': '- / alpine 3.18',
      // Unmappable: moving tags, unknown lines, other images.
      'node:latest': 'unmapped',
      'node:lts': 'unmapped',
      'python:3': 'unmapped',
      'debian:stable-slim': 'unmapped',
      'alpine:edge': 'unmapped',
      'pypy:2.7': 'unmapped',
      'registry.example.com/node:16': 'unmapped',
      'bitnami/node:16': 'unmapped',
      'node@sha256:0f04e4f646a3f14bf31d8bc8d885b6c951fdcf42589d06845f64d18aec6a3c4d': 'unmapped',
    };
    const actual = Object.fromEntries(Object.keys(expected).map((text) => [text, describeReleases(text)]));
    assert.deepEqual(actual, expected);
  });

  it('upgrades to the oldest newer supported release, keeping the variant and dropping a digest', () => {
    const expected: Record<string, string> = {
      'node:16-alpine': 'node:22-alpine',
      'node:16-alpine3.18': 'node:22-alpine3.22',
      'python:3.8-slim-bookworm': 'python:3.11-slim-bookworm',
      'debian:buster-slim': 'debian:bookworm-slim',
      'debian:10.13': 'debian:12',
      'node:gallium@sha256:0f04e4f646a3f14bf31d8bc8d885b6c951fdcf42589d06845f64d18aec6a3c4d': 'node:jod',
      // Never a downgrade: Redis 6.2 is still supported, but 7.0 moves forward to 7.2.
      'redis:7.0-alpine': 'redis:7.2-alpine',
      // An interim Ubuntu release moves to the next supported one, skipping ended ones.
      'ubuntu:plucky': 'ubuntu:resolute',
      'ubuntu:18.04': 'ubuntu:22.04',
      'buildpack-deps:buster-scm': 'buildpack-deps:bookworm-scm',
      // Supported, or nothing newer to move to: unchanged.
      'ubuntu:jammy': 'ubuntu:jammy',
      'centos:7': 'centos:7',
    };
    const actual = Object.fromEntries(Object.keys(expected).map((text) => [text, upgraded(text)]));
    assert.deepEqual(actual, expected);
  });

  it('counts the end-of-life day itself as supported', () => {
    const named = imageReleases(reference('node:20'))?.release;
    assert.ok(named);
    assert.equal(named.release.eol, '2026-04-30');
    assert.deepEqual(
      ['2026-04-29', '2026-04-30', '2026-05-01'].map((day) => isEndOfLife(named.release, day)),
      [false, false, true],
    );
  });

  it(`is stale more than ${EOL_TABLE_MAX_AGE_DAYS} days after its review`, () => {
    const table = { ...EOL_TABLE, reviewed: '2026-01-01' };
    assert.equal(eolTableAgeInDays('2026-06-30', table), 180);
    assert.equal(isEolTableStale('2026-06-30', table), false);
    assert.equal(isEolTableStale('2026-07-01', table), true);
  });

  it('re-judges a cached YAML section on another day', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app\n      image: node:20\n';
    const cache = new Map();
    const eolOn = (day: string): number =>
      analyze({ path: 'pod.yaml', text, config: resolveConfig({}), today: new Date(`${day}T12:00:00Z`), cache }).findings.filter((f) => f.ruleId === 'image-eol').length;
    assert.equal(eolOn('2026-04-30'), 0);
    assert.equal(eolOn('2026-05-01'), 1);
  });

  it('offers no fix in a JSON manifest, and shows the supported releases in the details', () => {
    const text = JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'app', image: 'node:20' }] } });
    const finding = analyze({ path: 'pod.json', text, config: resolveConfig({}), today: new Date('2026-12-05T00:00:00Z') }).findings.find((f) => f.ruleId === 'image-eol');
    assert.ok(finding);
    assert.equal(finding.fix, undefined);
    assert.match(finding.details ?? '', /- 22 \(jod\): supported until 2027-04-30/);
    assert.match(finding.details ?? '', /Source: https:\/\/github\.com\/nodejs\/Release/);
  });
});
