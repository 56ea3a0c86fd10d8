import type { Suppression } from '../types';

/** One `# shipshape-ignore` or `# shipshape-ignore-file` comment. */
export interface IgnoreComment {
  scope: 'line' | 'file';
  /**
   * The rules it names. A comment that names none suppresses nothing: RULES.md's syntax requires
   * ids, and a blanket comment would hide findings nobody reviewed.
   */
  ids: string[];
  until?: string;
  /** An `until=` that is not a real YYYY-MM-DD date: the suppression does not apply. */
  invalidUntil?: string;
  reason?: string;
  /** 0-based line the comment stands on. */
  line: number;
  /** True when code precedes the comment on its line (it then covers that line). */
  trailing: boolean;
  text: string;
}

const IGNORE_COMMENT = /(?:^|[ \t])#[ \t]*(shipshape-ignore(?:-file)?)(?=$|[ \t,])(.*)$/;

export interface IgnoreArguments {
  ids: string[];
  until?: string;
  invalidUntil?: string;
  reason?: string;
}

/** Parses the arguments after the directive: ids, `until=YYYY-MM-DD`, `-- reason`. */
export function parseIgnoreArguments(rest: string): IgnoreArguments {
  const [head = '', ...reasonParts] = rest.split(/[ \t]--(?:[ \t]|$)/);
  const reason = reasonParts.join(' -- ').trim();
  const ids: string[] = [];
  let until: string | undefined;
  let invalidUntil: string | undefined;
  for (const word of head.split(/[\s,]+/).filter(Boolean)) {
    if (!word.startsWith('until=')) {
      ids.push(word);
      continue;
    }
    // A mistyped expiry must not turn into a suppression that never lapses.
    const date = word.slice('until='.length);
    if (isCalendarDate(date)) until = date;
    else invalidUntil = word;
  }
  return { ids, ...(until ? { until } : {}), ...(invalidUntil ? { invalidUntil } : {}), ...(reason ? { reason } : {}) };
}

function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
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
  if (!comment.ids.includes(ruleId)) return undefined;
  const suppression: Suppression = {
    kind: 'comment',
    source: comment.text,
    ...(comment.reason ? { justification: comment.reason } : {}),
  };
  if (comment.invalidUntil) {
    return { suppression, expired: `the suppression on line ${comment.line + 1} has an invalid expiry "${comment.invalidUntil}" (write until=YYYY-MM-DD)` };
  }
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
