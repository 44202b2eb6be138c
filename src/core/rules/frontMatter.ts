import { parse as parseYaml } from 'yaml';
import { splitFrontMatter } from '../text/frontMatter';

/**
 * Cursor's front matter is YAML in name only: `globs: **\/*` (an alias in YAML), unquoted comma lists, tabs,
 * empty blocks. The fences are found by the one core splitter (src/core/text/frontMatter.ts), like every other
 * front matter; then, as a pre-pass before YAML, keys are read line by line and YAML is asked only about values
 * that look like YAML structures (flow lists, quoted scalars, indented blocks), so an unquoted glob stays the
 * text its author wrote. Every value keeps the line it came from.
 */
export interface FrontMatterEntry {
  readonly key: string;
  readonly value: unknown;
  /** The raw text after `key:` on the key's line (blocks: empty). */
  readonly raw: string;
  readonly line: number;
  readonly valueColumn: number;
}

export interface FrontMatterIssue {
  readonly line: number;
  readonly column: number;
  readonly length: number;
  readonly message: string;
  readonly kind: 'unclosed' | 'syntax';
}

export interface SplitDocument {
  /** True when the file starts with a `---` fence. */
  readonly hasFrontMatter: boolean;
  readonly entries: FrontMatterEntry[];
  readonly issues: FrontMatterIssue[];
  readonly body: string;
  /** 0-based line where the body starts. */
  readonly bodyStartLine: number;
}

const KEY_LINE = /^([A-Za-z_][\w.-]*)[ \t]*:(?:[ \t]+(.*?))?[ \t]*$/;

export function readRuleFrontMatter(text: string): SplitDocument {
  const split = splitFrontMatter(text);
  const { body, bodyStartLine } = split;
  if (!split.present) return { hasFrontMatter: false, entries: [], issues: [], body, bodyStartLine };
  if (split.closeLine < 0) {
    const issue: FrontMatterIssue = { line: 0, column: 0, length: 3, kind: 'unclosed', message: 'front matter starts with "---" but is never closed' };
    return { hasFrontMatter: true, entries: [], issues: [issue], body, bodyStartLine };
  }
  const { entries, issues } = parseBlock(split.lines, 1, split.closeLine);
  return { hasFrontMatter: true, entries, issues, body, bodyStartLine };
}

function parseBlock(lines: readonly string[], start: number, end: number): { entries: FrontMatterEntry[]; issues: FrontMatterIssue[] } {
  const entries: FrontMatterEntry[] = [];
  const issues: FrontMatterIssue[] = [];
  let i = start;
  while (i < end) {
    const line = lines[i];
    if (!line.trim() || line.trimStart().startsWith('#')) {
      i++;
      continue;
    }
    const m = KEY_LINE.exec(line);
    if (!m || /^\s/.test(line)) {
      issues.push({ line: i, column: 0, length: line.length, kind: 'syntax', message: `front matter line is not "key: value": ${truncate(line.trim())}` });
      i++;
      continue;
    }
    const key = m[1];
    const raw = m[2] ?? '';
    const valueColumn = raw ? line.indexOf(raw, key.length + 1) : line.length;
    if (raw) {
      entries.push({ key, raw, line: i, valueColumn, value: scalarValue(raw) });
      i++;
      continue;
    }
    // An indented block (YAML list or mapping) follows the key.
    let j = i + 1;
    while (j < end && (/^\s/.test(lines[j]) || /^-\s/.test(lines[j]) || !lines[j].trim())) j++;
    const block = lines.slice(i + 1, j);
    entries.push({ key, raw: '', line: i, valueColumn: line.length, value: blockValue(block, i + 1, issues) });
    i = j;
  }
  return { entries, issues };
}

function scalarValue(raw: string): unknown {
  const t = raw.trim();
  if (t === 'true' || t === 'True' || t === 'TRUE') return true;
  if (t === 'false' || t === 'False' || t === 'FALSE') return false;
  if (t === '~' || t === 'null') return null;
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  if (/^["'[{]/.test(t)) {
    try {
      return parseYaml(t);
    } catch {
      return t;
    }
  }
  return t;
}

function blockValue(block: readonly string[], firstLine: number, issues: FrontMatterIssue[]): unknown {
  if (!block.some((l) => l.trim())) return null;
  try {
    return parseYaml(block.join('\n'));
  } catch {
    // Lists of unquoted globs (`- **/*.ts`) are the common failure: read them item by item.
    const items = block.filter((l) => l.trim());
    if (items.every((l) => /^\s*-\s+/.test(l))) return items.map((l) => l.replace(/^\s*-\s+/, '').trim());
    const at = block.findIndex((l) => l.trim());
    issues.push({ line: firstLine + at, column: 0, length: block[at].length, kind: 'syntax', message: 'front matter block is not valid YAML' });
    return null;
  }
}

function truncate(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
