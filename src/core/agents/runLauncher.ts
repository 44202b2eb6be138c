// Starting and resuming agent runs, the same way for every face (CLI, MCP, editor): settings, trust and the check
// command's acceptance in, a handle out that reports progress per branch and resolves with the run's summary.
import type { Clock } from '../platform/clock';
import { systemClock } from '../platform/clock';
import type { FileSystem } from '../platform/fileSystem';
import { nodeFileSystem } from '../platform/fileSystem';
import type { GitRunner } from '../platform/git';
import { nodeGitRunner } from '../platform/git';
import type { ProcessRunner } from '../platform/process';
import { machineName, nodeProcessRunner } from '../platform/process';
import type { Bus } from './bus/bus';
import { EmbeddedBus } from './bus/embeddedBus';
import type { CommandApprovals } from './checkCommand';
import { makeRunId, runPaths } from './layout';
import { RunError, resumeRun, startRun, type RunOwner } from './orchestrator';
import type { AgentRouter } from './roleCall';
import type { RunSummary } from './runState';
import { AGENT_SETTING_KEYS, createAgentDeps, type AgentSettings } from './setup';
import type { AgentDeps } from './stepContext';

export const MAX_TASKS = 16;
export const MAX_TASK_CHARS = 4000;

export interface LaunchPlatform {
  fs: FileSystem;
  gitRunner: GitRunner;
  runProcess: ProcessRunner;
  clock: Clock;
}

export interface LaunchOptions {
  /** The workspace (a git repository with a commit), absolute. */
  root: string;
  /** Providers and router settings, as for any task; every role's call goes through them. */
  router: AgentRouter;
  /** Where accepted check commands are remembered (outside the workspace). */
  approvals: CommandApprovals;
  /** The editor's workspace trust; the CLI and MCP pass true. */
  trusted: boolean;
  /** The workspace's agent settings (`readWorkspaceAgentSettings`); `parallel` and `minScore` below win. */
  settings: AgentSettings;
  /** Steps at the same time across the run's branches. */
  parallel?: number;
  /** Minimum handoff package score before the reviewer may start (0-100). */
  minScore?: number;
  /**
   * The bus to carry the run; default the embedded journal. A bus whose engine is not `embedded` (Redis) is a team
   * bus: this process drives the run and team workers run its steps. The caller closes a bus it passed.
   */
  bus?: Bus;
  owner?: RunOwner;
  /** Node's by default; tests and the editor pass their own. */
  platform?: Partial<LaunchPlatform>;
  onRouterEvent?: AgentDeps['onRouterEvent'];
  /** How often another process's `agents cancel` is looked for (ms). */
  cancelPollMs?: number;
}

/** A run in progress. */
export interface RunHandle {
  readonly run: string;
  readonly root: string;
  /** 'embedded' or 'redis'. */
  readonly engine: string;
  /** The latest summary seen (after every step); undefined before the first. */
  readonly latest: RunSummary | undefined;
  /** Called after every step with the whole run; returns a function that stops the calls. */
  onProgress(listener: (summary: RunSummary) => void): () => void;
  /** Resolves with the final summary (finished or cancelled); rejects with a RunError for an unusable run. */
  readonly done: Promise<RunSummary>;
  /** Stops every step within a second; `done` then resolves with the run cancelled. */
  cancel(): void;
}

/** Whether the workspace's check command may run, and if not, what the user must do. */
export type CheckApproval =
  | { state: 'none'; why: string }
  | { state: 'accepted'; command: string }
  | { state: 'untrusted'; command: string }
  | { state: 'needs-acceptance'; command: string };

export async function checkApproval(approvals: CommandApprovals, root: string, settings: AgentSettings, trusted: boolean): Promise<CheckApproval> {
  const command = settings.checkCommand;
  if (!command) return { state: 'none', why: `no ${AGENT_SETTING_KEYS.checkCommand} is set: the coder's work is committed unchecked` };
  if (!trusted) return { state: 'untrusted', command };
  return (await approvals.isAccepted(root, command)) ? { state: 'accepted', command } : { state: 'needs-acceptance', command };
}

/** The tasks as given, trimmed; throws a RunError (one line) for none, an empty one, too many or too long. */
export function validateTasks(tasks: readonly string[]): string[] {
  const clean = tasks.map((t) => t.trim());
  if (!clean.length) throw new RunError('no task given');
  if (clean.some((t) => !t)) throw new RunError('a task is empty');
  if (clean.length > MAX_TASKS) throw new RunError(`at most ${MAX_TASKS} tasks per run, got ${clean.length}`);
  const long = clean.find((t) => t.length > MAX_TASK_CHARS);
  if (long) throw new RunError(`a task is longer than ${MAX_TASK_CHARS} characters ("${long.slice(0, 40)}…")`);
  return clean;
}

/** Starts a run of one branch per task. Bad input (no task, bad parallel) throws at once; the rest lands in `done`. */
export function launchRun(o: LaunchOptions & { tasks: readonly string[]; runId?: string }): RunHandle {
  const tasks = validateTasks(o.tasks);
  const p = platformOf(o);
  const run = o.runId ?? makeRunId(p.clock.now(), Math.random().toString(36).slice(2, 6));
  return handleFor(o, run, (common) => startRun({ ...common, tasks, runId: run }));
}

/** Continues an interrupted run from its journal (see `resumeRun`); a run that already ended resolves as it is. */
export function resumeLaunch(o: LaunchOptions & { run: string }): RunHandle {
  return handleFor(o, o.run, (common) => resumeRun({ ...common, run: o.run }));
}

function platformOf(o: LaunchOptions): LaunchPlatform {
  return { fs: nodeFileSystem, gitRunner: nodeGitRunner, runProcess: nodeProcessRunner, clock: systemClock, ...o.platform };
}

type Common = Parameters<typeof startRun>[0];

function handleFor(o: LaunchOptions, run: string, go: (common: Omit<Common, 'tasks'>) => Promise<RunSummary>): RunHandle {
  const p = platformOf(o);
  const parallel = o.parallel ?? o.settings.parallel;
  if (!Number.isInteger(parallel) || parallel < 1 || parallel > 16) throw new RunError(`parallel takes a whole number 1-16, got ${parallel}`);
  const minScore = o.minScore ?? o.settings.minScore;
  if (!(minScore >= 0 && minScore <= 100)) throw new RunError(`the minimum package score is 0-100, got ${minScore}`);
  const listeners = new Set<(s: RunSummary) => void>();
  const ac = new AbortController();
  let latest: RunSummary | undefined;
  const ownBus = !o.bus;
  const bus = o.bus ?? new EmbeddedBus({ fs: p.fs, journalPath: (r) => runPaths(o.root, r).journal });
  const done = (async () => {
    try {
      const deps = await createAgentDeps({
        fs: p.fs,
        root: o.root,
        run,
        router: o.router,
        settings: { ...o.settings, parallel, minScore },
        gitRunner: p.gitRunner,
        runProcess: p.runProcess,
        clock: p.clock,
        approvals: o.approvals,
        trusted: o.trusted,
        ...(o.onRouterEvent ? { onRouterEvent: o.onRouterEvent } : {}),
      });
      return await go({
        root: o.root,
        bus,
        deps,
        parallel,
        owner: o.owner ?? { pid: process.pid, host: machineName() },
        signal: ac.signal,
        executeSteps: bus.engine === 'embedded',
        ...(o.cancelPollMs ? { cancelPollMs: o.cancelPollMs } : {}),
        onProgress: (s) => {
          latest = s;
          for (const l of listeners) {
            try {
              l(s);
            } catch {
              // a face's listener failing must not stop the run
            }
          }
        },
      });
    } finally {
      if (ownBus) await bus.close();
    }
  })();
  done.catch(() => undefined); // the caller awaits it; no unhandled rejection before it does
  return {
    run,
    root: o.root,
    engine: bus.engine,
    get latest() {
      return latest;
    },
    onProgress(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    done,
    cancel: () => ac.abort(),
  };
}
