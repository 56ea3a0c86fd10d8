/**
 * `npm run docs:images`: copies the screenshots the README and the marketplace page show from the
 * last end-to-end run (.e2e/screenshots, written by scripts/e2e-ui.ts) into docs/images, so they
 * always show the extension as it is. Run `npm run test:e2e` first.
 */
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './e2e-common';
import { SCREENSHOTS } from './e2e-ui';

const README_IMAGES = ['squiggles.png', 'quick-fix-menu.png', 'fix-before-after.png', 'problems-after-scan.png', 'rule-page.png'];

const target = join(ROOT, 'docs', 'images');
mkdirSync(target, { recursive: true });
const missing = README_IMAGES.filter((name) => !existsSync(join(SCREENSHOTS, name)));
if (missing.length > 0) {
  console.error(`Missing in .e2e/screenshots: ${missing.join(', ')}. Run \`npm run test:e2e\` first.`);
  process.exitCode = 1;
} else {
  for (const name of README_IMAGES) copyFileSync(join(SCREENSHOTS, name), join(target, name));
  console.log(`Copied ${README_IMAGES.join(', ')} into docs/images.`);
}
