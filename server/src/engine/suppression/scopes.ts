import { minimatch } from 'minimatch';
import type { Span, Suppression } from '../types';
import type { ConfigIgnore } from '../config';
import type { LineIndex } from '../source/text';
import { coveredLine, findIgnoreComments, matchComment, utcDay, type IgnoreComment } from './comments';

/** Where a file stands for suppression: its comments, its config-side ignores and the date. */
export interface SuppressionContext {
  text: string;
  lines: LineIndex;
  /** Spans a comment above their first line covers entirely (YAML documents, Dockerfile instructions). */
  blocks: readonly Span[];
  /** False for JSON manifests (no comments) and under `--no-inline-ignores`. */
  readsComments: boolean;
  today: Date;
  configIgnores: readonly ConfigIgnore[];
  /** The file's path relative to the governing config file's folder; undefined: no config-side ignores. */
  configRelativePath?: string;
  /** The governing config file, named in config-side suppressions. */
  configSource?: string;
}

export interface SuppressionVerdict {
  suppression?: Suppression;
  /** Why a comment that named the rule no longer suppresses it (lapsed or malformed expiry). */
  lapsed?: string;
}

/**
 * Decides, for each finding of one file, whether an ignore comment or a config-side `ignore`
 * entry suppresses it. Annotations are read by the rule runner, which knows the resource.
 */
export function createSuppressionResolver(context: SuppressionContext): (ruleId: string, span: Span, line: number) => SuppressionVerdict {
  // Splitting every line costs a keystroke on a large file; only ignore comments need the lines.
  const readsComments = hasIgnoreComments(context);
  const lineTexts = readsComments ? Array.from({ length: context.lines.lineCount }, (_, line) => context.lines.lineText(line)) : [];
  const comments = readsComments ? findIgnoreComments(lineTexts) : [];
  const scopes = comments.length > 0 ? commentScopes(comments, context.blocks, lineTexts, context.lines) : [];
  const today = utcDay(context.today);
  return (ruleId, span, line) => {
    let lapsed: string | undefined;
    // A lapsed comment gives way to any other comment that still covers the finding.
    for (const scope of scopes) {
      if (!scope.covers(span.start, line)) continue;
      const match = matchComment(scope.comment, ruleId, today);
      if (!match) continue;
      if (match.expired) {
        lapsed ??= match.expired;
        continue;
      }
      return { suppression: match.suppression };
    }
    const suppression = configSuppression(ruleId, context);
    if (suppression) return { suppression };
    return lapsed ? { lapsed } : {};
  };
}

/**
 * Whether any ignore comment can apply. Without one a finding's verdict depends on its rule
 * alone (config-side ignores), never on where it is.
 */
export function hasIgnoreComments(context: Pick<SuppressionContext, 'text' | 'readsComments'>): boolean {
  return context.readsComments && context.text.includes('shipshape-ignore');
}

interface CommentScope {
  comment: IgnoreComment;
  covers(offset: number, line: number): boolean;
}

/**
 * What each ignore comment covers: the whole file; the line it trails or stands above; or a
 * whole block (a YAML document, a Dockerfile instruction) when it stands above its first line.
 */
function commentScopes(comments: IgnoreComment[], blocks: readonly Span[], lineTexts: string[], lines: LineIndex): CommentScope[] {
  const firstLines = blocks.map((block) => firstCodeLine(lines.positionAt(block.start).line, lines));
  return comments.map((comment) => {
    if (comment.scope === 'file') return { comment, covers: () => true };
    const line = coveredLine(comment, lineTexts);
    const blockIndex = comment.trailing ? -1 : firstLines.indexOf(line);
    const block = blocks[blockIndex];
    return {
      comment,
      covers: (offset, findingLine) =>
        findingLine === line || (block !== undefined && offset >= block.start && offset < Math.max(block.end, block.start + 1)),
    };
  });
}

const NOT_CODE = /^\s*(#.*)?$|^(---|\.\.\.)(\s|$)|^%/;

/** The first line of a block a comment can stand above: no blank line, comment, `---` or directive. */
export function firstCodeLine(from: number, lines: LineIndex): number | undefined {
  for (let line = from; line < lines.lineCount; line++) {
    if (!NOT_CODE.test(lines.lineText(line))) return line;
  }
  return undefined;
}

function configSuppression(ruleId: string, context: SuppressionContext): Suppression | undefined {
  const relative = context.configRelativePath;
  if (relative === undefined) return undefined;
  const path = relative.replace(/\\/g, '/').replace(/^\.\//, '');
  for (const entry of context.configIgnores) {
    if (!entry.rules.includes(ruleId)) continue;
    // Globs are relative to the config folder; `./charts/**` means the same as `charts/**`.
    const pattern = entry.path.replace(/^\.\//, '');
    if (!minimatch(path, pattern, { dot: true, matchBase: !pattern.includes('/') })) continue;
    return {
      kind: 'config',
      source: context.configSource ?? '.shipshape.yaml',
      ...(entry.reason ? { justification: entry.reason } : {}),
    };
  }
  return undefined;
}
