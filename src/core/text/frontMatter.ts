// The one front-matter splitter, for rules, lessons, handoff packages and agent roles. A block opens with `---`
// on the first line (a BOM before it is fine) and closes with `---` or YAML's document end `...`; both fences
// may carry trailing blanks, neither may be indented. Its YAML is read with line numbers of the file.
import { isMap, isScalar, LineCounter, parseDocument, type Document, type YAMLError } from 'yaml';

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
  // One problem per line, in words: a cascade of parser errors on one broken line says nothing more.
  const problems: FrontMatterProblem[] = [];
  for (const e of doc.errors) {
    let line = fileLine(e.pos[0]);
    // An unclosed quote is reported where the block ends; the person needs the line where it opens.
    const quote = e.code === 'MISSING_CHAR' ? (/'quote/.test(e.message) ? "'" : /"quote/.test(e.message) ? '"' : undefined) : undefined;
    if (quote) {
      const opened = yaml.split('\n').findIndex((l) => l.split(quote).length % 2 === 0);
      if (opened >= 0 && opened + 2 <= line) line = opened + 2;
    }
    if (!problems.some((p) => p.line === line)) problems.push({ line, message: yamlInWords(e, yaml.split('\n')[line - 2] ?? '') });
  }
  const keyLines = new Map<string, number>();
  if (isMap(doc.contents))
    for (const pair of doc.contents.items)
      if (isScalar(pair.key) && pair.key.range && !keyLines.has(String(pair.key.value))) keyLines.set(String(pair.key.value), fileLine(pair.key.range[0]));
  return { doc, keyLines, problems };
}

/**
 * A YAML parser error as a person reads it: what is wrong on that line and how to fix it, never the parser's own
 * vocabulary ("map-value-ind token", "compact mappings"). `lineText` is the offending line of the block.
 */
export function yamlInWords(e: Pick<YAMLError, 'code' | 'message'>, lineText: string): string {
  const key = /^\s*([^:#\s][^:#]*?)\s*:/.exec(lineText)?.[1];
  const words = ((): string => {
    switch (e.code) {
      case 'MISSING_CHAR':
        if (/quote/.test(e.message)) return `a value opened with ${/'/.test(e.message) ? "'" : '"'} is never closed`;
        return 'a closing bracket or separator is missing';
      case 'BAD_INDENT':
        if (/end with a [}\]]/.test(e.message)) return 'a [list] or {map} is never closed, or its lines are not indented';
        return 'the indentation does not line up with the lines above';
      case 'TAB_AS_INDENT':
        return 'a tab is used for indentation; use spaces';
      case 'DUPLICATE_KEY':
        return key ? `"${key}" is given more than once` : 'a key is given more than once';
      case 'BLOCK_AS_IMPLICIT_KEY':
        return 'a value contains ": "; put the value in quotes';
      case 'MULTILINE_IMPLICIT_KEY':
        return 'a line has no "key: value" shape (a value continues on a line without its key?)';
      case 'BAD_SCALAR_START':
        return 'a value starts with a character YAML reserves (@ or `); put the value in quotes';
      case 'BAD_DQ_ESCAPE':
        return 'a backslash in a "double-quoted" value is not a valid escape; use single quotes or write \\\\';
      case 'MULTIPLE_DOCS':
        return 'a "---" line inside the front matter starts a second document; the front matter ends at the first one';
      case 'KEY_OVER_1024_CHARS':
        return 'a key is longer than 1024 characters';
      case 'BAD_ALIAS':
      case 'ALIAS_PROPS':
        return 'an alias (*name) is used wrongly; put the value in quotes if "*" or "&" was meant as text';
      case 'MULTIPLE_ANCHORS':
      case 'MULTIPLE_TAGS':
      case 'BAD_PROP_ORDER':
      case 'TAG_RESOLVE_FAILED':
      case 'BAD_COLLECTION_TYPE':
        return 'a value carries YAML tags or anchors (! or &) it cannot use; put the value in quotes';
      case 'BLOCK_IN_FLOW':
        return 'a [list] or {map} written on one line holds a block; keep it on one line or use "- item" lines';
      case 'RESOURCE_EXHAUSTION':
        return 'aliases expand to too much data';
      default:
        return 'this line is not "key: value", a "- item" under a key, or a quoted value';
    }
  })();
  return `not valid YAML: ${words}`;
}

/** yaml's messages may append a position and a code excerpt; the problem carries the line already. */
export function yamlMessage(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}
