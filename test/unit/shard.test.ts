import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assignShards, parseShard, shardPaths } from '../../server/src/host/shard';

const PATHS = ['k8s/web.yaml', 'k8s/api.yaml', 'k8s/ns.yaml', 'docker/Dockerfile', 'charts/a/templates/deploy.yaml', 'skaffold.yaml', 'apps/cart/Dockerfile', 'apps/cart/k8s.yaml'];

/** `count` made-up repository paths, the same every run. */
function manyPaths(count: number): string[] {
  return Array.from({ length: count }, (_unused, index) => `team-${index % 17}/service-${index}/${index % 3 === 0 ? 'Dockerfile' : 'deploy.yaml'}`);
}

describe('--shard', () => {
  it('reads i/n and refuses anything else', () => {
    assert.deepEqual(parseShard('2/4'), { index: 2, count: 4 });
    assert.deepEqual(parseShard(' 1/1 '), { index: 1, count: 1 });
    for (const text of ['0/3', '4/3', '1/0', 'a/b', '1/3/5', '2', '-1/3', '1.5/3', '1/1025']) {
      assert.match(String(parseShard(text)), /^--shard must be i\/n with 1 ≤ i ≤ n ≤ 1024/, text);
    }
  });

  it('splits by path alone: the same split for the same paths, in any order', () => {
    assert.deepEqual(assignShards(PATHS, 3), [0, 2, 1, 0, 2, 0, 2, 2]);
    const reversed = [...PATHS].reverse();
    assert.deepEqual(assignShards(reversed, 3), [0, 2, 1, 0, 2, 0, 2, 2].reverse());
    assert.deepEqual(assignShards(PATHS, 1), PATHS.map(() => 0));
  });

  it('leaves no shard empty while there are as many paths as shards', () => {
    assert.deepEqual(assignShards(PATHS, 8), [0, 2, 1, 6, 5, 4, 7, 3], 'one each');
    assert.deepEqual(assignShards(['a', 'b', 'c'], 3), [1, 0, 2]);
    assert.deepEqual(assignShards(PATHS.slice(0, 2), 3), [0, 2], 'fewer paths than shards: some shards are empty');
    for (let count = 1; count <= 40; count++) {
      const sizes = new Array<number>(count).fill(0);
      for (const shard of assignShards(manyPaths(40), count)) sizes[shard] = (sizes[shard] ?? 0) + 1;
      assert.ok(sizes.every((size) => size > 0), `40 paths in ${count} shards: ${sizes.join(',')}`);
    }
  });

  it('keeps every other path in its shard when one is added or removed', () => {
    const paths = manyPaths(2000);
    const before = assignShards(paths, 7);
    const added = assignShards([...paths, 'team-3/new-service/deploy.yaml'], 7);
    assert.deepEqual(added.slice(0, paths.length), before);
    const removed = assignShards(paths.slice(1), 7);
    assert.deepEqual(removed, before.slice(1));
  });

  it('spreads paths evenly enough for a CI matrix', () => {
    const sizes = new Array<number>(8).fill(0);
    for (const shard of assignShards(manyPaths(20_000), 8)) sizes[shard] = (sizes[shard] ?? 0) + 1;
    // 2,500 each on average; rendezvous hashing keeps every shard within a few percent of it.
    assert.ok(sizes.every((size) => size > 2_350 && size < 2_650), sizes.join(','));
  });

  it('cuts absolute paths relative to the root, so every checkout cuts alike', () => {
    const at = (root: string): string[][] => [1, 2, 3].map((index) => shardPaths(PATHS.map((path) => `${root}/${path}`), root, { index, count: 3 }).map((path) => path.slice(root.length + 1)));
    assert.deepEqual(at('/home/runner/work/app/app'), at('/builds/group/app'));
    assert.deepEqual(at('/builds/group/app'), [
      ['k8s/web.yaml', 'docker/Dockerfile', 'skaffold.yaml'],
      ['k8s/ns.yaml'],
      ['k8s/api.yaml', 'charts/a/templates/deploy.yaml', 'apps/cart/Dockerfile', 'apps/cart/k8s.yaml'],
    ]);
  });
});
