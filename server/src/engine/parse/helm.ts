import { isChartTemplatePath } from '../file-kind';
import type { SkipReason } from '../skip';
import { controlMask, LINE_MASK, VALUE_MASK } from './helm-mask';

export interface PreparedYaml {
  /** The text to parse: the file itself, or a masked template of the same length. */
  text: string;
  /** The text holds masked Helm actions. */
  isTemplate: boolean;
  /** Why the file cannot be analysed, when it cannot. */
  skipped?: SkipReason;
}

/** One `{{ … }}` action: offsets into the file, and whether it writes text where it stands. */
interface HelmAction {
  start: number;
  end: number;
  /** `if`, `else`, `end`, `range`, `with`, variable assignments and comments write nothing. */
  writesText: boolean;
  /** How the action nests: it opens a conditional (`if`, `with`) or another block, or ends one. */
  block?: 'conditional' | 'other' | 'end';
}

type ScanResult = { actions: HelmAction[] } | { error: string; at: number };

/**
 * Helm chart templates are analysed as written (RULES.md, "Helm templates"): every action is
 * masked at its own length, so each offset, line and column stays where the author wrote it.
 * An action among other text (`image: {{ .Values.image }}`, `"{{ .x }}:{{ .y }}"`, a key, a
 * list item) becomes VALUE_MASK characters, a plain scalar whose value is unknown. A line that
 * holds nothing but actions becomes a YAML comment, so the lines around it still parse: filled
 * with LINE_MASK when an action on it writes text (`{{- include … | nindent 8 }}`, which may add
 * keys there), with CONTROL_MASK when none does (`{{- if … }}`, `{{- end }}`).
 */
export function prepareHelmTemplate(path: string, text: string): PreparedYaml {
  const inChart = isChartTemplatePath(path);
  if (!text.includes('{{')) return { text, isTemplate: false };
  const scan = scanActions(text);
  if ('error' in scan) {
    // Outside a chart, `{{` may be plain YAML (a flow map in a flow map): read the file as it is.
    if (!inChart) return { text, isTemplate: false };
    return {
      text,
      isTemplate: true,
      skipped: { messageId: 'helmActions', data: { problem: scan.error, line: lineNumberAt(text, scan.at) } },
    };
  }
  return { text: maskActions(text, scan.actions), isTemplate: true };
}

/** Describes why a masked template still does not parse, for the file-skipped finding. */
export function unreadableTemplateReason(line: number, parserMessage: string): SkipReason {
  return { messageId: 'helmMaskedYaml', data: { line, reason: parserMessage } };
}

function lineNumberAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

const CONTROL_KEYWORDS = /^(?:if|else|end|range|with|define|break|continue)\b/;
const VARIABLE_ASSIGNMENT = /^\$[A-Za-z0-9_]*\s*:?=/;

/**
 * Finds every action, reading Go template strings (`"…"`, `` `…` ``, `'…'`) and comments so that
 * a `}}` inside them does not end the action. A `{{` inside an action, or a missing `}}`, is an
 * error: Helm would reject the template too.
 */
function scanActions(text: string): ScanResult {
  const actions: HelmAction[] = [];
  let cursor = text.indexOf('{{');
  while (cursor !== -1) {
    const start = cursor;
    let inner = start + 2;
    if (text[inner] === '-' && /\s/.test(text[inner + 1] ?? '')) inner++;
    while (/[ \t\r\n]/.test(text[inner] ?? '')) inner++;
    let end: number;
    if (text.startsWith('/*', inner)) {
      const close = text.indexOf('*/', inner + 2);
      if (close === -1) return { error: 'a {{/* comment */}} is never closed', at: start };
      const after = /^\s*-?\s*\}\}/.exec(text.slice(close + 2, close + 2 + 8));
      if (!after) return { error: 'a {{/* comment */}} must end with */}}', at: start };
      end = close + 2 + after[0].length;
      actions.push({ start, end, writesText: false });
    } else {
      const found = findActionEnd(text, inner);
      if ('error' in found) return { error: found.error, at: start };
      end = found.end;
      const body = text.slice(inner, end - 2).replace(/-\s*$/, '').trim();
      const block = blockOf(body);
      actions.push({ start, end, writesText: !(CONTROL_KEYWORDS.test(body) || VARIABLE_ASSIGNMENT.test(body)), ...(block ? { block } : {}) });
    }
    cursor = text.indexOf('{{', end);
  }
  return { actions };
}

function blockOf(body: string): HelmAction['block'] {
  if (/^(?:if|with)\b/.test(body)) return 'conditional';
  if (/^(?:range|define|block)\b/.test(body)) return 'other';
  if (/^end\b/.test(body)) return 'end';
  return undefined;
}

function findActionEnd(text: string, from: number): { end: number } | { error: string } {
  let i = from;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '}' && text[i + 1] === '}') return { end: i + 2 };
    if (ch === '{' && text[i + 1] === '{') return { error: 'a {{ action is opened inside another one (a missing }})' };
    if (ch === '"' || ch === "'") {
      i = skipQuoted(text, i, ch);
      continue;
    }
    if (ch === '`') {
      const close = text.indexOf('`', i + 1);
      if (close === -1) return { error: 'a `raw string` in an action is never closed' };
      i = close + 1;
      continue;
    }
    i++;
  }
  return { error: 'a {{ action is never closed with }}' };
}

/** Past a Go interpreted string or character literal; these never span lines. */
function skipQuoted(text: string, open: number, quote: string): number {
  let i = open + 1;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '\\') i += 2;
    else if (ch === quote) return i + 1;
    else if (ch === '\n') return i;
    else i++;
  }
  return i;
}

/** One line of the template and the actions that touch it. */
interface TemplateLine {
  start: number;
  /** End of the line's text, before `\r\n` or `\n`. */
  end: number;
  actions: HelmAction[];
  /** Nothing but actions, whitespace or a YAML comment: the line becomes a comment. */
  standsAlone: boolean;
  /** Holds YAML content (not blank, not a comment, not actions alone). */
  hasContent: boolean;
  indent: number;
  /** Column where the line's content starts after any `- ` list markers: a key, or a list item. */
  contentColumn: number;
}

function maskActions(text: string, actions: readonly HelmAction[]): string {
  const lines = splitLines(text, actions);
  // For each line, the next line below it that holds YAML content (found once, from the end).
  const nextContent: Array<TemplateLine | undefined> = new Array<TemplateLine | undefined>(lines.length);
  let below: TemplateLine | undefined;
  for (let index = lines.length - 1; index >= 0; index--) {
    nextContent[index] = below;
    const line = lines[index];
    if (line?.hasContent) below = line;
  }
  const masks = new Masks();
  const blocks = new BlockNesting();
  lines.forEach((line, index) => {
    if (line.actions.length === 0) return;
    blocks.enter(line.actions);
    if (!line.standsAlone) {
      maskInlineActions(masks, text, line, nextContent[index]);
      return;
    }
    const valueColumn = soleValueColumn(text, lines, index);
    if (valueColumn === undefined) maskStandingLine(masks, text, line, declaredIndent(text, line), blocks.conditionalDepth());
    else maskValueLine(masks, line, valueColumn);
  });
  return masks.applyTo(text);
}

/**
 * Same-length replacements, collected and applied in one pass: templates can be megabytes of
 * CRD schema with a handful of actions, so the text is never split into characters.
 */
class Masks {
  private readonly replacements: Array<{ start: number; text: string }> = [];

  /** Replaces the text from `start` with `text`, character for character. */
  put(start: number, text: string): void {
    if (text.length > 0) this.replacements.push({ start, text });
  }

  /** Fills [start, end) with one character. */
  fill(start: number, end: number, char: string): void {
    if (end > start) this.put(start, char.repeat(end - start));
  }

  applyTo(text: string): string {
    const ordered = [...this.replacements].sort((a, b) => a.start - b.start);
    let result = '';
    let cursor = 0;
    for (const { start, text: replacement } of ordered) {
      result += text.slice(cursor, start) + replacement;
      cursor = start + replacement.length;
    }
    return result + text.slice(cursor);
  }
}

/**
 * `livenessProbe:` with nothing after it, then `{{- toYaml . | nindent 12 }}` on the next line:
 * the action is the key's whole value. Masked as a scalar one column deeper than the key, the key
 * holds an unknown value (not nothing), and the map around it gets no hidden keys. Returns that
 * column, or undefined when the line is not such a value: other content follows at the value's
 * depth, another action also writes there, or the line is too short to hold the scalar.
 */
function soleValueColumn(text: string, lines: readonly TemplateLine[], index: number): number | undefined {
  const line = lines[index];
  if (!line?.actions.some((a) => a.writesText)) return undefined;
  let before = index - 1;
  while (before >= 0 && !lines[before]?.hasContent) before--;
  let after = index + 1;
  while (after < lines.length && !lines[after]?.hasContent) after++;
  const key = lines[before];
  if (!key || !/:[ \t]*(#.*)?$/.test(text.slice(key.start, key.end)) || /^[ \t]*(?:-[ \t]*)?#/.test(text.slice(key.start, key.end))) return undefined;
  // Actions that write at the key's column or left of it fill its map or a parent, not its value.
  const writers = lines
    .slice(before + 1, after)
    .filter((other) => other.actions.some((a) => a.writesText) && (declaredIndent(text, other) ?? other.indent) > key.contentColumn);
  if (writers.length !== 1) return undefined;
  const next = lines[after];
  if (next && next.indent > key.contentColumn) return undefined;
  const written = declaredIndent(text, line) ?? line.indent;
  if (written <= key.contentColumn) return undefined;
  const column = Math.max(line.indent, key.contentColumn + 1);
  return line.start + column < line.end ? column : undefined;
}

/**
 * The N of `| indent N` or `| nindent N` in the line's last action that writes text: the column
 * its output starts at. `{{- with .x }}{{- toYaml . | nindent 12 }}{{- end }}` writes at 12.
 */
function declaredIndent(text: string, line: TemplateLine): number | undefined {
  const writer = line.actions.filter((action) => action.writesText).pop();
  if (!writer) return undefined;
  const match = /\|\s*n?indent\s+(\d+)\s*-?\}\}$/.exec(text.slice(writer.start, writer.end));
  return match ? Number(match[1]) : undefined;
}

function maskValueLine(masks: Masks, line: TemplateLine, column: number): void {
  masks.fill(line.start, line.start + column, ' ');
  masks.fill(line.start + column, line.end, VALUE_MASK);
}

function splitLines(text: string, actions: readonly HelmAction[]): TemplateLine[] {
  const lines: TemplateLine[] = [];
  let next = 0;
  for (let start = 0; start <= text.length; ) {
    let lineEnd = text.indexOf('\n', start);
    if (lineEnd === -1) lineEnd = text.length;
    const end = lineEnd > start && text[lineEnd - 1] === '\r' ? lineEnd - 1 : lineEnd;
    while (next < actions.length && (actions[next]?.end ?? 0) <= start) next++;
    const touching: HelmAction[] = [];
    for (let k = next; k < actions.length; k++) {
      const action = actions[k];
      if (!action || action.start >= end) break;
      touching.push(action);
    }
    const trimmed = textOutside(text, start, end, touching).trim();
    const standsAlone = touching.length > 0 && (trimmed === '' || trimmed.startsWith('#'));
    const lineText = text.slice(start, end);
    const indent = /^[ \t]*/.exec(lineText)?.[0].length ?? 0;
    const contentColumn = /^[ \t]*(?:-[ \t]+)*/.exec(lineText)?.[0].length ?? 0;
    const hasContent = !standsAlone && trimmed !== '' && !trimmed.startsWith('#');
    lines.push({ start, end, actions: touching, standsAlone, hasContent, indent, contentColumn });
    start = lineEnd + 1;
  }
  return lines;
}

/** The line's text with the actions cut out (most lines have none: then it is one slice). */
function textOutside(text: string, start: number, end: number, actions: readonly HelmAction[]): string {
  let rest = '';
  let cursor = start;
  for (const action of actions) {
    if (action.start > cursor) rest += text.slice(cursor, Math.min(action.start, end));
    cursor = Math.max(cursor, action.end);
  }
  return cursor < end ? rest + text.slice(cursor, end) : rest;
}

/** The blocks open at a point of the template, read action by action (an action is read once, on its first line). */
class BlockNesting {
  private readonly open: Array<'conditional' | 'other'> = [];
  private readonly seen = new Set<HelmAction>();

  enter(actions: readonly HelmAction[]): void {
    for (const action of actions) {
      if (this.seen.has(action)) continue;
      this.seen.add(action);
      if (action.block === 'end') this.open.pop();
      else if (action.block) this.open.push(action.block);
    }
  }

  conditionalDepth(): number {
    return this.open.filter((block) => block === 'conditional').length;
  }
}

/**
 * The whole line becomes a comment. Its `#` stands at the column the action writes at (RULES.md:
 * an action fills the collection at its own indentation, never its parents): the `nindent N`
 * column when the line is long enough to hold it there, else the line's first non-blank column.
 * hasOpaqueLines reads that column back to tell which map the action may add keys to. A control
 * line's fill tells how many conditional blocks are open after it (see `controlMask`).
 */
function maskStandingLine(masks: Masks, text: string, line: TemplateLine, writesAt: number | undefined, conditionalDepth: number): void {
  const fill = line.actions.some((a) => a.writesText) ? LINE_MASK : controlMask(conditionalDepth);
  let i = line.start;
  while (i < line.end && /[ \t]/.test(text[i] ?? '')) i++;
  if (i >= line.end) {
    masks.fill(line.start, i, ' ');
    return;
  }
  const hash = fill === LINE_MASK && writesAt !== undefined && line.start + writesAt < line.end - 1 ? line.start + writesAt : i;
  masks.fill(line.start, hash, ' ');
  masks.put(hash, '#');
  masks.fill(hash + 1, line.end, fill);
}

/**
 * Actions among other text become VALUE_MASK. The exception: an action that ends a line and is
 * followed by more deeply indented lines writes a block there (`labels: {{- include … | nindent 4 }}`
 * with more labels below), so it becomes a comment that lets the lines below be its value.
 */
function maskInlineActions(masks: Masks, text: string, line: TemplateLine, nextContent: TemplateLine | undefined): void {
  const last = line.actions[line.actions.length - 1];
  const endsLine = last !== undefined && last.writesText && text.slice(last.end, line.end).trim() === '' && /[ \t]/.test(text[last.start - 1] ?? '');
  // Deeper than the key it follows; for an action that is a whole list item, at its column or deeper.
  const isWholeItem = last !== undefined && last.start === line.start + line.contentColumn;
  const opensBlock =
    endsLine && nextContent !== undefined && (nextContent.indent > line.contentColumn || (isWholeItem && nextContent.indent === line.contentColumn));
  for (const action of line.actions) {
    const from = Math.max(action.start, line.start);
    const to = Math.min(action.end, line.end);
    if (opensBlock && action === last) {
      masks.put(from, '#');
      masks.fill(from + 1, line.end, LINE_MASK);
    } else {
      masks.fill(from, to, VALUE_MASK);
    }
  }
}
