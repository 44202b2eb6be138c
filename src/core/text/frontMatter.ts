// The one front-matter splitter, for rules, lessons, handoff packages and agent roles. A block opens with `---`
// on the first line (a BOM before it is fine) and closes with `---` or YAML's document end `...`; both fences
// may carry trailing blanks, neither may be indented. Its YAML is read with line numbers of the file.
import { isMap, isScalar, LineCounter, parseDocument, type Document } from 'yaml';

export interface FrontMatterSplit {
  /** The file's lines, BOM stripped, line endings removed. */
  readonly lines: readonly string[];
  /** The first line is an opening fence. */
  readonly present: boolean;
  /** 0-based line of the closing fence; -1 when there is none (never closed, or no front matter). */
  readonly closeLine: number;
  /** Text between the fences ('' when absent or unclosed). */
  readonly yaml: string;
  /** Everything after the closing fence; after the opening line when unclosed; the whole text when absent. */
  readonly body: string;
  /** 0-based line where `body` starts. */
  readonly bodyStartLine: number;
}

const OPEN = /^---[ \t]*$/;
const CLOSE = /^(?:---|\.\.\.)[ \t]*$/;

export function splitFrontMatter(text: string): FrontMatterSplit {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (!OPEN.test(lines[0] ?? '')) return { lines, present: false, closeLine: -1, yaml: '', body: lines.join('\n'), bodyStartLine: 0 };
  const closeLine = lines.findIndex((l, i) => i > 0 && CLOSE.test(l));
  if (closeLine < 0) return { lines, present: true, closeLine: -1, yaml: '', body: lines.slice(1).join('\n'), bodyStartLine: 1 };
  return { lines, present: true, closeLine, yaml: lines.slice(1, closeLine).join('\n'), body: lines.slice(closeLine + 1).join('\n'), bodyStartLine: closeLine + 1 };
}

export interface FrontMatterProblem {
  /** 1-based line in the file. */
  readonly line: number;
  readonly message: string;
}

export interface FrontMatterYaml {
  readonly doc: Document;
  /** 1-based file line of each top-level scalar key, first occurrence. */
  readonly keyLines: ReadonlyMap<string, number>;
  /** YAML syntax errors, one line each, positioned in the file. */
  readonly problems: readonly FrontMatterProblem[];
}

/**
 * Parses a split's YAML. `uniqueKeys: false` keeps a repeated key's first value silently (handoff packages written
 * by hand); the default reports it. Never throws.
 */
export function readFrontMatterYaml(yaml: string, options: { uniqueKeys?: boolean } = {}): FrontMatterYaml {
  const counter = new LineCounter();
  // The block starts on file line 2, and the counter's lines are 1-based within the block.
  const fileLine = (offset: number) => counter.linePos(offset).line + 1;
  const doc = parseDocument(yaml, { lineCounter: counter, uniqueKeys: options.uniqueKeys ?? true, prettyErrors: false });
  const problems = doc.errors.map((e) => ({ line: fileLine(e.pos[0]), message: yamlInWords(e.code, e.message) }));
  const keyLines = new Map<string, number>();
  if (isMap(doc.contents))
    for (const pair of doc.contents.items)
      if (isScalar(pair.key) && pair.key.range && !keyLines.has(String(pair.key.value))) keyLines.set(String(pair.key.value), fileLine(pair.key.range[0]));
  return { doc, keyLines, problems };
}

/**
 * A YAML parser error as a person would say it ("a [ list is not closed with ]") instead of the parser's own
 * message ("Flow sequence in block collection must be sufficiently indented and end with a ]").
 */
export function yamlInWords(code: string, message: string): string {
  const raw = yamlMessage(message);
  switch (code) {
    case 'BAD_INDENT':
      return /flow sequence/i.test(raw) ? 'a [ list is not closed with ] on its line' : /flow mapping/i.test(raw) ? 'a { map is not closed with } on its line' : 'the indentation is off: keys start at the left edge, list items are indented "- item" lines';
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY':
      return 'a line is not "key: value" (a missing colon, or a value that runs onto the next line without quotes)';
    case 'DUPLICATE_KEY':
      return 'the same key appears twice (keys must be unique)';
    case 'MISSING_CHAR':
      return /quote/i.test(raw) ? 'a quoted value is never closed' : 'a bracket or quote is never closed';
    case 'BAD_SCALAR_START':
      return 'a value starts with a character YAML reserves (such as @ or `): put the value in quotes';
    case 'TAB_AS_INDENT':
      return 'a tab is used to indent: use spaces';
    default:
      return `not valid YAML (${raw})`;
  }
}

/** yaml's messages may append a position and a code excerpt; the problem carries the line already. */
export function yamlMessage(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}
