import { parseHandoff } from '../handoff/parse';
import { isDiffLine, parseDiffLines } from './diffLines';
import type { LibrarianStepOutput } from './librarianStep';
import type { CoderOutput } from './schemas';
import { callRole } from './roleCall';
import { ReviewVerdictSchema, type ReviewVerdict } from './schemas';
import { capText, type AgentDeps, type StepInput, type StepOutcome } from './stepContext';

export type ReviewerStepOutput = ReviewVerdict & {
  round: number;
  questions: number;
  /** Set when the coder's check did not pass: the verdict is request_changes whatever the reviewer said. */
  gate?: { command: string; status: 'failed' | 'timeout'; reviewerVerdict: ReviewVerdict['verdict'] };
};

/**
 * The machine gate: a failed (or timed-out) check command can never be approved, whatever the model says. The
 * check output becomes an error finding on a changed file (a test first), so the coder gets it back next round
 * and a person can open it; the branch ends "changes requested" when the rounds run out.
 */
export function gateOnCheck(verdict: ReviewVerdict, coder: CoderOutput | undefined): Pick<ReviewerStepOutput, 'verdict' | 'summary' | 'findings' | 'gate'> {
  const check = coder?.check;
  if (!check || (check.status !== 'failed' && check.status !== 'timeout')) return { verdict: verdict.verdict, summary: verdict.summary, findings: verdict.findings };
  const files = coder.filesChanged;
  const path = files.find((f) => /(^|\/)(test|tests|__tests__)\/|\.(test|spec)\.[cm]?[jt]sx?$/.test(f)) ?? files[0] ?? 'package.json';
  const how = check.status === 'timeout' ? 'timed out' : `failed${check.exitCode !== null ? ` (exit ${check.exitCode})` : ''}`;
  const finding = {
    path,
    line: 1,
    severity: 'error' as const,
    message: capText(`The check command \`${check.command}\` ${how}, so this step cannot be approved. Its output:\n${check.output.trim() || '(no output)'}`, 1900, 'check output'),
    suggestion: `Make \`${check.command}\` pass: fix the code or the tests it reports, then run the check again.`,
  };
  return {
    verdict: 'request_changes',
    summary: capText(`The check command \`${check.command}\` ${how}; a failing check is never approved. Reviewer: ${verdict.verdict.replace('_', ' ')}: ${verdict.summary}`, 3900, 'summary'),
    findings: [finding, ...verdict.findings].slice(0, 100),
    gate: { command: check.command, status: check.status, reviewerVerdict: verdict.verdict },
  };
}

/**
 * Reviewer: the package and the diff only (a compact package, not the transcript). The verdict must answer every
 * control question and tie every finding to a line the diff shows; a verdict that does not goes back once.
 */
export async function runReviewerStep(deps: AgentDeps, input: StepInput): Promise<StepOutcome> {
  const wt = input.worktree.path;
  const head = await deps.git.head(wt);
  const lib = input.previous.librarian as LibrarianStepOutput | undefined;
  const coder = input.previous.coder as CoderOutput | undefined;
  if (!lib) return { status: 'failed', reason: 'no handoff package to review', head, usage: { tokensIn: 0, tokensOut: 0, costUsd: 0, ms: 0, calls: 0 } };
  const pkg = await deps.fs.readText(`${wt}/${lib.package}`);
  const questions = parseHandoff(pkg).questions.filter((q) => !q.placeholder && q.question);
  const diff = await deps.git.diff(wt, input.worktree.base, head);
  const lines = parseDiffLines(diff);
  const prompt = [
    `Task: ${input.task}`,
    `Branch ${input.worktree.branch}, review round ${input.round} of at most ${deps.maxReviewRounds}.`,
    `Handoff package (${lib.package}, score ${lib.score}):\n${capText(pkg, 20_000, 'package')}`,
    `Check command: ${coder ? `${coder.check.command || '(none)'} → ${coder.check.status}` : '(not run)'}.`,
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
  const output: ReviewerStepOutput = { ...r.value, ...gateOnCheck(r.value, coder), round: input.round, questions: questions.length };
  return { status: 'done', output, head, usage: r.usage };
}
