import type { FileSystem } from '../platform/fileSystem';
import { resolveHandoffConfig } from './config';
import type { HandoffCaps, HandoffConfig, HandoffConfigInput, HandoffWeights } from './config';
import { addSectionFix, fillSectionFix } from './fixes';
import type { HandoffFix } from './fixes';
import { CANONICAL_HEADINGS } from './headings';
import type { SectionKind } from './headings';
import type { FileEntry } from './items';
import { parseHandoff, sectionOf } from './parse';
import type { HandoffDocument, MetaKey } from './parse';

export type GapId =
  | 'missing-prompt'
  | 'short-prompt'
  | 'unreviewed-prompt'
  | 'too-few-files'
  | 'missing-file'
  | 'invalid-file-path'
  | 'duplicate-file'
  | 'too-few-questions'
  | 'unanswered-question'
  | 'missing-context'
  | 'missing-lessons'
  | 'missing-scope'
  | 'missing-decisions'
  | 'placeholder'
  | 'missing-metadata';

export interface HandoffGap {
  /** Rule id; stable, usable as a diagnostic code. Several gaps may share one (e.g. one per missing file). */
  readonly id: GapId;
  readonly severity: 'error' | 'warning';
  readonly message: string;
  /** 1-based line in HANDOFF.md. */
  readonly line?: number;
  readonly fix?: HandoffFix;
  /** Points this gap took off the score. */
  readonly cost: number;
}

export interface FileCheck {
  readonly path: string;
  readonly line: number;
  readonly note?: string;
  readonly exists: boolean;
  readonly kind?: 'file' | 'directory';
  readonly problem?: FileEntry['problem'];
  readonly duplicate: boolean;
}

export interface HandoffReport {
  readonly score: number;
  readonly passed: boolean;
  readonly minScore: number;
  readonly gaps: readonly HandoffGap[];
  /** Every listed file with its existence mark, in list order. */
  readonly files: readonly FileCheck[];
  readonly document: HandoffDocument;
}

export interface ValidateOptions {
  readonly fs: FileSystem;
  /** Workspace root that listed paths are relative to; absolute, '/'-separated. */
  readonly root: string;
  /** Full config or overrides of the defaults. */
  readonly config?: HandoffConfig | HandoffConfigInput;
}

type Draft = Omit<HandoffGap, 'cost'> & { weight: keyof HandoffWeights; scale?: number };

const OPTIONAL: ReadonlyArray<[SectionKind, GapId, keyof HandoffWeights]> = [
  ['context', 'missing-context', 'missingContext'],
  ['lessons', 'missing-lessons', 'missingLessons'],
  ['scope', 'missing-scope', 'missingScope'],
  ['decisions', 'missing-decisions', 'missingDecisions'],
];
const REQUIRED_META: readonly MetaKey[] = ['title', 'from', 'to', 'created'];

function name(kind: SectionKind): string {
  return CANONICAL_HEADINGS.en[kind];
}

function checkPrompt(doc: HandoffDocument, config: HandoffConfig, gaps: Draft[]): void {
  const section = sectionOf(doc, 'prompt');
  const base = { id: 'missing-prompt', severity: 'error', weight: 'missingPrompt' } as const;
  if (!section) {
    gaps.push({ ...base, message: 'no Startup prompt section', fix: addSectionFix(doc, 'prompt') });
    return;
  }
  if (!doc.prompt?.text) {
    gaps.push(
      section.onlyPlaceholders
        ? { ...base, message: 'the startup prompt is still a TODO placeholder', line: section.line }
        : { ...base, message: 'the Startup prompt section is empty', line: section.line, fix: fillSectionFix(doc, section, 'prompt') },
    );
    return;
  }
  const length = doc.prompt.text.length;
  if (length < config.minPromptChars) {
    gaps.push({
      id: 'short-prompt',
      severity: 'warning',
      weight: 'shortPrompt',
      message: `the startup prompt is very short (${length} characters; aim for at least ${config.minPromptChars})`,
      line: section.line,
    });
  }
  if (doc.prompt.review) {
    const who = doc.prompt.review.note ? ` (${doc.prompt.review.note})` : '';
    gaps.push({
      id: 'unreviewed-prompt',
      severity: 'warning',
      weight: 'unreviewedPrompt',
      message: `the startup prompt is marked for review${who}: read it, then delete the review comment`,
      line: doc.prompt.review.line,
    });
  }
}

async function checkFiles(doc: HandoffDocument, opts: ValidateOptions, config: HandoffConfig, gaps: Draft[]): Promise<FileCheck[]> {
  const root = opts.root.replace(/\/+$/, '');
  const entries = doc.files.filter((f) => !f.placeholder);
  const firstLine = new Map<string, number>();
  for (const f of entries) if (!f.problem && !firstLine.has(f.path)) firstLine.set(f.path, f.line);
  const unique = [...firstLine.keys()];
  const stats = new Map(
    await Promise.all(unique.map(async (p) => [p, await opts.fs.stat(`${root}/${p}`).catch(() => undefined)] as const)),
  );

  // Only files that exist count toward the minimum, so removing a missing file (a quick fix) never costs points.
  const existing = unique.filter((p) => stats.get(p)).length;
  const section = sectionOf(doc, 'files');
  const min = config.minFiles;
  if (!section) {
    gaps.push({
      id: 'too-few-files',
      severity: 'error',
      weight: 'tooFewFiles',
      message: `no Files section (at least ${min} files required)`,
      fix: addSectionFix(doc, 'files'),
    });
  } else if (existing < min) {
    gaps.push({
      id: 'too-few-files',
      severity: 'error',
      weight: 'tooFewFiles',
      scale: (min - existing) / min,
      message: `${existing} existing file${existing === 1 ? '' : 's'} listed; at least ${min} required`,
      line: section.line,
      ...(section.text ? {} : { fix: fillSectionFix(doc, section, 'files') }),
    });
  }

  const checks: FileCheck[] = [];
  for (const f of entries) {
    const remove: HandoffFix = { kind: 'remove-file', line: f.line, endLine: f.endLine, path: f.path };
    const note = f.note ? { note: f.note } : {};
    if (f.problem) {
      const why = { absolute: 'is an absolute path', 'outside-workspace': 'points outside the workspace', url: 'is a URL' }[f.problem];
      gaps.push({
        id: 'invalid-file-path',
        severity: 'error',
        weight: 'missingFile',
        message: `${f.path} ${why}; list workspace-relative paths`,
        line: f.line,
        fix: remove,
      });
      checks.push({ path: f.path, line: f.line, ...note, exists: false, problem: f.problem, duplicate: false });
      continue;
    }
    const stat = stats.get(f.path);
    const first = firstLine.get(f.path)!;
    const duplicate = first !== f.line;
    checks.push({ path: f.path, line: f.line, ...note, exists: !!stat, ...(stat ? { kind: stat.kind } : {}), duplicate });
    if (duplicate) {
      gaps.push({
        id: 'duplicate-file',
        severity: 'warning',
        weight: 'duplicateFile',
        message: `${f.path} is listed twice (first on line ${first})`,
        line: f.line,
        fix: remove,
      });
    } else if (!stat) {
      gaps.push({
        id: 'missing-file',
        severity: 'error',
        weight: 'missingFile',
        message: `listed file does not exist: ${f.path}`,
        line: f.line,
        fix: remove,
      });
    }
  }
  return checks;
}

function checkQuestions(doc: HandoffDocument, config: HandoffConfig, gaps: Draft[]): void {
  const section = sectionOf(doc, 'questions');
  const questions = doc.questions.filter((q) => !q.placeholder && q.question);
  const min = config.minQuestions;
  if (!section) {
    if (min > 0) {
      gaps.push({
        id: 'too-few-questions',
        severity: 'error',
        weight: 'tooFewQuestions',
        message: `no Control questions section (at least ${min} questions required)`,
        fix: addSectionFix(doc, 'questions'),
      });
    }
  } else if (questions.length < min) {
    gaps.push({
      id: 'too-few-questions',
      severity: 'error',
      weight: 'tooFewQuestions',
      scale: (min - questions.length) / min,
      message: `${questions.length} control question${questions.length === 1 ? '' : 's'}; at least ${min} required`,
      line: section.line,
      ...(section.text ? {} : { fix: fillSectionFix(doc, section, 'questions') }),
    });
  }
  questions.forEach((q, i) => {
    if (q.answer) return;
    gaps.push({
      id: 'unanswered-question',
      severity: 'warning',
      weight: 'unansweredQuestion',
      message: `control question ${i + 1} has no expected answer (write "question — expected answer")`,
      line: q.line,
    });
  });
}

function checkOptionalSections(doc: HandoffDocument, gaps: Draft[]): void {
  for (const [kind, id, weight] of OPTIONAL) {
    const section = sectionOf(doc, kind);
    if (!section) {
      gaps.push({ id, severity: 'warning', weight, message: `no ${name(kind)} section`, fix: addSectionFix(doc, kind) });
    } else if (!section.text) {
      gaps.push({
        id,
        severity: 'warning',
        weight,
        message: `the ${name(kind)} section is empty`,
        line: section.line,
        fix: fillSectionFix(doc, section, kind),
      });
    }
  }
  for (const s of doc.sections) {
    if (s.kind === undefined || s.kind === 'openQuestions' || s.placeholderLine === undefined) continue;
    // A required section holding nothing but a template already has its error; charging again would make
    // inserting the template lower the score.
    if (s.onlyPlaceholders && (s.kind === 'prompt' || s.kind === 'files' || s.kind === 'questions')) continue;
    gaps.push({
      id: 'placeholder',
      severity: 'warning',
      weight: 'placeholder',
      message: `${s.heading} still has a TODO placeholder`,
      line: s.placeholderLine,
    });
  }
  const missing = REQUIRED_META.filter((k) => !doc.meta[k]);
  if (missing.length) {
    gaps.push({
      id: 'missing-metadata',
      severity: 'warning',
      weight: 'missingMetadata',
      scale: missing.length,
      message: `front matter lacks ${missing.join(', ')}`,
      line: 1,
    });
  }
}

/** Charges each gap its weight, stopping at the rule's cap, and orders errors first, then by line. */
function price(drafts: Draft[], config: HandoffConfig): HandoffGap[] {
  const spent = new Map<string, number>();
  const gaps = drafts.map(({ weight, scale, ...gap }) => {
    const raw = config.weights[weight] * (scale ?? 1);
    const cap = (config.caps as Partial<HandoffCaps>)[weight as keyof HandoffCaps] ?? Infinity;
    const used = spent.get(weight) ?? 0;
    const cost = Math.max(0, Math.min(Math.ceil(raw), cap - used));
    spent.set(weight, used + cost);
    return { ...gap, cost };
  });
  const rank = (g: HandoffGap): number => (g.severity === 'error' ? 0 : 1);
  return gaps
    .map((g, i) => [g, i] as const)
    .sort(([a, i], [b, j]) => rank(a) - rank(b) || (a.line ?? Infinity) - (b.line ?? Infinity) || i - j)
    .map(([g]) => g);
}

/** Scores a parsed package. Listed files are checked through `opts.fs` relative to `opts.root`. */
export async function validateHandoff(doc: HandoffDocument, opts: ValidateOptions): Promise<HandoffReport> {
  const config = resolveHandoffConfig(opts.config ?? {});
  const drafts: Draft[] = [];
  checkPrompt(doc, config, drafts);
  const files = await checkFiles(doc, opts, config, drafts);
  checkQuestions(doc, config, drafts);
  checkOptionalSections(doc, drafts);
  const gaps = price(drafts, config);
  const score = Math.max(0, Math.min(100, Math.round(100 - gaps.reduce((s, g) => s + g.cost, 0))));
  const passed = !gaps.some((g) => g.severity === 'error') && score >= config.minScore;
  return { score, passed, minScore: config.minScore, gaps, files, document: doc };
}

/** Parses and scores HANDOFF.md text; throws HandoffReadError when the text is not a handoff at all. */
export async function validateHandoffText(text: string, opts: ValidateOptions): Promise<HandoffReport> {
  return validateHandoff(parseHandoff(text), opts);
}

/** The report as the CLI's `--json` and the MCP tool return it: everything but the parse tree. */
export function handoffReportJson(report: HandoffReport, file?: string): Omit<HandoffReport, 'document'> & { file?: string } {
  const { score, passed, minScore, gaps, files } = report;
  return { ...(file !== undefined ? { file } : {}), score, passed, minScore, gaps, files };
}
