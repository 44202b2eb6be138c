import { fixLabel } from './fixEdit';
import type { HandoffLanguage } from './headings';
import type { HandoffMeta } from './parse';
import { splitLines } from './parse';
import type { FileCheck, GapId, HandoffGap, HandoffReport } from './validate';

/**
 * What an editor shows of a validated package: plain data (it crosses to a webview), no parse tree. Gaps carry
 * a `key` instead of their fix, so a click names the gap and the host re-derives the fix from fresh text.
 */
export interface HandoffPanelGap {
  readonly key: string;
  readonly id: GapId;
  readonly severity: 'error' | 'warning';
  readonly message: string;
  /** 1-based; gaps without a place of their own (a missing section) point at the title. */
  readonly line: number;
  readonly cost: number;
  readonly fixLabel?: string;
}

export interface HandoffPanelQuestion {
  readonly question: string;
  readonly answer?: string;
  readonly line: number;
}

export interface HandoffPanelModel {
  /** Workspace-relative path of HANDOFF.md, for display. */
  readonly file: string;
  readonly title: string;
  readonly meta: HandoffMeta;
  readonly score: number;
  readonly passed: boolean;
  readonly minScore: number;
  readonly errors: number;
  readonly warnings: number;
  readonly gaps: readonly HandoffPanelGap[];
  readonly files: readonly FileCheck[];
  /** Soft line breaks joined (see unwrapMarkdown): what is shown and what Copy puts on the clipboard. */
  readonly prompt?: { readonly text: string; readonly line: number; readonly review?: string };
  readonly questions: readonly HandoffPanelQuestion[];
  readonly language: HandoffLanguage;
}

/** Stable within one text: the id alone is shared by e.g. every missing file, the message names the file. */
export function gapKey(gap: Pick<HandoffGap, 'id' | 'message'>): string {
  return `${gap.id}:${gap.message}`;
}

/** The `# Title` line after the front matter (1-based), else the first line: where file-level gaps are shown. */
export function anchorLine(text: string, report: Pick<HandoffReport, 'document'>): number {
  const lines = splitLines(text);
  const from = report.document.frontMatter?.endLine ?? 0;
  for (let i = from; i < lines.length; i++) if (/^ {0,3}#[ \t]/.test(lines[i])) return i + 1;
  return 1;
}

const BLOCK_START = /^(?:[-*+]\s|\d{1,9}[.)]\s|#|>|\||```|~~~)/;

/**
 * Joins the soft-wrapped lines of markdown paragraphs (a single newline is a space in markdown), so a prompt
 * wrapped at 110 columns in the file reads, and pastes, as flowing text. Lists, headings, quotes, tables, code
 * fences and hard breaks (two trailing spaces or a backslash) keep their lines.
 */
export function unwrapMarkdown(text: string): string {
  const out: string[] = [];
  let fence = false;
  let joinable = false;
  for (const line of splitLines(text)) {
    const t = line.trim();
    if (/^(?:```|~~~)/.test(t)) {
      fence = !fence;
      out.push(line);
      joinable = false;
      continue;
    }
    if (!fence && joinable && t && !BLOCK_START.test(t)) out[out.length - 1] = `${out[out.length - 1].trimEnd()} ${t}`;
    else out.push(line);
    joinable = !fence && t !== '' && !/^(?:#|\|)/.test(t) && !/(?: {2}|\\)$/.test(line);
  }
  return out.join('\n');
}

export function handoffPanelModel(report: HandoffReport, text: string, file: string): HandoffPanelModel {
  const doc = report.document;
  const anchor = anchorLine(text, report);
  const fallbackTitle = file.split('/').slice(-2, -1)[0] ?? file;
  const gaps = report.gaps.map((g) => ({
    key: gapKey(g),
    id: g.id,
    severity: g.severity,
    message: g.message,
    line: g.line ?? anchor,
    cost: g.cost,
    ...(g.fix ? { fixLabel: fixLabel(g.fix) } : {}),
  }));
  const errors = gaps.filter((g) => g.severity === 'error').length;
  return {
    file,
    title: doc.meta.title || doc.title || fallbackTitle,
    meta: doc.meta,
    score: report.score,
    passed: report.passed,
    minScore: report.minScore,
    errors,
    warnings: gaps.length - errors,
    gaps,
    files: report.files,
    ...(doc.prompt?.text
      ? { prompt: { text: unwrapMarkdown(doc.prompt.text), line: doc.prompt.line, ...(doc.prompt.review ? { review: doc.prompt.review.note } : {}) } }
      : {}),
    questions: doc.questions
      .filter((q) => !q.placeholder && q.question)
      .map((q) => ({ question: q.question, ...(q.answer ? { answer: q.answer } : {}), line: q.line })),
    language: doc.language,
  };
}
