import { defineContainerRule } from '../define';
import { judgedImage } from '../../kubernetes/container-image';
import { END_OF_LIFE_FIX, END_OF_LIFE_MESSAGES, endOfLifeReports } from '../end-of-life';

export default defineContainerRule({
  meta: {
    id: 'image-eol',
    title: 'Images must not run a release past its end of life',
    description:
      'Once a distribution, runtime or server release reaches its end of life, its maintainers publish no more security fixes: every vulnerability found afterwards stays open in the image for good, and scanners keep finding more. Move to a release that is still supported.',
    severity: 'warning',
    profile: 'recommended',
    fix: END_OF_LIFE_FIX,
    messages: { ...END_OF_LIFE_MESSAGES },
  },
  check(container, { report, today }) {
    // Not ephemeral containers, nor malformed references (RULES.md, "Images"): see judgedImage.
    const image = judgedImage(container);
    if (!image?.hasKnownTagAndDigest) return;
    const field = container.pod.resource.view.field(container.map, 'image');
    for (const found of endOfLifeReports(image.parsed, `Image "${image.text}"`, today)) {
      const upgrade = found.upgrade;
      report({
        messageId: found.messageId,
        data: found.data,
        at: image.span,
        details: found.details,
        ...(upgrade && field ? { fix: { title: `Upgrade to ${upgrade.image}`, apply: (edit) => edit.replaceInString(field, upgrade.edits) } } : {}),
      });
    }
  },
});
