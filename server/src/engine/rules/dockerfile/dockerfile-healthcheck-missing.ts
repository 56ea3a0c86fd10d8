import { defineDockerfileRule } from '../define';

export default defineDockerfileRule({
  meta: {
    id: 'dockerfile-healthcheck-missing',
    title: 'The final image should declare a HEALTHCHECK',
    description:
      'Without a HEALTHCHECK, Docker and Compose cannot tell a hung or broken process from a healthy one and keep routing to it. Kubernetes ignores HEALTHCHECK and uses probes instead, which is why this rule is only in the strict profile.',
    severity: 'info',
    profile: 'strict',
    messages: {
      missing: 'The final stage has no HEALTHCHECK; Docker cannot tell when the container stops working.',
    },
  },
  check(dockerfile, { report }) {
    const finalStage = dockerfile.finalStage;
    if (!finalStage) return;
    // A parent stage's HEALTHCHECK is inherited; `HEALTHCHECK NONE` is a decision, not an omission.
    const declared = dockerfile.finalScope.some((stage) => stage.instructions.some((i) => i.getKeyword() === 'HEALTHCHECK'));
    if (!declared) report({ messageId: 'missing', at: finalStage.keywordSpan });
  },
});
