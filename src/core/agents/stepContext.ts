import type { HandoffConfig } from '../handoff/config';
import type { Clock } from '../platform/clock';
import type { FileSystem } from '../platform/fileSystem';
import type { ProcessRunner } from '../platform/process';
import type { RunEvent } from '../router/runTask';
import type { RealPath } from '../router/tools';
import type { SessionEventSink } from '../sessions/sink';
import type { AgentGit } from './git';
import type { AgentRouter, StepUsage } from './roleCall';
import type { LoadedRole, RoleName } from './roles';
import type { WorktreeEntry } from './worktrees';

export const STEP_ROLES = ['coder', 'policy', 'librarian', 'reviewer'] as const;
export type StepRole = (typeof STEP_ROLES)[number];

/** Everything a step needs from outside; the CLI, the editor and tests each build one. */
export interface AgentDeps {
  fs: FileSystem;
  git: AgentGit;
  router: AgentRouter;
  roles: Record<RoleName, LoadedRole>;
  clock: Clock;
  realpath: RealPath;
  runProcess: ProcessRunner;
  /** The workspace's check command, when configured and accepted (trusted folder, seen by the user). */
  check: { command?: string; runnable: boolean; why?: string; timeoutMs: number; maxOutputChars: number };
  handoff: HandoffConfig;
  /** Review rounds: how many times request_changes may send the branch back to the coder. */
  maxReviewRounds: number;
  sink?: SessionEventSink;
  /** Folder for scratch files (patches), outside every worktree. */
  scratchDir: string;
  onRouterEvent?: (slug: string, role: StepRole, e: RunEvent) => void;
}

export interface StepInput {
  run: string;
  task: string;
  worktree: WorktreeEntry;
  round: number;
  /** Outputs of this branch's completed steps, latest per role. */
  previous: Partial<Record<StepRole, unknown>>;
  /** The branch's commit before this round's coder step (the diff the later steps look at starts here). */
  roundBase: string;
  signal: AbortSignal;
}

export interface StepOutcome {
  status: 'done' | 'failed' | 'stopped';
  output?: unknown;
  reason?: string;
  /** The branch HEAD after the step. */
  head: string;
  usage: StepUsage;
}

/** Long inputs are cut for the prompt, saying so, so a model never believes it saw everything. */
export function capText(text: string, max: number, what: string): string {
  return text.length <= max ? text : `${text.slice(0, max)}\n[… ${what} cut: ${text.length - max} more characters]`;
}
