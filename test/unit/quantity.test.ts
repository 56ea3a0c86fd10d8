import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseQuantity } from '../../server/src/engine/kubernetes/quantity';

describe('parseQuantity', () => {
  const valid: ReadonlyArray<readonly [string, number]> = [
    ['500m', 0.5],
    ['0.5', 0.5],
    ['.5', 0.5],
    ['1.', 1],
    ['2', 2],
    ['1e3', 1000],
    ['1E-3', 0.001],
    ['1e+21', 1e21],
    ['1Ki', 1024],
    ['1Gi', 2 ** 30],
    ['512Mi', 512 * 2 ** 20],
    ['1G', 1e9],
    ['1k', 1000],
    ['100u', 1e-4],
    ['0', 0],
    ['0m', 0],
    ['0Gi', 0],
    ['+1', 1],
    ['-1', -1],
  ];
  for (const [text, expected] of valid) {
    it(`reads ${text}`, () => {
      const value = parseQuantity(text);
      assert.ok(value !== undefined && Math.abs(value - expected) <= Math.abs(expected) * 1e-12, `${text} gave ${String(value)}`);
    });
  }
  for (const text of ['', ' 1', '1 Gi', '1gi', '1KB', 'lots', '1e', '1.5.5', 'Mi', '1mi', '1e3Mi']) {
    it(`rejects ${JSON.stringify(text)}`, () => assert.equal(parseQuantity(text), undefined));
  }
});
