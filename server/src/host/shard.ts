/**
 * `--shard i/n`: which of the discovered files one job of a CI matrix analyses. Each file goes to
 * the shard that scores it highest (rendezvous hashing of its path relative to the config root),
 * so the split depends on nothing but the paths: every job computes the same one, a checkout
 * anywhere gives the same one, and a file added or removed moves no other file. Only when that
 * leaves a shard empty (few files) is it rebalanced, deterministically: an empty shard takes the
 * file it scores highest from the shards holding two or more. So no shard is empty while there
 * are at least n files, and the shards together hold every file exactly once.
 */
import { createHash } from 'node:crypto';
import { relative } from 'node:path';
import { toPosix } from './discovery';

export interface Shard {
  /** 1-based, as written. */
  index: number;
  count: number;
}

/** The largest `n` accepted: far beyond any CI matrix, small enough to score cheaply. */
export const MAX_SHARDS = 1024;

/** Reads `i/n`; a message when it is not one. */
export function parseShard(text: string): Shard | string {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || count > MAX_SHARDS || index < 1 || index > count) {
    return `--shard must be i/n with 1 ≤ i ≤ n ≤ ${MAX_SHARDS} (e.g. 2/4), not "${text}".`;
  }
  return { index, count };
}

/** The paths of `shard`, in their order; `root` is the folder the paths are hashed relative to. */
export function shardPaths(paths: readonly string[], root: string, shard: Shard): string[] {
  const assigned = assignShards(paths.map((path) => toPosix(relative(root, path))), shard.count);
  return paths.filter((_path, index) => assigned[index] === shard.index - 1);
}

/** For each key (a relative path), its shard, 0-based. */
export function assignShards(keys: readonly string[], count: number): number[] {
  const seeds = keys.map(seedOf);
  const score = (file: number, shard: number): number => scoreOf(seeds[file] as Seed, shard);
  const assigned = keys.map((_key, file) => {
    let best = 0;
    for (let shard = 1; shard < count; shard++) if (score(file, shard) > score(file, best)) best = shard;
    return best;
  });
  const sizes = new Array<number>(count).fill(0);
  for (const shard of assigned) sizes[shard] = (sizes[shard] ?? 0) + 1;
  for (let empty = sizes.indexOf(0); empty >= 0 && keys.length >= count; empty = sizes.indexOf(0)) {
    let taken = -1;
    for (let file = 0; file < keys.length; file++) {
      if ((sizes[assigned[file] as number] ?? 0) < 2) continue;
      if (taken < 0 || score(file, empty) > score(taken, empty) || (score(file, empty) === score(taken, empty) && (keys[file] as string) < (keys[taken] as string))) taken = file;
    }
    const from = assigned[taken] as number;
    sizes[from] = (sizes[from] ?? 0) - 1;
    sizes[empty] = 1;
    assigned[taken] = empty;
  }
  return assigned;
}

type Seed = [number, number];

/** Two 32-bit words of the path's sha256: hashed once, then mixed with each shard's number. */
function seedOf(key: string): Seed {
  const digest = createHash('sha256').update(key).digest();
  return [digest.readUInt32BE(0), digest.readUInt32BE(4)];
}

/** The rendezvous score of a path for a shard: a well-mixed 32-bit number (ties go to the lower shard). */
function scoreOf([high, low]: Seed, shard: number): number {
  return mix32(high ^ mix32(low + Math.imul(shard + 1, 0x9e3779b9)));
}

/** A 32-bit finaliser (lowbias32): every input bit changes about half the output bits. */
function mix32(value: number): number {
  let x = value >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}
