import { defineContainerRule } from '../define';
import { isImageReferenceError } from '../../images/reference';
import { containerImage } from '../../kubernetes/container-image';
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
    // A debugging session's image is chosen at run time (RULES.md, "Images").
    if (container.kind === 'ephemeralContainer') return;
    const image = containerImage(container);
    if (!image?.hasKnownTagAndDigest || isImageReferenceError(image.parsed)) return;
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
