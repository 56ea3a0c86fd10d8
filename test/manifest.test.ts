/** The extension manifest as a user meets it: settings order, walkthrough, schema, icon. */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { iconPng } from '../scripts/icon';

const ROOT = resolve(__dirname, '..');

interface Manifest {
  icon: string;
  contributes: {
    configuration: { properties: Record<string, { order?: number }> };
    walkthroughs: Array<{ steps: Array<{ id: string; media: { markdown?: string }; description: string }> }>;
    yamlValidation: Array<{ fileMatch: string[]; url: string }>;
    commands: Array<{ command: string }>;
  };
}

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest;
const shippedGlobs = readFileSync(join(ROOT, '.vscodeignore'), 'utf8')
  .split('\n')
  .filter((line) => line.startsWith('!'))
  .map((line) => line.slice(1));

/** Whether .vscodeignore lets the file into the .vsix (its patterns are exact paths or `dir/*.ext`). */
function isShipped(path: string): boolean {
  return shippedGlobs.some((glob) => glob === path || (glob.includes('*') && new RegExp(`^${glob.replace(/\./g, '\\.').replace(/\*\*?/g, '[^/]+')}$`).test(path)));
}

describe('extension manifest', () => {
  it('orders the settings by importance: enable, then profile, then rules', () => {
    const properties = Object.entries(manifest.contributes.configuration.properties);
    const ordered = [...properties].sort(([, a], [, b]) => (a.order ?? Infinity) - (b.order ?? Infinity)).map(([key]) => key);
    assert.deepEqual(ordered.slice(0, 3), ['shipshape.enable', 'shipshape.profile', 'shipshape.rules']);
    assert.equal(ordered.at(-1), 'shipshape.trace.server');
    assert.ok(properties.every(([, property]) => typeof property.order === 'number'), 'every setting has an order');
  });

  it('has a first-use walkthrough whose pages ship with the extension', () => {
    const [walkthrough] = manifest.contributes.walkthroughs;
    assert.deepEqual(walkthrough?.steps.map((step) => step.id), ['open', 'fix', 'profile', 'scan']);
    for (const step of walkthrough?.steps ?? []) {
      const page = step.media.markdown;
      assert.ok(page && existsSync(join(ROOT, page)) && isShipped(page), `${step.id}: ${page}`);
    }
    assert.ok(isShipped('walkthrough/example-deployment.yaml'));
    const commands = new Set(manifest.contributes.commands.map((c) => c.command));
    for (const step of walkthrough?.steps ?? []) {
      for (const [, command] of step.description.matchAll(/\(command:(shipshape\.[A-Za-z]+)/g)) assert.ok(commands.has(command ?? ''), `${command} is a command`);
    }
  });

  it('offers the config schema to YAML editors for .shipshape.yaml', () => {
    const [validation] = manifest.contributes.yamlValidation;
    assert.deepEqual(validation?.fileMatch, ['.shipshape.yaml', '.shipshape.yml']);
    const schema = (validation?.url ?? '').replace(/^\.\//, '');
    assert.ok(existsSync(join(ROOT, schema)) && isShipped(schema));
  });

  it('ships the icon scripts/icon.ts draws', () => {
    assert.equal(manifest.icon, 'images/icon.png');
    assert.ok(isShipped(manifest.icon));
    assert.ok(readFileSync(join(ROOT, manifest.icon)).equals(iconPng()), 'run `npm run icon` and commit images/icon.png');
  });
});
