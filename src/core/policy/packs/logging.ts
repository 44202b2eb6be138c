import { z } from 'zod';
import { fingerprint, type TextIndex } from '../textIndex';
import type { Finding, Fix, Severity } from '../types';

export const LOGGING_RULE_ID = '001';

export const loggingOptionsSchema = z
  .object({
    /** Call that replaces `console.log`/`console.debug`, e.g. "logger.debug". Without it the fix removes the line. */
    replacement: z.string().regex(/^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$/, 'replacement must be a dotted identifier').optional(),
    /** Same for Python `print(`, e.g. "logger.info". */
    pythonReplacement: z.string().regex(/^[A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*$/, 'pythonReplacement must be a dotted identifier').optional(),
    /** console methods that count as debugging output. */
    methods: z.array(z.string().regex(/^[A-Za-z]+$/)).min(1).optional(),
  })
  .strict();
export type LoggingOptions = z.infer<typeof loggingOptionsSchema>;

export const LOGGING_DEFAULT_GLOBS = ['**/*.{js,jsx,ts,tsx,mjs,cjs,mts,cts,vue,svelte,py}'];
/** What is not production code by default: tests, scripts, benches, examples, fixtures, tool configs. */
export const LOGGING_DEFAULT_EXCLUDE = [
  '**/{test,tests,__tests__,__mocks__,spec,specs,e2e,scripts,script,bench,benches,benchmark,benchmarks,examples,example,fixtures,demo}/**',
  '**/*.{test,spec,bench,stories,e2e}.*',
  '**/{test_*,*_test,conftest,setup,manage}.py',
  '**/*.config.{js,cjs,mjs,ts,mts,cts}',
];

type Lang = 'js' | 'py';

const MAX_LINE = 1000;
/** How far a call's closing parenthesis is looked for; longer calls get no fix. */
const MAX_CALL = 4000;

const JS_LANGS = new Set(['javascript', 'typescript', 'javascriptreact', 'typescriptreact', 'vue', 'svelte']);

export function loggingLanguage(relPath: string, languageId?: string): Lang | undefined {
  if (languageId === 'python') return 'py';
  if (languageId && JS_LANGS.has(languageId)) return 'js';
  if (/\.py$/i.test(relPath)) return 'py';
  if (/\.(?:[cm]?[jt]sx?|vue|svelte)$/i.test(relPath)) return 'js';
  return undefined;
}

export interface LoggingPack {
  check(relPath: string, index: TextIndex, lang: Lang): Finding[];
}

export function createLoggingPack(ruleId: string, ruleName: string, severity: Severity, options: LoggingOptions): LoggingPack {
  const methods = options.methods ?? ['log', 'debug'];
  const jsCall = new RegExp(`(?<![\\w$.])console\\s*\\.\\s*(?:${methods.join('|')})(?=\\s*\\()`, 'g');
  const pyCall = /(?<![\w.])print(?=\s*\()/g;
  return {
    check(relPath, index, lang) {
      const text = index.text;
      if (lang === 'js' ? !text.includes('console') : !text.includes('print')) return [];
      const re = lang === 'js' ? jsCall : pyCall;
      const replacement = lang === 'js' ? options.replacement : options.pythonReplacement;
      const out: Finding[] = [];
      re.lastIndex = 0;
      for (let m = re.exec(text); m; m = re.exec(text)) {
        const line = index.lineOf(m.index);
        // Minified code is generated, not debugging someone left behind, and its lines would make the
        // per-call work below quadratic.
        if (index.lineLength(line) > MAX_LINE) continue;
        const lineStart = index.lineStart(line);
        const before = text.slice(lineStart, m.index);
        if (isCommentedOut(before, lang)) continue;
        const callee = m[0].replace(/\s+/g, '');
        const openParen = text.indexOf('(', m.index + m[0].length);
        const close = findClosingParen(text, openParen);
        const range = index.range(m.index, close === -1 ? m.index + m[0].length : close + 1);
        out.push({
          ruleId,
          ruleName,
          severity,
          file: relPath,
          range,
          message: `${callee}() left in production code: ${replacement ? `use ${replacement}()` : 'use the project logger'} or remove it`,
          fix: replacement
            ? replaceFix(callee, replacement, index.range(m.index, m.index + m[0].length))
            : removeFix(callee, index, m.index, close, lang),
          fingerprint: fingerprint(ruleId, relPath, index.lineText(line).trim()),
        });
      }
      return out;
    },
  };
}

function isCommentedOut(before: string, lang: Lang): boolean {
  if (lang === 'py') return before.includes('#');
  const t = before.trimStart();
  return t.startsWith('*') || t.startsWith('/*') || /(?:^|[^:\\])\/\//.test(before);
}

/** Index of the `)` closing the `(` at `open`, skipping string literals; -1 if unbalanced. */
export function findClosingParen(text: string, open: number): number {
  if (open < 0) return -1;
  let depth = 0;
  const limit = Math.min(text.length, open + MAX_CALL);
  for (let i = open; i < limit; i++) {
    const c = text[i];
    if (c === '"' || c === "'" || c === '`') {
      for (i++; i < limit && text[i] !== c; i++) if (text[i] === '\\') i++;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return -1;
}

function replaceFix(callee: string, replacement: string, range: Finding['range']): Fix {
  return { title: `Replace ${callee} with ${replacement}`, edits: [{ range, newText: replacement }] };
}

/** Removes whole lines when the call is a statement of its own; a call inside an expression gets no fix. */
function removeFix(callee: string, index: TextIndex, start: number, close: number, lang: Lang): Fix | undefined {
  if (close === -1) return undefined;
  const text = index.text;
  const first = index.lineOf(start);
  if (text.slice(index.lineStart(first), start).trim() !== '') return undefined;
  const last = index.lineOf(close);
  const after = text.slice(close + 1, index.lineStart(last) + index.lineText(last).length);
  if (!/^\s*;?\s*(?:\/\/.*|#.*)?$/.test(after)) return undefined;
  const range = { startLine: first, startColumn: 0, endLine: last + 1, endColumn: 0 };
  if (lang === 'py' && wouldEmptyBlock(index, first, last)) {
    const indent = /^\s*/.exec(index.lineText(first))![0];
    return { title: `Replace ${callee}() with pass`, edits: [{ range, newText: `${indent}pass\n` }] };
  }
  if (last + 1 >= index.lineCount) {
    // Last line of the file: there is no following line start to delete up to.
    return { title: `Remove ${callee}()`, edits: [{ range: { startLine: first, startColumn: 0, endLine: last, endColumn: index.lineText(last).length }, newText: '' }] };
  }
  return { title: `Remove ${callee}()`, edits: [{ range, newText: '' }] };
}

/** A Python block whose only statement is this print would be left empty (a syntax error). */
function wouldEmptyBlock(index: TextIndex, first: number, last: number): boolean {
  const indentOf = (s: string) => /^\s*/.exec(s)![0].length;
  let prev = first - 1;
  while (prev >= 0 && !index.lineText(prev).trim()) prev--;
  if (prev < 0 || !index.lineText(prev).trimEnd().endsWith(':')) return false;
  let next = last + 1;
  while (next < index.lineCount && !index.lineText(next).trim()) next++;
  const own = indentOf(index.lineText(first));
  return next >= index.lineCount || indentOf(index.lineText(next)) < own;
}
