import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from './server/src/engine';
import { openFixtureWorkspace } from './test/harness/workspace';
const [dir, today, ...files] = process.argv.slice(2);
const ws = openFixtureWorkspace(dir!, { below: [{ profile: 'strict' }] });
console.log('skipped', ws.reports.skipped.map((s) => [s.path.replace(ws.root, ''), s.reason]), 'notices', ws.reports.notices);
for (const file of files) {
  const path = join(ws.root, file);
  const r = analyze({ path, text: readFileSync(path, 'utf8'), config: ws.loader.configFor(path).config, today: new Date(`${today}T12:00:00Z`), workspace: ws.model.view() });
  for (const f of r.findings.filter((f) => process.env.RULE ? f.ruleId === process.env.RULE : true)) {
    console.log(`${file}:${f.range.start.line + 1}:${f.range.start.character + 1}-${f.range.end.line + 1}:${f.range.end.character + 1} ${f.severity} ${f.ruleId}/${f.messageId}: ${f.message}`);
    if (process.env.DETAILS) console.log(f.details, f.related);
  }
  if (r.failures.length) console.log(r.failures);
}
ws.close();
