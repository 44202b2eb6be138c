import { parseHandoff } from '../handoff/parse';
import { isDiffLine, parseDiffLines } from './diffLines';
import type { LibrarianStepOutput } from './librarianStep';
import { callRole } from './roleCall';
import { ReviewVerdictSchema, type ReviewVerdict } from './schemas';
import { capText, type AgentDeps, type StepInput, type StepOutcome } from './stepContext';

export type ReviewerStepOutput = ReviewVerdict & { round: number; questions: number };

/**
 * Reviewer: the package and the diff only (a compact package, not the transcript). The verdict must answer every
 * control question and tie every finding to a line the diff shows; a verdict that does not goes back once.
 */
export async function runReviewerStep(deps: AgentDeps, input: StepInput): Promise<StepOutcome> {
  const wt = input.worktree.path;
  const head = await deps.git.head(wt);
  const lib = input.previous.librarian as LibrarianStepOutput | undefined;
  if (!lib) return { status: 'failed', reason: 'no handoff package to review', head, usage: { tokensIn: 0, tokensOut: 0, costUsd: 0, ms: 0, calls: 0 } };
  const pkg = await deps.fs.readText(`${wt}/${lib.package}`);
  const questions = parseHandoff(pkg).questions.filter((q) => !q.placeholder && q.question);
  const diff = await deps.git.diff(wt, input.worktree.base, head);
  const lines = parseDiffLines(diff);
  const prompt = [
    `Task: ${input.task}`,
    `Branch ${input.worktree.branch}, review round ${input.round} of at most ${deps.maxReviewRounds}.`,
    `Handoff package (${lib.package}, score ${lib.score}):\n${capText(pkg, 20_000, 'package')}`,
    `Control questions to answer (${questions.length}):\n${questions.map((q, i) => `${i + 1}. ${q.question}`).join('\n')}`,
    `Diff:\n${capText(diff, 40_000, 'diff')}`,
  ].join('\n\n');
  const check = (v: ReviewVerdict): string[] => {
    const errors: string[] = [];
    if (v.answers.length < questions.length) errors.push(`answers: ${v.answers.length} given, the package has ${questions.length} control questions; answer each`);
    v.findings.forEach((f, i) => {
      if (!isDiffLine(lines, f.path, f.line)) errors.push(`findings.${i}: ${f.path}:${f.line} is not a line of the diff (point at a line it adds or shows)`);
    });
    if (v.verdict === 'request_changes' && !v.findings.length) errors.push('request_changes needs at least one finding saying what to change');
    return errors;
  };
  const r = await callRole(
    deps.router,
    { role: deps.roles.reviewer.role, prompt, schema: ReviewVerdictSchema, check, files: [...lines.keys()] },
    { signal: input.signal, onEvent: (e) => deps.onRouterEvent?.(input.worktree.slug, 'reviewer', e) },
  );
  if (!r.ok) return { status: r.reason === 'cancelled' ? 'stopped' : 'failed', reason: r.reason, head, usage: r.usage };
  const output: ReviewerStepOutput = { ...r.value, round: input.round, questions: questions.length };
  return { status: 'done', output, head, usage: r.usage };
}
