import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, DEFAULT_CONFIG, extractFacts, WorkspaceModel, type WorkspaceFact } from '../../server/src/engine';

const NAMESPACE = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    pod-security.kubernetes.io/enforce: restricted
    pod-security.kubernetes.io/enforce-version: v1.30
    pod-security.kubernetes.io/warn: baseline
`;

const ACCOUNTS = `apiVersion: v1
kind: ServiceAccount
metadata: {name: cart, namespace: shop}
automountServiceAccountToken: false
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: cart-reader, namespace: shop}
roleRef: {kind: Role, name: reader, apiGroup: rbac.authorization.k8s.io}
subjects:
  - {kind: ServiceAccount, name: cart}
  - {kind: ServiceAccount, name: audit, namespace: ops}
  - {kind: User, name: jane}
`;

describe('workspace facts', () => {
  it('reads Pod Security Admission labels of a Namespace, with where they are written', () => {
    const [fact] = extractFacts('/ws/ns.yaml', NAMESPACE);
    assert.equal(fact?.kind, 'namespace');
    if (fact?.kind !== 'namespace') return;
    assert.equal(fact.name, 'shop');
    assert.deepEqual(fact.admission.enforce?.level, 'restricted');
    assert.deepEqual(fact.admission.enforce?.version, 'v1.30');
    assert.deepEqual(fact.admission.enforce?.at.range, { start: { line: 5, character: 4 }, end: { line: 5, character: 50 } });
    assert.equal(fact.admission.warn?.version, undefined);
    assert.equal(fact.admission.audit, undefined);
  });

  it('reads service accounts and the service-account subjects of bindings', () => {
    const facts = extractFacts('/ws/rbac.yaml', ACCOUNTS);
    assert.deepEqual(
      facts.map((fact) => (fact.kind === 'service-account' ? [fact.kind, fact.namespace, fact.name, fact.automount] : fact.kind === 'binding' ? [fact.kind, fact.roleRef, fact.serviceAccounts] : [fact.kind])),
      [
        ['service-account', 'shop', 'cart', false],
        ['binding', 'Role/reader', [{ name: 'cart' }, { name: 'audit', namespace: 'ops' }]],
      ],
    );
  });

  it('reads skaffold artifacts (profiles too) and compose builds, resolving Dockerfiles against the file', () => {
    const skaffold = `apiVersion: skaffold/v4beta11
kind: Config
build:
  artifacts:
    - image: registry.example.com/shop/cart
      context: services/cart
      docker: {dockerfile: Dockerfile.prod, target: runtime}
    - image: registry.example.com/shop/jib
      jib: {}
profiles:
  - name: dev
    build:
      artifacts:
        - image: web
`;
    const compose = `services:
  api:
    image: ghcr.io/acme/api:1.2
    build: ./api
  worker:
    image: ghcr.io/acme/worker
    build: {context: ./worker, dockerfile: build/Dockerfile, target: prod}
  db:
    image: postgres:16
`;
    const builds = [...extractFacts('/ws/skaffold.yaml', skaffold), ...extractFacts('/ws/deploy/compose.yaml', compose)].map((fact) =>
      fact.kind === 'image-build' ? `${fact.source} ${fact.image} ${fact.dockerfile} ${fact.target ?? '-'}` : fact.kind,
    );
    assert.deepEqual(builds, [
      'skaffold registry.example.com/shop/cart /ws/services/cart/Dockerfile.prod runtime',
      'skaffold docker.io/library/web /ws/Dockerfile -',
      'compose ghcr.io/acme/api /ws/deploy/api/Dockerfile -',
      'compose ghcr.io/acme/worker /ws/deploy/worker/build/Dockerfile prod',
    ]);
  });

  it('reads who each Dockerfile stage runs as, through FROM <stage>', () => {
    const [fact] = extractFacts('/ws/Dockerfile', 'FROM node:22 AS build\nUSER node\nRUN npm ci\n\nFROM build AS test\nRUN npm test\n\nFROM gcr.io/distroless/nodejs22:nonroot\nCOPY --from=build /app /app\n');
    assert.equal(fact?.kind, 'dockerfile');
    if (fact?.kind !== 'dockerfile') return;
    assert.deepEqual(
      fact.stages.map((stage) => [stage.name, stage.user?.value, stage.baseImage, stage.lastLine.range.start.line]),
      [
        ['build', 'node', 'node:22', 2],
        ['test', 'node', 'node:22', 5],
        [undefined, undefined, 'gcr.io/distroless/nodejs22:nonroot', 8],
      ],
    );
  });

  it('reuses a section’s facts from a cache, moved to where the section now starts', () => {
    const cache = new Map();
    const text = `${ACCOUNTS}---\n${NAMESPACE}`;
    assert.deepEqual(extractFacts('/ws/all.yaml', text, cache), extractFacts('/ws/all.yaml', text));
    const edited = `# a comment\n# and another\n${text}`;
    assert.deepEqual(extractFacts('/ws/all.yaml', edited, cache), extractFacts('/ws/all.yaml', edited));
    assert.equal(cache.size, 4, 'the edited first section is read again; the other two come from the cache');
  });

  it('contributes nothing from other files, templated values or unreadable YAML', () => {
    assert.deepEqual(extractFacts('/ws/deploy.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n'), []);
    assert.deepEqual(extractFacts('/ws/chart/templates/ns.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {{ .Release.Namespace }}\n'), []);
    assert.deepEqual(extractFacts('/ws/ns.yaml', 'kind: Namespace\nmetadata: [unclosed\n'), []);
  });
});

describe('workspace model', () => {
  const namespaceFacts = (path: string, level: string): WorkspaceFact[] => extractFacts(path, NAMESPACE.replace('enforce: restricted', `enforce: ${level}`));

  it('answers queries and records them as the asking file’s dependencies', () => {
    const model = new WorkspaceModel();
    model.setFacts('/ws/ns.yaml', namespaceFacts('/ws/ns.yaml', 'restricted'));
    const view = model.view();
    assert.equal(view.namespaces('shop')[0]?.admission.enforce?.level, 'restricted');
    assert.deepEqual(view.namespaces('other'), []);
    assert.deepEqual([...view.reads], ['namespace:shop', 'namespace:other']);
    model.recordReads('/ws/app.yaml', view.reads);
    assert.deepEqual([...model.dependenciesOf('/ws/app.yaml')], ['/ws/ns.yaml']);
  });

  it('names the files to re-analyse when facts they read change, and only then', () => {
    const model = new WorkspaceModel();
    model.setFacts('/ws/ns.yaml', namespaceFacts('/ws/ns.yaml', 'restricted'));
    const reader = model.view();
    reader.namespaces('shop');
    model.recordReads('/ws/app.yaml', reader.reads);
    const bystander = model.view();
    bystander.namespaces('ops');
    model.recordReads('/ws/ops.yaml', bystander.reads);

    assert.deepEqual([...model.setFacts('/ws/ns.yaml', namespaceFacts('/ws/ns.yaml', 'restricted'))], [], 'same facts: nobody');
    assert.deepEqual([...model.setFacts('/ws/ns.yaml', namespaceFacts('/ws/ns.yaml', 'baseline'))], ['/ws/app.yaml']);
    assert.deepEqual([...model.removeFile('/ws/ns.yaml')], ['/ws/app.yaml']);
    assert.deepEqual(model.view().namespaces('shop'), []);
  });

  it('replays a scoped view’s reads into its parent', () => {
    const model = new WorkspaceModel();
    const file = model.view();
    const section = file.scoped();
    section.serviceAccounts('shop', 'cart');
    file.note(['image:docker.io/library/web']);
    assert.deepEqual([...file.reads].sort(), ['image:docker.io/library/web', 'service-account:cart']);
  });

  it('round-trips through a snapshot of its facts (what worker threads get)', () => {
    const model = new WorkspaceModel();
    model.setFacts('/ws/rbac.yaml', extractFacts('/ws/rbac.yaml', ACCOUNTS));
    const copy = WorkspaceModel.fromFacts(JSON.parse(JSON.stringify(model.allFacts())));
    assert.equal(copy.view().bindingsOf('shop', 'cart')[0]?.name, 'cart-reader');
    assert.equal(copy.view().bindingsOf('ops', 'audit')[0]?.name, 'cart-reader');
    assert.equal(copy.view().serviceAccounts('shop', 'cart')[0]?.automount, false);
  });
});

describe('a Dockerfile and its own facts', () => {
  it('are independent: what a Dockerfile is analysed against never changes with its facts (the server publishes its diagnostics before updating them)', () => {
    const model = new WorkspaceModel();
    const dockerfile = '/ws/api/Dockerfile';
    const compose = `services:\n  api:\n    image: ghcr.io/acme/api:1.2\n    build: ./api\n`;
    const deployment = `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  template:\n    spec:\n      securityContext: {runAsNonRoot: true}\n      containers:\n        - {name: api, image: ghcr.io/acme/api:1.2}\n`;
    const before = 'FROM node:22\nUSER node\nCMD ["node", "server.js"]\n';
    const after = 'FROM node:22\nUSER root\nCMD ["node", "server.js"]\n';
    model.setFacts('/ws/compose.yaml', extractFacts('/ws/compose.yaml', compose));
    model.setFacts('/ws/deploy.yaml', extractFacts('/ws/deploy.yaml', deployment));
    model.setFacts('/ws/renovate.json', []);
    model.setFacts(dockerfile, extractFacts(dockerfile, before));
    const view = model.view();
    analyze({ path: dockerfile, text: before, config: { ...DEFAULT_CONFIG, profile: 'strict' }, workspace: view });
    assert.ok(view.reads.size > 0, 'the Dockerfile rules read the workspace');
    // Its reads under another name: the model leaves a file's own reads out of its dependents.
    model.recordReads('/ws/reader', view.reads);
    const readsDeployment = model.view();
    analyze({ path: '/ws/deploy.yaml', text: deployment, config: { ...DEFAULT_CONFIG, profile: 'strict' }, workspace: readsDeployment });
    model.recordReads('/ws/deploy.yaml', readsDeployment.reads);
    const dependents = model.setFacts(dockerfile, extractFacts(dockerfile, after));
    assert.deepEqual([...dependents], ['/ws/deploy.yaml'], 'the manifest running its image depends on it; nothing a Dockerfile reads does');
  });
});
