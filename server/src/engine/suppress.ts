import type { Suppression } from './types';

/** One `# shipshape-ignore` or `# shipshape-ignore-file` comment. */
export interface IgnoreComment {
  scope: 'line' | 'file';
  /** Empty means every rule. */
  ids: string[];
  until?: string;
  reason?: string;
  /** 0-based line the comment stands on. */
  line: number;
  /** True when code precedes the comment on its line (it then covers that line). */
  trailing: boolean;
  text: string;
}

const IGNORE_COMMENT = /(?:^|[ \t])#[ \t]*(shipshape-ignore(?:-file)?)(?=$|[ \t,])(.*)$/;

/** Parses the arguments after the directive: ids, `until=YYYY-MM-DD`, `-- reason`. */
export function parseIgnoreArguments(rest: string): { ids: string[]; until?: string; reason?: string } {
  const [head = '', ...reasonParts] = rest.split(/[ \t]--(?:[ \t]|$)/);
  const reason = reasonParts.join(' -- ').trim();
  const ids: string[] = [];
  let until: string | undefined;
  for (const word of head.split(/[\s,]+/).filter(Boolean)) {
    const expiry = /^until=(\d{4}-\d{2}-\d{2})$/.exec(word);
    if (expiry) until = expiry[1];
    else ids.push(word);
  }
  return { ids, ...(until ? { until } : {}), ...(reason ? { reason } : {}) };
}

/** Finds ignore comments line by line; `#` counts only at a line start or after white space. */
export function findIgnoreComments(lines: readonly string[]): IgnoreComment[] {
  const comments: IgnoreComment[] = [];
  lines.forEach((lineText, line) => {
    if (!lineText.includes('shipshape-ignore')) return;
    const match = IGNORE_COMMENT.exec(lineText);
    if (!match) return;
    const before = lineText.slice(0, match.index).trim();
    comments.push({
      scope: match[1] === 'shipshape-ignore-file' ? 'file' : 'line',
      ...parseIgnoreArguments(match[2] ?? ''),
      line,
      trailing: before !== '',
      text: lineText.slice(match.index).trim(),
    });
  });
  return comments;
}

export interface SuppressionMatch {
  suppression: Suppression;
  /** Set when the suppression has lapsed: the finding is reported again with this note. */
  expired?: string;
}

/** Today's date in UTC as YYYY-MM-DD; expiry dates are inclusive. */
export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function matchComment(comment: IgnoreComment, ruleId: string, today: string): SuppressionMatch | undefined {
  if (comment.ids.length > 0 && !comment.ids.includes(ruleId)) return undefined;
  const suppression: Suppression = {
    kind: 'comment',
    source: comment.text,
    ...(comment.reason ? { justification: comment.reason } : {}),
  };
  if (comment.until && today > comment.until) {
    return { suppression, expired: `the suppression on line ${comment.line + 1} expired on ${comment.until}` };
  }
  return { suppression };
}

/** The line a line-scoped comment covers: its own when it trails code, else the next code line. */
export function coveredLine(comment: IgnoreComment, lines: readonly string[]): number | undefined {
  if (comment.trailing) return comment.line;
  for (let line = comment.line + 1; line < lines.length; line++) {
    const text = (lines[line] ?? '').trim();
    if (text === '' || text.startsWith('#')) continue;
    return line;
  }
  return undefined;
}
