import { draftHandoff } from '../handoff/draft';
import { HANDOFF_FILE } from '../handoff/read';
import { validateHandoffText, type HandoffReport } from '../handoff/validate';
import { LessonStore } from '../lessons/store';
import type { TaskResult } from '../router/runTask';
import { recordDecision } from '../sessions/decisionLog';
import { worktreeFiles } from './coderStep';
import { callRole, type RoleCallResult, type StepUsage, zeroUsage } from './roleCall';
import { LibrarianOutputSchema, type CoderOutput, type LibrarianOutput } from './schemas';
import { capText, type AgentDeps, type StepInput, type StepOutcome } from './stepContext';

export interface LibrarianStepOutput {
  /** Worktree-relative HANDOFF.md. */
  package: string;
  score: number;
  passed: boolean;
  minScore: number;
  gaps: Array<{ id: string; severity: string; message: string }>;
  lessons: number;
  decisions: number;
  attempts: number;
}

export function packageDir(deps: AgentDeps, run: string, slug: string): string {
  return `${deps.handoff.directory.replace(/\\/g, '/').replace(/^\.\/+|\/+$/g, '')}/agents-${run}-${slug}`;
}

const gapList = (r: HandoffReport) => r.gaps.map((g) => ({ id: g.id, severity: g.severity, message: g.message }));

/**
 * Librarian: a handoff package in the existing format, from the diff, the check output, the branch's step log and
 * the coder's notes, validated before the reviewer may start. Below the minimum it goes back once with its gaps;
 * still below, the branch stops showing them. A passing package is committed with the lessons and decisions it
 * recorded, so all of it travels with the branch.
 */
export async function runLibrarianStep(deps: AgentDeps, input: StepInput, log: string[]): Promise<StepOutcome> {
  const wt = input.worktree.path;
  const head = await deps.git.head(wt);
  const coder = input.previous.coder as CoderOutput | undefined;
  const diff = await deps.git.diff(wt, input.worktree.base, head);
  const relPkg = `${packageDir(deps, input.run, input.worktree.slug)}/${HANDOFF_FILE}`;
  const prompt = [
    `Task: ${input.task}`,
    `Branch: ${input.worktree.branch} (round ${input.round}); package will be written to ${relPkg}.`,
    `Coder summary: ${coder?.summary ?? '(none)'}`,
    coder?.openQuestions.length ? `Coder's open questions:\n${coder.openQuestions.map((q) => `- ${q}`).join('\n')}` : '',
    `Files changed: ${(coder?.filesChanged ?? []).join(', ') || '(none)'}`,
    `Check: ${coder ? `${coder.check.command || '(none)'} → ${coder.check.status}\n${capText(coder.check.output, 3000, 'check output')}` : '(not run)'}`,
    `Step log:\n${log.join('\n')}`,
    `Files in the worktree:\n${(await worktreeFiles(deps, wt)).join('\n')}`,
    `Diff (${input.worktree.base.slice(0, 8)}..${head.slice(0, 8)}):\n${capText(diff, 30_000, 'diff')}`,
  ]
    .filter(Boolean)
    .join('\n\n');
  const usage: StepUsage = zeroUsage();
  const merge = (r: RoleCallResult<unknown>) => {
    for (const k of ['tokensIn', 'tokensOut', 'ms', 'calls'] as const) usage[k] += r.usage[k];
    usage.costUsd = Math.round((usage.costUsd + r.usage.costUsd) * 1e6) / 1e6;
  };
  const config = deps.handoff;
  let attempts = 0;
  let history: TaskResult['conversation']['turns'] | undefined;
  let ask = prompt;
  for (let pass = 1; pass <= 2; pass++) {
    const r = await callRole(
      deps.router,
      { role: deps.roles.librarian.role, prompt: ask, schema: LibrarianOutputSchema, ...(history ? { history } : {}) },
      { signal: input.signal, onEvent: (e) => deps.onRouterEvent?.(input.worktree.slug, 'librarian', e) },
    );
    merge(r);
    attempts += r.attempts;
    if (!r.ok) return { status: r.reason === 'cancelled' ? 'stopped' : 'failed', reason: r.reason, head, usage };
    const text = render(deps, input, r.value);
    const report = await validateHandoffText(text, { fs: deps.fs, root: wt, config });
    if (report.passed) return finish(deps, input, r.value, text, report, relPkg, usage, attempts);
    if (pass === 2) {
      const gaps = gapList(report);
      const output: LibrarianStepOutput = { package: relPkg, score: report.score, passed: false, minScore: report.minScore, gaps, lessons: 0, decisions: 0, attempts };
      await deps.sink?.append({ type: 'handoff', payload: { path: relPkg, score: report.score, passed: false, gaps: gaps.length, action: 'validate' } }).catch(() => undefined);
      return {
        status: 'stopped',
        output,
        head,
        usage,
        reason: capText(`handoff package scored ${report.score} (minimum ${report.minScore}) after one correction; gaps: ${gaps.map((g) => g.message).join('; ')}`, 800, 'gaps'),
      };
    }
    history = r.last.conversation.turns;
    ask =
      `The package scored ${report.score}; the minimum is ${report.minScore} with no error-level gap. Gaps:\n` +
      `${report.gaps.map((g) => `- [${g.severity}] ${g.message}`).join('\n')}\n\nReply with the complete corrected JSON in one fenced json block.`;
  }
  /* c8 ignore next */
  return { status: 'failed', reason: 'unreachable', head, usage };
}

function render(deps: AgentDeps, input: StepInput, v: LibrarianOutput): string {
  return draftHandoff({
    title: v.title,
    from: 'llmgenie coder',
    to: 'llmgenie reviewer',
    created: deps.clock.now(),
    branch: input.worktree.branch,
    session: `.llmgenie/agents/runs/${input.run}/journal.jsonl`,
    files: v.files.map((f) => ({ path: f.path, ...(f.note ? { note: f.note } : {}) })),
    decisions: v.decisions,
    lessons: v.lessons,
    openQuestions: v.openQuestions,
    questions: v.questions,
    context: v.context,
    scope: v.scope,
    prompt: { text: v.prompt, model: 'llmgenie librarian' },
    minQuestions: deps.handoff.minQuestions,
  });
}

async function finish(
  deps: AgentDeps,
  input: StepInput,
  v: LibrarianOutput,
  text: string,
  report: HandoffReport,
  relPkg: string,
  usage: StepUsage,
  attempts: number,
): Promise<StepOutcome> {
  const wt = input.worktree.path;
  await deps.fs.writeText(`${wt}/${relPkg}`, text);
  // Lessons and decisions go into the branch (its lessons folder and decision log), reviewed with the change.
  const lessons = new LessonStore({ fs: deps.fs, root: wt, clock: deps.clock, ...(deps.sink ? { sink: deps.sink } : {}) });
  await lessons.load();
  let savedLessons = 0;
  for (const l of v.lessons) {
    if (lessons.list().some((x) => x.title.toLowerCase() === l.title.toLowerCase())) continue;
    await lessons.add({ title: l.title, body: l.summary, tags: ['agents'], source: `llmgenie agents run ${input.run}` });
    savedLessons++;
  }
  for (const d of v.decisions) {
    await recordDecision(deps.fs, deps.clock, { root: wt, ...(deps.sink ? { sink: deps.sink } : {}) }, { title: d.title, context: `Agents run ${input.run}, branch ${input.worktree.branch}: ${input.task}`, decision: d.decision });
  }
  await deps.sink?.append({ type: 'handoff', payload: { path: relPkg, score: report.score, passed: true, gaps: report.gaps.length, action: 'create' } }).catch(() => undefined);
  const { head } = await deps.git.commitAll(wt, `Handoff package for ${input.worktree.slug} (round ${input.round})\n\nScore ${report.score}/${report.minScore}; written by the llmgenie librarian, run ${input.run}.`);
  const output: LibrarianStepOutput = { package: relPkg, score: report.score, passed: true, minScore: report.minScore, gaps: gapList(report), lessons: savedLessons, decisions: v.decisions.length, attempts };
  return { status: 'done', output, head, usage };
}
