import { parse, type ParserPlugin } from '@babel/parser';
import { normaliseLanguage } from './language';
import { extractCodeBlocks, fencesBalanced, type CodeBlock } from './codeBlocks';

/**
 * Checks a local model's answer before the user sees it as final. Each failed check adds one human-readable
 * reason; any reason means the router escalates (in Auto mode). Cheap checks first; code parsing (@babel/parser for
 * TS/JS, JSON.parse) only runs on fenced blocks that say which language they are.
 */
export interface QualityInput {
  answer: string;
  command?: string;
  /** Language of the file the task is about (VS Code language id or extension-derived), if any. */
  fileLanguage?: string;
  /** Normalised provider done reason; 'length' means the model hit its output limit. */
  doneReason?: string;
  /**
   * The strictest checks, for a task the router was unsure about (its uncertain band): any doubt escalates.
   * `context` (the code the task is about) lets them check the answer is about that code.
   */
  strict?: boolean;
  context?: string;
}

export interface QualityResult {
  ok: boolean;
  reasons: string[];
}

/** Minimum useful answer length (characters, trimmed) per command; the default covers free-form questions. */
const MIN_CHARS: Record<string, number> = {
  explain: 80,
  review: 60,
  refactor: 20,
  tests: 40,
  fix: 20,
  commit: 8,
};
const DEFAULT_MIN_CHARS = 16;
/** Commands whose answer is code: without a code block it is not an answer. */
const NEEDS_CODE = new Set(['refactor', 'tests', 'fix']);

const REFUSAL = [
  /^\s*(?:i'?m|i am)\s+(?:sorry|afraid)\b[^.\n]{0,80}\b(?:can(?:'|no)t|cannot|unable|not able)\b/i,
  /^\s*(?:i\s+)?(?:can(?:'|no)t|cannot|won'?t|am unable to|am not able to)\s+(?:help|assist|do that|comply|provide)/i,
  /^\s*as an ai(?: language model)?\b/i,
  /^\s*(?:sorry|unfortunately),?\s+(?:but\s+)?i\s+(?:can(?:'|no)t|cannot|am unable)/i,
];

// Code blocks live in ./codeBlocks (no parser there): agent schemas and the activation bundle use them without @babel/parser.
export { extractCodeBlocks, fencesBalanced, type CodeBlock } from './codeBlocks';

// Language ids live in ./language (no parser there), so webviews and activation can use them without @babel/parser.
export { languageOfFile, normaliseLanguage } from './language';

/** Blocks in these languages are commands, output or prose around code, never "the wrong language". */
const NEUTRAL = new Set(['shellscript', 'console', 'plaintext', 'diff', 'markdown', 'json', 'jsonc', 'yaml', 'toml']);
/** Languages that may legitimately appear in an answer about a file of the key language. */
const COMPATIBLE: Record<string, readonly string[]> = {
  typescript: ['javascript', 'typescriptreact', 'javascriptreact'],
  typescriptreact: ['typescript', 'javascript', 'javascriptreact', 'html', 'css'],
  javascript: ['typescript', 'javascriptreact'],
  javascriptreact: ['javascript', 'typescriptreact', 'html', 'css'],
  html: ['javascript', 'css'],
  vue: ['typescript', 'javascript', 'html', 'css'],
  svelte: ['typescript', 'javascript', 'html', 'css'],
  c: ['cpp'],
  cpp: ['c'],
};

/** Parser plugins per language. @babel/parser is pure JS, so it ships inside the bundle (esbuild's native binary cannot). */
const LOADERS: Record<string, ParserPlugin[]> = {
  typescript: ['typescript'],
  typescriptreact: ['typescript', 'jsx'],
  javascript: [],
  javascriptreact: ['jsx'],
};

/**
 * Parse errors for one block, or undefined when it parses. Answers often hold fragments (a method, a function
 * body), so a block also passes if it parses wrapped in a function or class body; lines that are only an
 * ellipsis ("...", "// ...") are elision, not code.
 */
export async function codeBlockError(block: CodeBlock): Promise<string | undefined> {
  const lang = normaliseLanguage(block.lang);
  if (lang === 'json') {
    try {
      JSON.parse(block.code);
      return undefined;
    } catch (e) {
      return `json block ${block.index} is not valid JSON (${(e as Error).message})`;
    }
  }
  const loader = lang ? LOADERS[lang] : undefined;
  if (!loader) return undefined;
  const code = block.code.replace(/^\s*(?:\.\.\.|…)\s*$/gm, '');
  let first: string | undefined;
  for (const wrapped of [code, `async function __snippet() {\n${code}\n}`, `class __Snippet {\n${code}\n}`]) {
    try {
      parse(wrapped, { sourceType: 'unambiguous', plugins: loader, errorRecovery: false, allowReturnOutsideFunction: true, allowAwaitOutsideFunction: true });
      return undefined;
    } catch (e) {
      first ??= firstParseError(e);
    }
  }
  return `${block.lang} block ${block.index} does not parse (${first})`;
}

function firstParseError(e: unknown): string {
  const err = e as { message?: string; loc?: { line: number } };
  const text = String(err.message ?? e).split('\n')[0]!.replace(/\s*\(\d+:\d+\)$/, '');
  return err.loc ? `line ${err.loc.line}: ${text}` : text;
}

export async function checkAnswer(input: QualityInput): Promise<QualityResult> {
  const reasons: string[] = [];
  const text = input.answer.trim();
  const command = input.command ?? 'ask';
  if (!text) return { ok: false, reasons: ['empty answer'] };

  const min = MIN_CHARS[command] ?? DEFAULT_MIN_CHARS;
  if (text.length < min) reasons.push(`answer too short for ${command} (${text.length} characters, expected at least ${min})`);
  if (REFUSAL.some((r) => r.test(text))) reasons.push('the model refused');
  if (input.doneReason === 'length') reasons.push('answer truncated (hit the output token limit)');
  if (!fencesBalanced(input.answer)) reasons.push('unbalanced code fences');

  const blocks = extractCodeBlocks(input.answer);
  if (NEEDS_CODE.has(command) && !blocks.length) reasons.push(`no code block in a ${command} answer`);
  const parseErrors = await Promise.all(blocks.map(codeBlockError));
  for (const e of parseErrors) if (e) reasons.push(e);

  const fileLang = normaliseLanguage(input.fileLanguage);
  if (fileLang && blocks.length) {
    const coded = blocks.map((b) => normaliseLanguage(b.lang)).filter((l): l is string => !!l && !NEUTRAL.has(l));
    const fits = (l: string): boolean => l === fileLang || (COMPATIBLE[fileLang] ?? []).includes(l);
    const wrong = coded.filter((l) => !fits(l));
    if (coded.length && wrong.length === coded.length)
      reasons.push(`code is in ${[...new Set(wrong)].join(', ')} but the file is ${fileLang}`);
  }
  if (input.strict) reasons.push(...strictReasons(input, text, blocks));
  return { ok: reasons.length === 0, reasons };
}

/** A model hedging about its own answer: in the uncertain band that is the doubt that sends a task to Claude. */
const HEDGE =
  /\b(?:i'?m not (?:sure|certain)|i am not (?:sure|certain)|i don'?t know|hard to (?:say|tell)|without (?:more|further|additional) (?:context|information)|not enough (?:context|information)|it(?:'s| is) (?:unclear|not clear)|i (?:can(?:'|no)t|cannot) (?:see|tell|determine))\b/i;
const ASSERTION = /\b(?:assert\w*|expect|should|t\.(?:error|fatal|errorf|fatalf)|require\.\w+|#\[test\]|@test|check|verify)\b/i;
const STRICT_MIN_FACTOR = 2;

function strictReasons(input: QualityInput, text: string, blocks: readonly CodeBlock[]): string[] {
  const reasons: string[] = [];
  const command = input.command ?? 'ask';
  const min = (MIN_CHARS[command] ?? DEFAULT_MIN_CHARS) * STRICT_MIN_FACTOR;
  if (text.length < min) reasons.push(`answer thin for an uncertain ${command} task (${text.length} characters, expected at least ${min})`);
  if (HEDGE.test(text)) reasons.push('the model sounds unsure of its answer');
  if (NEEDS_CODE.has(command) && blocks.some((b) => !b.lang)) reasons.push('a code block does not say its language');
  if (command === 'tests' && blocks.length && !blocks.some((b) => ASSERTION.test(b.code))) reasons.push('the tests assert nothing');
  const names = contextIdentifiers(input.context);
  if ((command === 'explain' || command === 'review') && names.size >= 3 && !mentionsAny(text, names)) reasons.push('the answer names nothing from the code it is about');
  return reasons;
}

/** Distinctive identifiers of the code (6+ characters, not keywords), for "is the answer about this code?". */
function contextIdentifiers(context: string | undefined): Set<string> {
  const out = new Set<string>();
  if (!context) return out;
  for (const m of context.slice(0, 50_000).matchAll(/[A-Za-z_][A-Za-z0-9_]{5,}/g)) if (!KEYWORDS.has(m[0].toLowerCase())) out.add(m[0]);
  return out;
}

function mentionsAny(answer: string, names: ReadonlySet<string>): boolean {
  for (const m of answer.matchAll(/[A-Za-z_][A-Za-z0-9_]{5,}/g)) if (names.has(m[0])) return true;
  return false;
}

const KEYWORDS = new Set(['return', 'export', 'import', 'function', 'public', 'private', 'static', 'const', 'struct', 'string', 'number', 'boolean', 'object', 'default', 'extends', 'implements', 'interface', 'package', 'unsafe', 'typeof', 'instanceof', 'module', 'require', 'async', 'await', 'yield', 'switch', 'continue', 'protected', 'override', 'virtual', 'template', 'typename', 'unsigned', 'double', 'float', 'println', 'printf', 'console', 'length', 'undefined', 'null', 'self', 'where', 'impl', 'match', 'throws', 'throw', 'catch', 'finally', 'delete', 'sizeof']);
