import { defineDockerfileRule } from '../define';
import { baseImages } from '../../dockerfile/base-images';
import { fromImageEdits } from '../../dockerfile/from-image-edits';
import { END_OF_LIFE_FIX, END_OF_LIFE_MESSAGES, endOfLifeReports } from '../end-of-life';

export default defineDockerfileRule({
  meta: {
    id: 'dockerfile-eol-base-image',
    title: 'Base images must not be a release past its end of life',
    description:
      'A base image whose distribution, runtime or server release has reached its end of life gets no more security fixes: every vulnerability found afterwards stays in every image built from it, in every stage. Build from a release that is still supported.',
    severity: 'warning',
    profile: 'recommended',
    fix: END_OF_LIFE_FIX,
    messages: { ...END_OF_LIFE_MESSAGES },
  },
  check(dockerfile, { report, today }) {
    // Every stage counts: a builder past its end of life still compiles what ships (RULES.md).
    for (const { stage, reference, at, label } of baseImages(dockerfile)) {
      for (const found of endOfLifeReports(reference, `FROM ${label}`, today)) {
        const { upgrade } = found;
        const image = stage.image;
        report({
          messageId: found.messageId,
          data: found.data,
          at,
          details: found.details,
          // The edits are worked out with the fix (none possible: no fix is offered).
          ...(upgrade && image ? { fix: { title: `Upgrade to ${upgrade.image}`, apply: (edit) => fromImageEdits(dockerfile, image, upgrade.edits)?.forEach((e) => edit.replace(e, e.text)) } } : {}),
        });
      }
    }
  },
});
