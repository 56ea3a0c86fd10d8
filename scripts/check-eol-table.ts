/**
 * `npm run check:eol-table`: the release check of the bundled end-of-life table (RULES.md,
 * "End-of-life table"). It fails when the table's newest review is more than 180 days old, so a
 * release is never cut with stale dates. Not part of `npm test`: the calendar alone must never turn
 * CI red. Loading the table also validates it (a malformed row throws).
 * `--date YYYY-MM-DD` checks as of another day.
 */
import { parseArgs } from 'node:util';
import { EOL_TABLE, EOL_TABLE_MAX_AGE_DAYS, eolTableAgeInDays, isEolTableStale, supportedReleases } from '../server/src/engine/images/eol';

const { values } = parseArgs({ options: { date: { type: 'string' } } });
const today = values.date ?? new Date().toISOString().slice(0, 10);
if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) throw new Error(`--date must be YYYY-MM-DD, not "${today}"`);

const age = eolTableAgeInDays(today);
const rows = EOL_TABLE.products.reduce((count, product) => count + product.releases.length, 0);
console.log(`End-of-life table: ${EOL_TABLE.products.length} images, ${rows} release lines, reviewed ${EOL_TABLE.reviewed} (${age} days before ${today}).`);
// What a review must look at first: images with no supported release left, and rows with no end date.
for (const product of EOL_TABLE.products) {
  if (supportedReleases(product, today).length === 0 && product.replacement === undefined) {
    console.log(`  ${product.id}: no release is supported on ${today} and no replacement is named`);
  }
  const open = product.releases.filter((release) => release.eol === undefined).map((release) => release.line);
  if (open.length > 0) console.log(`  ${product.id}: no end date yet for ${open.join(', ')} (source: ${product.source})`);
}
if (isEolTableStale(today)) {
  console.error(
    `The table's last review is more than ${EOL_TABLE_MAX_AGE_DAYS} days old: check every row against its source, update the dates, the rows' "checked" and the table's "reviewed" in server/src/engine/images/eol-table.json.`,
  );
  process.exitCode = 1;
} else {
  console.log(`Fresh: the review is at most ${EOL_TABLE_MAX_AGE_DAYS} days old.`);
}
