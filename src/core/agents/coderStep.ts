import { loadPolicyConfig } from '../policy/loadPolicyConfig';
import { createPolicyEngine } from '../policy/engine';
import { walkFiles, DEFAULT_SKIP_DIRS } from '../platform/fileSystem';
import { checkRunner, skippedCheck } from './checkCommand';
import { coderTools } from './coderTools';
import { parseDiffLines } from './diffLines';
import { callRole, zeroUsage } from './roleCall';
import { CoderModelOutputSchema, type CheckResult, type CoderOutput, type ReviewVerdict } from './schemas';
import { capText, type AgentDeps, type StepInput, type StepOutcome } from './stepContext';

/** The worktree's files (at most 200), for the prompts. */
export async function worktreeFiles(deps: AgentDeps, root: string): Promise<string[]> {
  const out: string[] = [];
  for await (const f of walkFiles(deps.fs, root, () => true, new Set([...DEFAULT_SKIP_DIRS, '.llmgenie']))) {
    out.push(f.slice(root.length + 1));
    if (out.length >= 200) break;
  }
  return out.sort();
}

function findingsText(verdict: ReviewVerdict | undefined): string {
  if (!verdict?.findings.length) return '';
  const lines = verdict.findings.map((f, i) => `${i + 1}. ${f.path}:${f.line} [${f.severity}] ${f.message}${f.suggestion ? ` (suggestion: ${f.suggestion})` : ''}`);
  return `\n\nThe reviewer requested changes:\n${verdict.summary}\n${lines.join('\n')}\nAddress every finding.`;
}

/** Coder: edits the worktree through its tools, then the pipeline runs the check and commits on the branch. */
export async function runCoderStep(deps: AgentDeps, input: StepInput): Promise<StepOutcome> {
  const wt = input.worktree.path;
  const bound = deps.check.runnable && deps.check.command ? checkRunner(deps.runProcess, { ...deps.check, command: deps.check.command }, wt) : undefined;
  // The model's own last check counts when nothing was written after it; otherwise the pipeline runs it again.
  let lastCheck: CheckResult | undefined;
  const check = bound && (async (signal?: AbortSignal) => (lastCheck = await bound(signal)));
  const tools = coderTools({
    fs: deps.fs,
    root: wt,
    realpath: deps.realpath,
    applyPatch: (file) => deps.git.applyPatch(wt, file),
    scratchDir: deps.scratchDir,
    ...(check ? { runCheck: check } : {}),
    onWrite: () => (lastCheck = undefined),
  });
  const files = await worktreeFiles(deps, wt);
  const prompt =
    `Task: ${input.task}\n\nYou are on branch ${input.worktree.branch}, round ${input.round}. Files in the worktree:\n${files.join('\n') || '(none)'}` +
    `\n\nCheck command: ${check ? deps.check.command : `none runnable (${deps.check.why ?? 'not configured'})`}.` +
    findingsText(input.previous.reviewer as ReviewVerdict | undefined);
  const r = await callRole(
    deps.router,
    { role: deps.roles.coder.role, prompt, schema: CoderModelOutputSchema, tools },
    { signal: input.signal, onEvent: (e) => deps.onRouterEvent?.(input.worktree.slug, 'coder', e) },
  );
  if (!r.ok) {
    // An unfinished step leaves nothing behind: the worktree goes back to the branch's last recorded commit.
    await deps.git.discardChanges(wt).catch(() => undefined);
    return { status: r.reason === 'cancelled' ? 'stopped' : 'failed', reason: r.reason, head: input.roundBase, usage: r.usage };
  }
  const result = check ? (lastCheck ?? (await check(input.signal))) : skippedCheck(deps.check.command, deps.check.why ?? 'no check command configured');
  if (input.signal.aborted) {
    await deps.git.discardChanges(wt).catch(() => undefined);
    return { status: 'stopped', reason: 'cancelled', head: input.roundBase, usage: r.usage };
  }
  const subject = r.value.commitMessage.trim();
  const { head, committed } = await deps.git.commitAll(wt, `${subject}\n\nllmgenie agents run ${input.run}, coder round ${input.round}.`);
  if (!committed) return { status: 'failed', reason: 'the coder changed no file', head, usage: r.usage, output: undefined };
  const output: CoderOutput = { ...r.value, filesChanged: await deps.git.changedFiles(wt, input.roundBase, head), check: result, commit: head };
  return { status: 'done', output, head, usage: r.usage };
}

export interface PolicyStepOutput {
  findings: Array<{ file: string; line: number; severity: string; ruleId: string; message: string }>;
  errors: number;
}

/** The policy engine on the lines the coder added; an error-level finding (a secret) stops the branch before review. */
export async function runPolicyStep(deps: AgentDeps, input: StepInput): Promise<StepOutcome> {
  const wt = input.worktree.path;
  const head = await deps.git.head(wt);
  const diff = await deps.git.diff(wt, input.roundBase, head);
  const loaded = await loadPolicyConfig(deps.fs, wt, { baselineOptional: true, disabledPacks: ['branch'] });
  const engine = createPolicyEngine(loaded.config);
  const findings: PolicyStepOutput['findings'] = [];
  for (const [path, lines] of parseDiffLines(diff)) {
    if (!lines.added.size) continue;
    const text = await deps.fs.readText(`${wt}/${path}`).catch(() => undefined);
    if (text === undefined) continue;
    for (const f of engine.checkText(path, text)) {
      const line = f.range.startLine + 1;
      if (lines.added.has(line)) findings.push({ file: path, line, severity: f.severity, ruleId: f.ruleId, message: f.message });
    }
  }
  const errors = findings.filter((f) => f.severity === 'error');
  const bySeverity: Record<string, number> = {};
  const byRule: Record<string, number> = {};
  for (const f of findings) {
    bySeverity[f.severity] = (bySeverity[f.severity] ?? 0) + 1;
    byRule[f.ruleId] = (byRule[f.ruleId] ?? 0) + 1;
  }
  await deps.sink?.append({ type: 'policy', payload: { source: 'cli', files: parseDiffLines(diff).size, findings: findings.length, byRule, bySeverity } }).catch(() => undefined);
  const output: PolicyStepOutput = { findings, errors: errors.length };
  if (errors.length) {
    const first = errors.slice(0, 3).map((f) => `${f.file}:${f.line} ${f.message}`).join('; ');
    return { status: 'stopped', output, head, usage: zeroUsage(), reason: capText(`policy: ${errors.length} error-level finding(s) in the coder's diff, so it is not sent to review: ${first}`, 600, 'reason') };
  }
  return { status: 'done', output, head, usage: zeroUsage() };
}
