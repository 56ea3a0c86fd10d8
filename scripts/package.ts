/**
 * `npm run package [-- --out FILE]`: the .vsix, with docs/marketplace.md as its README (the
 * repository's README is for developers), then checked: at most 1 MB, and nothing in it but what
 * runs and what a user reads (no TypeScript, source maps, tests, node_modules or screenshots).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { inflateRawSync } from 'node:zlib';

const ROOT = resolve(__dirname, '..');
const MAX_BYTES = 1024 * 1024;

/** Entries of a zip archive, read from its central directory (a .vsix is a zip). */
export function zipEntries(archive: Buffer): Array<{ name: string; read(): Buffer }> {
  const end = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error('not a zip archive');
  const count = archive.readUInt16LE(end + 10);
  let offset = archive.readUInt32LE(end + 16);
  const entries: Array<{ name: string; read(): Buffer }> = [];
  for (let i = 0; i < count; i++) {
    const method = archive.readUInt16LE(offset + 10);
    const compressedSize = archive.readUInt32LE(offset + 20);
    const nameLength = archive.readUInt16LE(offset + 28);
    const extraLength = archive.readUInt16LE(offset + 30);
    const commentLength = archive.readUInt16LE(offset + 32);
    const local = archive.readUInt32LE(offset + 42);
    const name = archive.toString('utf8', offset + 46, offset + 46 + nameLength);
    entries.push({
      name,
      read: () => {
        const dataStart = local + 30 + archive.readUInt16LE(local + 26) + archive.readUInt16LE(local + 28);
        const data = archive.subarray(dataStart, dataStart + compressedSize);
        return method === 0 ? Buffer.from(data) : inflateRawSync(data);
      },
    });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

const SHIPPED = [
  /^extension\/(package\.json|readme\.md|changelog\.md|LICENSE\.txt)$/i,
  /^extension\/client\/out\/extension\.js$/,
  /^extension\/server\/out\/(server|scan-worker)\.js$/,
  /^extension\/server\/out\/docs\/[a-z0-9-]+\.md$/,
  /^extension\/syntaxes\/[^/]+\.json$/,
  /^extension\/schemas\/shipshape\.schema\.json$/,
  /^extension\/images\/icon\.png$/,
  /^extension\/walkthrough\/([a-z]+\.md|example-deployment\.yaml)$/,
  /^extension\.vsixmanifest$/,
  /^\[Content_Types\]\.xml$/,
];

/** What is wrong with a packaged .vsix; empty when nothing is. */
export function vsixProblems(path: string): string[] {
  const problems: string[] = [];
  const size = statSync(path).size;
  if (size > MAX_BYTES) problems.push(`${path} is ${(size / 1024).toFixed(0)} KB, more than 1 MB`);
  for (const entry of zipEntries(readFileSync(path))) {
    if (!SHIPPED.some((pattern) => pattern.test(entry.name))) problems.push(`${entry.name} should not be shipped`);
  }
  return problems;
}

function main(): number {
  const outIndex = process.argv.indexOf('--out');
  const out = resolve(outIndex > 0 ? (process.argv[outIndex + 1] ?? 'shipshape.vsix') : 'shipshape.vsix');
  const vsce = join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  // The bundles hold every dependency: npm's dependency tree is not consulted (--no-dependencies).
  execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--readme-path', 'docs/marketplace.md', '--out', out], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const problems = vsixProblems(out);
  for (const problem of problems) console.error(`package: ${problem}`);
  return problems.length > 0 ? 1 : 0;
}

if (require.main === module) process.exitCode = main();
