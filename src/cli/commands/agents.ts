// `llmgenie agents run|status|resume|cancel|clean` (and `worker`/`team` from agentsWorker.ts): agent runs from the
// terminal, on the same core the editor and MCP use (core/agents/runLauncher, runStatus, runControl).
import { createInterface } from 'node:readline/promises';
import { hostname } from 'node:os';
import { BusError, type Bus } from '../../core/agents/bus/bus';
import { BusConfigError, maskSecretsInText, resolveBusChoice } from '../../core/agents/bus/redisConfig';
import { APPROVALS_FILE, fileCommandApprovals, type CommandApprovals } from '../../core/agents/checkCommand';
import { createAgentGit } from '../../core/agents/git';
import { RunError } from '../../core/agents/orchestrator';
import { cancelRun, cleanRuns, formatCleaned, RunBusyError } from '../../core/agents/runControl';
import { checkApproval, launchRun, resumeLaunch, type LaunchOptions, type RunHandle } from '../../core/agents/runLauncher';
import type { RunSummary } from '../../core/agents/runState';
import { formatRunList, formatRunStatus, listRuns, readRunStatus, RunNotFoundError, type RunStatus } from '../../core/agents/runStatus';
import { createAgentDeps, readWorkspaceAgentSettings, type AgentSettings } from '../../core/agents/setup';
import { syncTeamBranches, teamStepExecutor } from '../../core/agents/teamSteps';
import { WorktreeManifest } from '../../core/agents/worktrees';
import { systemClock } from '../../core/platform/clock';
import { nodeFileSystem, type FileSystem } from '../../core/platform/fileSystem';
import { nodeGitRunner, type GitRunner } from '../../core/platform/git';
import { nodeProcessRunner } from '../../core/platform/process';
import { createProviders, providerConfigFromEnv, routerSettingsFromEnv } from '../../core/router/setup';
import { nullSink, type SessionEventSink } from '../../core/sessions/sink';
import { userStateDir } from '../../mcp/token';
import { parseCliArgs } from '../args';
import { CliError, UsageError, type CliCommand, type CliIO } from '../command';
import { createAgentsWorkerCommands, openTeamBus } from './agentsWorker';

const RUN_USAGE = `llmgenie agents run "<task>" [--task "<task>"]... [--parallel N] [--min-score N] [--bus URL] [--yes] [--json]
  One branch per task (llmgenie/<run>/<slug>, each in its own worktree): coder → policy → librarian → reviewer,
  a handoff package scored between steps. Nothing is merged: you get branches with commits, a package and a verdict.
  --task TEXT      another task, on its own branch (repeatable)
  --parallel N     steps at the same time (default llmgenie.agents.parallel, 2)
  --min-score N    minimum handoff package score, 0-100 (default llmgenie.agents.minScore, 80)
  --bus URL        redis://host:6379: publish the steps to the team bus and follow the run (team workers run
                   them; see "llmgenie agents worker"); default llmgenie.agents.bus or embedded
  --remote NAME    the team's git remote with --bus (default origin)
  --yes            accept the workspace's check command (llmgenie.agents.checkCommand) without asking
  --json           print the final run status as JSON
  Environment: OLLAMA_HOST, ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL, as for "llmgenie ask".
  Exit codes: 0 every branch approved, 1 a branch was not (changes requested, stopped, failed, cancelled), 2 bad input.`;

const STATUS_USAGE = `llmgenie agents status [RUN] [--json]
  Without RUN: the workspace's runs, newest first. With RUN: per branch its state, steps, verdict, handoff score,
  tokens, cost and time. A run whose process is gone shows as interrupted ("llmgenie agents resume RUN").`;
const RESUME_USAGE = `llmgenie agents resume RUN [--parallel N] [--bus URL] [--yes] [--json]
  Continues an interrupted run from its journal: each worktree must be at the commit the journal recorded; steps
  already done are not redone.`;
const CANCEL_USAGE = `llmgenie agents cancel RUN
  Stops every step of a running run within a second (worktrees and journal stay consistent); an interrupted run
  is marked cancelled so it is not resumed.`;
const CLEAN_USAGE = `llmgenie agents clean [RUN] [--json]
  Removes the worktrees of RUN (or of every run not running) listed in its manifest, keeping any with uncommitted
  work; branches are kept.`;

export interface AgentsCommandDeps {
  fs?: FileSystem;
  git?: GitRunner;
  /** Where the model calls are logged (the workspace's session store). */
  sink?: (io: CliIO) => SessionEventSink;
  /** Asks a yes/no question on the terminal; undefined when there is no terminal to ask on. */
  confirm?: (io: CliIO, question: string) => Promise<boolean | undefined>;
}

/** The user's answer on a terminal; no terminal (a pipe, CI): undefined. */
async function terminalConfirm(_io: CliIO, question: string): Promise<boolean | undefined> {
  if (!process.stdin.isTTY || !process.stderr.isTTY) return undefined;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

export function cliApprovals(io: CliIO, fs: FileSystem = nodeFileSystem): CommandApprovals {
  return fileCommandApprovals(fs, `${userStateDir(io.env).replace(/\\/g, '/')}/${APPROVALS_FILE}`);
}

async function workspaceRoot(git: GitRunner, io: CliIO): Promise<string> {
  try {
    return (await git(['rev-parse', '--show-toplevel'], io.cwd)).trim().replace(/\\/g, '/');
  } catch {
    throw new CliError(`${io.cwd} is not inside a git repository: agents work on branches of one`);
  }
}

function intOption(raw: string | undefined, name: string, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) throw new UsageError(`${name} takes a whole number ${min}-${max}, got "${raw}"`);
  return Number(raw);
}

/** Core errors that mean "this input cannot be used" become one line and exit 2. */
async function oneLine<T>(what: () => Promise<T>): Promise<T> {
  try {
    return await what();
  } catch (e) {
    if (e instanceof RunError || e instanceof RunNotFoundError || e instanceof RunBusyError || e instanceof BusConfigError) throw new CliError(e.message);
    if (e instanceof BusError) throw new CliError(maskSecretsInText(e.message));
    throw e;
  }
}

const STEP_OPTIONS = { parallel: { type: 'string' }, bus: { type: 'string' }, remote: { type: 'string' }, workspace: { type: 'string' }, yes: { type: 'boolean' }, json: { type: 'boolean' }, 'min-score': { type: 'string' } } as const;
type StepValues = { parallel?: string; bus?: string; remote?: string; workspace?: string; yes?: boolean; json?: boolean; 'min-score'?: string };

export function createAgentsCommands(deps: AgentsCommandDeps = {}): CliCommand[] {
  const fs = deps.fs ?? nodeFileSystem;
  const git = deps.git ?? nodeGitRunner;
  const confirm = deps.confirm ?? terminalConfirm;

  /** Settings, the check command's acceptance, the bus: what `run` and `resume` share before they start. */
  const prepare = async (io: CliIO, root: string, values: StepValues, runFor?: RunStatus) => {
    const parallel = intOption(values.parallel, '--parallel', 1, 16);
    const minScore = intOption(values['min-score'], '--min-score', 0, 100);
    const settings: AgentSettings = await readWorkspaceAgentSettings(fs, root);
    let providers;
    try {
      providers = { ...createProviders(providerConfigFromEnv(io.env)), settings: routerSettingsFromEnv(io.env) };
    } catch (e) {
      throw new CliError((e as Error).message);
    }
    let choice;
    try {
      choice = resolveBusChoice({ ...(values.bus ? { cli: values.bus } : {}), ...(settings.bus ? { setting: settings.bus } : {}), env: io.env }).choice;
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    if (runFor?.engine === 'redis' && choice.kind !== 'redis') throw new UsageError(`run ${runFor.run} is on a team bus: resume it with --bus redis://…`);
    let team: { bus: Bus; remote: string } | undefined;
    if (choice.kind === 'redis') {
      const remote = values.remote ?? 'origin';
      const opened = await openTeamBus(io, { bus: choice.url, ...(values.remote ? { remote: values.remote } : {}), ...(values.workspace ? { workspace: values.workspace } : {}) }, git);
      team = { bus: opened.bus, remote };
      // Team workers fetch the run's base commit from the remote: it must be there.
      await git(['fetch', '--quiet', remote], root).catch(() => undefined);
      const on = await git(['branch', '-r', '--contains', 'HEAD'], root).catch(() => '');
      if (!runFor && !on.trim()) {
        await opened.bus.close();
        throw new CliError(`HEAD is not on the team remote "${remote}": push it first (team workers start from it)`);
      }
    }
    const approvals = cliApprovals(io, fs);
    const approval = await checkApproval(approvals, root, settings, true);
    if (approval.state === 'needs-acceptance') {
      const question = `This workspace's check command (llmgenie.agents.checkCommand) is "${approval.command}". Let the agents run it in their worktrees?`;
      const yes = values.yes ? true : await confirm(io, question);
      if (yes === undefined)
        throw new CliError(`the workspace's check command "${approval.command}" has not been accepted here yet: run again with --yes to accept it (it runs in the agents' worktrees)`);
      if (yes) {
        await approvals.accept(root, approval.command);
        if (values.yes && !values.json) io.err(`llmgenie agents: accepted the check command "${approval.command}" for ${root}\n`);
      } else io.err(`llmgenie agents: not accepted; the coder's work is committed without running "${approval.command}"\n`);
    } else if (approval.state === 'none' && !values.json) io.err(`llmgenie agents: ${approval.why}\n`);
    const options: LaunchOptions = {
      root,
      router: { ...providers, sink: deps.sink?.(io) ?? nullSink },
      approvals,
      trusted: true,
      settings,
      ...(parallel !== undefined ? { parallel } : {}),
      ...(minScore !== undefined ? { minScore } : {}),
      ...(team ? { bus: team.bus } : {}),
      owner: { pid: process.pid, host: hostname() },
    };
    return { options, team };
  };

  /** Follows a run to its end: a line per finished step, Ctrl-C cancels it, then the per-branch table. */
  const follow = async (io: CliIO, root: string, handle: RunHandle, values: StepValues, team?: { bus: Bus; remote: string }, resumed = false): Promise<number> => {
    const said = new Set<string>();
    if (!values.json) io.out(`run ${handle.run} (${handle.engine} bus) in ${root}${resumed ? ', resumed' : ''}\n`);
    let first = resumed;
    handle.onProgress((s: RunSummary) => {
      if (values.json) return;
      // Resumed: the steps done before are not news (and must not read as if they ran again).
      const quiet = first;
      first = false;
      for (const b of s.branches)
        for (const st of b.steps) {
          const key = `${b.slug}/${st.role}/${st.round}/${st.status}`;
          if (said.has(key)) continue;
          said.add(key);
          if (quiet && st.status !== 'running') continue;
          const when = new Date().toISOString().slice(11, 19);
          io.out(`${when} ${b.slug}: ${st.role}${st.round > 1 ? ` round ${st.round}` : ''} ${st.status === 'running' ? 'started' : st.status}${st.reason ? ` (${st.reason})` : ''}\n`);
        }
    });
    const stop = () => handle.cancel();
    process.once('SIGINT', stop);
    try {
      await oneLine(() => handle.done);
      if (team) {
        const manifest = await WorktreeManifest.open(fs, createAgentGit(git), root, handle.run);
        for (const line of await syncTeamBranches(git, manifest, team.remote)) if (!values.json) io.out(`${line}\n`);
      }
    } finally {
      process.off('SIGINT', stop);
      await team?.bus.close();
    }
    const status = await readRunStatus(fs, root, handle.run);
    io.out(values.json ? `${JSON.stringify(status, null, 2)}\n` : formatRunStatus(status));
    return status.branches.length && status.branches.every((b) => b.state === 'approved') ? 0 : 1;
  };

  const run: CliCommand = {
    words: ['agents', 'run'],
    summary: 'Run coder → librarian → reviewer agents on one branch per task',
    usage: RUN_USAGE,
    async run(args, io) {
      const { values, positionals } = parseCliArgs(args, { ...STEP_OPTIONS, task: { type: 'string', multiple: true } });
      const first = positionals.join(' ').trim();
      const tasks = [...(first ? [first] : []), ...(values.task ?? [])];
      if (!tasks.length) throw new UsageError('a task is required: llmgenie agents run "<task>"');
      if (tasks.some((t) => !t.trim())) throw new UsageError('a task is empty');
      const root = await workspaceRoot(git, io);
      const { options, team } = await prepare(io, root, values);
      let handle: RunHandle;
      try {
        handle = await oneLine(async () => launchRun({ ...options, tasks }));
      } catch (e) {
        await team?.bus.close();
        throw e;
      }
      return follow(io, root, handle, values, team);
    },
  };

  const resume: CliCommand = {
    words: ['agents', 'resume'],
    summary: 'Continue an interrupted agent run from its journal',
    usage: RESUME_USAGE,
    async run(args, io) {
      const { values, positionals } = parseCliArgs(args, STEP_OPTIONS);
      if (positionals.length !== 1) throw new UsageError('the run to resume is required: llmgenie agents resume RUN');
      const root = await workspaceRoot(git, io);
      const before = await oneLine(() => readRunStatus(fs, root, positionals[0]!));
      const { options, team } = await prepare(io, root, values, before);
      if (!values.json) io.out(`resuming run ${before.run}: ${before.branches.reduce((n, b) => n + b.stepsDone, 0)} step(s) already done are not run again\n`);
      return follow(io, root, resumeLaunch({ ...options, run: before.run }), values, team, true);
    },
  };

  const status: CliCommand = {
    words: ['agents', 'status'],
    summary: 'Agent runs of this workspace, or one run per branch',
    usage: STATUS_USAGE,
    async run(args, io) {
      const { values, positionals } = parseCliArgs(args, { json: { type: 'boolean' } });
      if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
      const root = await workspaceRoot(git, io);
      if (!positionals.length) {
        const list = await listRuns(fs, root);
        io.out(values.json ? `${JSON.stringify(list, null, 2)}\n` : formatRunList(list));
        return 0;
      }
      const s = await oneLine(() => readRunStatus(fs, root, positionals[0]!));
      io.out(values.json ? `${JSON.stringify(s, null, 2)}\n` : formatRunStatus(s));
      return 0;
    },
  };

  const cancel: CliCommand = {
    words: ['agents', 'cancel'],
    summary: 'Cancel an agent run',
    usage: CANCEL_USAGE,
    async run(args, io) {
      const { positionals } = parseCliArgs(args, {});
      if (positionals.length !== 1) throw new UsageError('the run to cancel is required: llmgenie agents cancel RUN');
      const root = await workspaceRoot(git, io);
      const r = await oneLine(() => cancelRun(fs, root, positionals[0]!));
      io.out(`${r.detail}\n`);
      return r.outcome === 'timeout' ? 1 : 0;
    },
  };

  const clean: CliCommand = {
    words: ['agents', 'clean'],
    summary: 'Remove agent worktrees without uncommitted work (branches stay)',
    usage: CLEAN_USAGE,
    async run(args, io) {
      const { values, positionals } = parseCliArgs(args, { json: { type: 'boolean' } });
      if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
      const root = await workspaceRoot(git, io);
      const out = await oneLine(() => cleanRuns(fs, createAgentGit(git), root, positionals[0]));
      io.out(values.json ? `${JSON.stringify({ worktrees: out }, null, 2)}\n` : formatCleaned(out));
      return 0;
    },
  };

  const team = createAgentsWorkerCommands({
    git,
    // A worker runs the same role steps, with this clone's settings and its own acceptance of the check command.
    executor: async (io, { accept }) => {
      const clone = await workspaceRoot(git, io);
      const settings = await readWorkspaceAgentSettings(fs, clone);
      const approvals = cliApprovals(io, fs);
      const approval = await checkApproval(approvals, clone, settings, true);
      if (approval.state === 'needs-acceptance' && accept) {
        await approvals.accept(clone, approval.command);
        io.err(`llmgenie agents worker: accepted the check command "${approval.command}" for ${clone}\n`);
      } else if (approval.state === 'needs-acceptance')
        io.err(`llmgenie agents worker: the check command "${approval.command}" is not accepted in this clone; coder steps commit unchecked (start the worker with --yes to accept it)\n`);
      const router = { ...createProviders(providerConfigFromEnv(io.env)), settings: routerSettingsFromEnv(io.env), sink: deps.sink?.(io) ?? nullSink };
      return teamStepExecutor(async (runId) =>
        createAgentDeps({ fs, root: clone, run: runId, router, settings, gitRunner: git, runProcess: nodeProcessRunner, clock: systemClock, approvals, trusted: true }),
      );
    },
  });
  return [run, status, resume, cancel, clean, ...team];
}
