import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { LspClient } from './test/protocol/lsp-client';
const root = process.argv[2] ?? '';
(async () => {
  const client = new LspClient();
  const t0 = Date.now();
  await client.initialize({ rootPath: root });
  for (const f of ['kubernetes/insecure/deployment.yaml', 'docker/Dockerfile.insecure', 'chart/templates/deployment.yaml']) {
    const uri = pathToFileURL(`${root}/${f}`).href;
    const p = client.diagnostics(uri);
    client.open(uri, f.includes('Docker') ? 'dockerfile' : f.includes('chart') ? 'helm' : 'yaml', readFileSync(`${root}/${f}`, 'utf8'));
    const d = await p;
    console.log(f, d.diagnostics.length, Date.now() - t0, 'ms');
  }
  await client.shutdown();
})().catch((e) => { console.error('ERR', e); process.exit(1); });
