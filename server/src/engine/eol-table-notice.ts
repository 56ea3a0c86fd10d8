import type { EngineConfig } from './config';
import { effectiveSeverity } from './run';
import { REGISTRY } from './rules';
import { EOL_TABLE, EOL_TABLE_MAX_AGE_DAYS, eolTableAgeInDays, isEolTableStale } from './images/eol';
import { utcDay } from './suppression/comments';

/** The rules whose findings depend on the bundled end-of-life table. */
const RULES_READING_THE_TABLE = ['image-eol', 'dockerfile-eol-base-image'];

/**
 * One line for a shell to print (RULES.md: a notice, on standard error) when the bundled
 * end-of-life table's last review is more than EOL_TABLE_MAX_AGE_DAYS old on `today` and one of the
 * `configs` runs a rule that reads it; undefined otherwise.
 */
export function eolTableNotice(today: Date, configs: readonly EngineConfig[]): string | undefined {
  const day = utcDay(today);
  if (!isEolTableStale(day)) return undefined;
  const metas = RULES_READING_THE_TABLE.flatMap((id) => REGISTRY.get(id)?.meta ?? []);
  const used = configs.some((config) => metas.some((meta) => effectiveSeverity(meta, config, meta.severity) !== undefined));
  if (!used) return undefined;
  return `The end-of-life table was last reviewed on ${EOL_TABLE.reviewed}, ${eolTableAgeInDays(day)} days ago (more than ${EOL_TABLE_MAX_AGE_DAYS}): releases that reached their end of life since may go unreported; update Shipshape.`;
}
