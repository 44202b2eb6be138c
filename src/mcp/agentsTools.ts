// `agents_run` and `agents_status`: another agent starts an agent run in this workspace and follows it. The runs
// are the same as the CLI's and the editor's (core/agents/runLauncher): one branch per task, nothing merged.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { RunIdSchema } from '../core/agents/bus/bus';
import { APPROVALS_FILE, fileCommandApprovals } from '../core/agents/checkCommand';
import { slugFor } from '../core/agents/layout';
import { RunError } from '../core/agents/orchestrator';
import { checkApproval, launchRun, MAX_TASK_CHARS, MAX_TASKS, type RunHandle } from '../core/agents/runLauncher';
import { listRuns, readRunStatus, RunListSchema, RunNotFoundError, RunStatusSchema } from '../core/agents/runStatus';
import { readWorkspaceAgentSettings } from '../core/agents/setup';
import { assertPlainName } from './paths';
import { userStateDir } from './token';
import { ToolError, registerTool } from './toolResult';
import type { McpWorkspace } from './workspace';

const checkShape = z.object({
  state: z.enum(['none', 'accepted', 'untrusted', 'needs-acceptance']),
  command: z.string().optional(),
  note: z.string().describe('What it means for this run'),
});

/** Runs started by this server process, by workspace: they go on after the call that started them returns. */
const running = new WeakMap<McpWorkspace, Map<string, RunHandle>>();

function runId(run: string): string {
  assertPlainName(run, 'run');
  if (!RunIdSchema.safeParse(run).success) throw new ToolError(`"${run}" is not a run id (like 20261202-101500-k3f9; see agents_status)`);
  return run;
}

async function statusOf(ws: McpWorkspace, run: string) {
  try {
    return await readRunStatus(ws.fs, ws.root, run);
  } catch (e) {
    if (e instanceof RunNotFoundError) throw new ToolError(e.message.replace(' (see "llmgenie agents status")', ' (agents_status lists the runs)'));
    throw e;
  }
}

export function registerAgents(server: McpServer, ws: McpWorkspace): void {
  registerTool(
    server,
    ws,
    'agents_run',
    {
      title: 'Run agents on tasks',
      description:
        'Starts an agent run in this workspace (a git repository): one branch per task (llmgenie/<run>/<slug>, each in ' +
        'its own worktree), coder → policy → librarian → reviewer with a scored handoff package between steps. Nothing ' +
        'is merged. Returns at once with the run id (follow it with agents_status) unless `wait` is true. The ' +
        "workspace's check command runs only if a person accepted it before (llmgenie agents run, or the editor); " +
        'otherwise the coder commits unchecked. `dryRun` only says what would happen.',
      inputSchema: {
        tasks: z.array(z.string().trim().min(1).max(MAX_TASK_CHARS)).min(1).max(MAX_TASKS).describe('One branch per task'),
        parallel: z.number().int().min(1).max(16).optional().describe('Steps at the same time (default: the workspace setting, 2)'),
        minScore: z.number().min(0).max(100).optional().describe('Minimum handoff package score (default: the workspace setting, 80)'),
        wait: z.boolean().optional().describe('Return only when the run has ended'),
        dryRun: z.boolean().optional().describe('Start nothing; report the branches and whether the check command would run'),
      },
      outputSchema: {
        run: z.string().describe('The run id; empty for a dry run'),
        started: z.boolean(),
        checkCommand: checkShape,
        branches: z.array(z.object({ slug: z.string(), task: z.string() })).describe('One per task, in order'),
        status: RunStatusSchema.optional().describe('The run now (the final state with wait)'),
      },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    },
    async ({ tasks, parallel, minScore, wait, dryRun }, signal) => {
      const settings = await readWorkspaceAgentSettings(ws.fs, ws.root);
      const approvals = fileCommandApprovals(ws.fs, `${userStateDir(ws.env).replace(/\\/g, '/')}/${APPROVALS_FILE}`);
      const approval = await checkApproval(approvals, ws.root, settings, true);
      const note =
        approval.state === 'accepted' ? `"${approval.command}" runs after each coder step`
        : approval.state === 'none' ? approval.why
        : `"${approval.command}" has not been accepted for this workspace by a person: the coder commits unchecked (accept it once with "llmgenie agents run --yes" or in the editor)`;
      const checkCommand = { state: approval.state, ...('command' in approval ? { command: approval.command } : {}), note };
      const taken = new Set<string>();
      const branches = tasks.map((task) => {
        const slug = slugFor(task, taken);
        taken.add(slug);
        return { slug, task };
      });
      if (dryRun) return { result: { run: '', started: false, checkCommand, branches } };
      const deps = ws.router();
      let handle: RunHandle;
      try {
        handle = launchRun({
          root: ws.root,
          tasks,
          router: { ...(deps.local ? { local: deps.local } : {}), ...(deps.cloud ? { cloud: deps.cloud } : {}), ...(deps.settings ? { settings: deps.settings } : {}), sink: ws.sink },
          approvals,
          trusted: true,
          settings,
          ...(parallel !== undefined ? { parallel } : {}),
          ...(minScore !== undefined ? { minScore } : {}),
        });
      } catch (e) {
        if (e instanceof RunError) throw new ToolError(e.message);
        throw e;
      }
      const mine = running.get(ws) ?? new Map<string, RunHandle>();
      running.set(ws, mine);
      mine.set(handle.run, handle);
      void handle.done.finally(() => mine.delete(handle.run)).catch(() => undefined);
      const failed = (e: unknown): never => {
        throw e instanceof RunError ? new ToolError(e.message) : e;
      };
      if (wait) {
        const stop = () => handle.cancel();
        signal.addEventListener('abort', stop, { once: true });
        try {
          await handle.done.catch(failed);
        } finally {
          signal.removeEventListener('abort', stop);
        }
      } else {
        // Back once the run exists on disk (its branches recorded), so agents_status can follow it.
        await Promise.race([handle.done.catch(failed), new Promise<void>((r) => handle.onProgress(() => r()))]);
      }
      return { result: { run: handle.run, started: true, checkCommand, branches, status: await statusOf(ws, handle.run) } };
    },
  );

  registerTool(
    server,
    ws,
    'agents_status',
    {
      title: 'Agent runs and their branches',
      description:
        "Without `run`: this workspace's agent runs, newest first. With `run`: per branch its state, steps, review " +
        'verdict, handoff package score, tokens, cost and time. A run whose process is gone is `interrupted` ' +
        '(`llmgenie agents resume RUN` continues it).',
      inputSchema: { run: z.string().min(1).max(64).optional().describe('A run id from agents_run or the list') },
      outputSchema: { runs: RunListSchema.shape.runs, status: RunStatusSchema.optional() },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ run }) => {
      if (run === undefined) return { result: { runs: (await listRuns(ws.fs, ws.root)).runs } };
      const status = await statusOf(ws, runId(run));
      const approved = status.branches.filter((b) => b.verdict === 'approve').length;
      const entry = { run: status.run, status: status.status, engine: status.engine, started: status.started, updated: status.updated, tokens: status.tokens, costUsd: status.costUsd, branches: status.branches.length, approved };
      return { result: { runs: [entry], status } };
    },
  );
}
