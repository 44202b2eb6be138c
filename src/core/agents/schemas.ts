import { z } from 'zod';
import { extractCodeBlocks } from '../router/codeBlocks';

/** What the coder model writes at the end of its tool loop. */
export const CoderModelOutputSchema = z.object({
  summary: z.string().min(1).max(4000),
  commitMessage: z.string().min(1).max(4000),
  openQuestions: z.array(z.string().max(1000)).max(50).default([]),
});
export type CoderModelOutput = z.infer<typeof CoderModelOutputSchema>;

export const CheckResultSchema = z.object({
  command: z.string(),
  /** 'skipped' when no check command is configured or it was not accepted. */
  status: z.enum(['passed', 'failed', 'timeout', 'skipped']),
  exitCode: z.number().int().nullable(),
  /** The last part of stdout + stderr, capped. */
  output: z.string(),
  ms: z.number().nonnegative(),
});
export type CheckResult = z.infer<typeof CheckResultSchema>;

/** The coder step's output: the model's words plus what git and the check command say (not what the model claims). */
export const CoderOutputSchema = CoderModelOutputSchema.extend({
  filesChanged: z.array(z.string()),
  check: CheckResultSchema,
  commit: z.string(),
});
export type CoderOutput = z.infer<typeof CoderOutputSchema>;

const text = (max: number) => z.string().trim().min(1).max(max);

export const LibrarianOutputSchema = z.object({
  title: text(200),
  prompt: text(4000),
  context: text(4000),
  scope: text(2000),
  files: z.array(z.object({ path: text(500), note: z.string().max(300).optional() })).min(1).max(100),
  questions: z.array(z.object({ question: text(500), answer: text(1000) })).min(1).max(20),
  decisions: z.array(z.object({ title: text(200), decision: text(1000) })).max(20).default([]),
  lessons: z.array(z.object({ title: text(200), summary: text(1000) })).max(20).default([]),
  openQuestions: z.array(z.string().max(500)).max(20).default([]),
});
export type LibrarianOutput = z.infer<typeof LibrarianOutputSchema>;

export const FindingSchema = z.object({
  path: text(500),
  line: z.number().int().positive(),
  severity: z.enum(['error', 'warning', 'info']),
  message: text(2000),
  suggestion: z.string().max(4000).optional(),
});
export type ReviewFinding = z.infer<typeof FindingSchema>;

export const ReviewVerdictSchema = z.object({
  verdict: z.enum(['approve', 'request_changes']),
  summary: text(4000),
  /** The package's control questions, answered from the diff. */
  answers: z.array(z.object({ question: text(500), answer: text(2000) })).default([]),
  findings: z.array(FindingSchema).max(100).default([]),
});
export type ReviewVerdict = z.infer<typeof ReviewVerdictSchema>;

export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: string[] };

/**
 * The JSON a role ended its answer with: the last fenced json block, else the last fenced block, else the whole
 * answer. Then the schema. Errors are phrased for the model, which gets them back once to correct itself.
 */
export function parseRoleOutput<S extends z.ZodType>(answer: string, schema: S): Parsed<z.infer<S>> {
  const blocks = extractCodeBlocks(answer);
  const candidate = (blocks.filter((b) => b.lang === 'json').at(-1) ?? blocks.at(-1))?.code ?? answer.trim();
  let raw: unknown;
  try {
    raw = JSON.parse(candidate);
  } catch (e) {
    return { ok: false, errors: [`the reply does not end with a valid JSON block (${(e as Error).message.split('\n')[0]})`] };
  }
  const r = schema.safeParse(raw);
  if (r.success) return { ok: true, value: r.data };
  return { ok: false, errors: r.error.issues.slice(0, 10).map((i) => `${i.path.length ? i.path.join('.') : 'the object'}: ${i.message}`) };
}
