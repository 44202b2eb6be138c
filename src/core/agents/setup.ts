import { realpath } from 'node:fs/promises';
import { parse as parseJsonc } from 'jsonc-parser';
import { z } from 'zod';
import { loadHandoffConfig } from '../handoff/config';
import type { GitRunner } from '../platform/git';
import type { Clock } from '../platform/clock';
import type { FileSystem } from '../platform/fileSystem';
import type { ProcessRunner } from '../platform/process';
import { DEFAULT_CHECK_OUTPUT_CHARS, DEFAULT_CHECK_TIMEOUT_MS, type CommandApprovals } from './checkCommand';
import { createAgentGit } from './git';
import { runPaths } from './layout';
import type { AgentRouter } from './roleCall';
import { loadRoles } from './roles';
import type { AgentDeps } from './stepContext';

export const AGENT_SETTING_KEYS = {
  checkCommand: 'llmgenie.agents.checkCommand',
  checkTimeoutMs: 'llmgenie.agents.checkTimeoutMs',
  minScore: 'llmgenie.agents.minScore',
  maxReviewRounds: 'llmgenie.agents.maxReviewRounds',
  parallel: 'llmgenie.agents.parallel',
  bus: 'llmgenie.agents.bus',
} as const;

const settingsSchema = z.object({
  [AGENT_SETTING_KEYS.checkCommand]: z.string().trim().max(2000).optional().catch(undefined),
  [AGENT_SETTING_KEYS.checkTimeoutMs]: z.number().int().min(1000).max(3_600_000).optional().catch(undefined),
  [AGENT_SETTING_KEYS.minScore]: z.number().min(0).max(100).optional().catch(undefined),
  [AGENT_SETTING_KEYS.maxReviewRounds]: z.number().int().min(1).max(10).optional().catch(undefined),
  [AGENT_SETTING_KEYS.parallel]: z.number().int().min(1).max(16).optional().catch(undefined),
  [AGENT_SETTING_KEYS.bus]: z.string().trim().max(2000).optional().catch(undefined),
});

export interface AgentSettings {
  checkCommand?: string;
  checkTimeoutMs: number;
  minScore: number;
  maxReviewRounds: number;
  parallel: number;
  /** `embedded` or a `redis://` URL (see parseBusChoice: a password in it is refused). */
  bus?: string;
}

/** From a flat `llmgenie.*` object (settings.json shape); a wrong value falls back to its default. */
export function agentSettingsFrom(values: Record<string, unknown>): AgentSettings {
  const v = settingsSchema.parse(values);
  const cmd = v[AGENT_SETTING_KEYS.checkCommand];
  return {
    ...(cmd ? { checkCommand: cmd } : {}),
    checkTimeoutMs: v[AGENT_SETTING_KEYS.checkTimeoutMs] ?? DEFAULT_CHECK_TIMEOUT_MS,
    minScore: v[AGENT_SETTING_KEYS.minScore] ?? 80,
    maxReviewRounds: v[AGENT_SETTING_KEYS.maxReviewRounds] ?? 2,
    parallel: v[AGENT_SETTING_KEYS.parallel] ?? 2,
    ...(v[AGENT_SETTING_KEYS.bus] ? { bus: v[AGENT_SETTING_KEYS.bus] } : {}),
  };
}

/** The CLI and MCP read the workspace's `.vscode/settings.json`, as the editor would. */
export async function readWorkspaceAgentSettings(fs: FileSystem, root: string): Promise<AgentSettings> {
  let values: Record<string, unknown> = {};
  try {
    const parsed: unknown = parseJsonc(await fs.readText(`${root.replace(/\/+$/, '')}/.vscode/settings.json`));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) values = parsed as Record<string, unknown>;
  } catch {
    // no settings file: defaults
  }
  return agentSettingsFrom(values);
}

export interface AgentSetupInput {
  fs: FileSystem;
  root: string;
  run: string;
  router: AgentRouter;
  settings: AgentSettings;
  gitRunner: GitRunner;
  runProcess: ProcessRunner;
  clock: Clock;
  approvals: CommandApprovals;
  /** The editor's workspace trust; the CLI passes true (the user ran it here). */
  trusted: boolean;
  onRouterEvent?: AgentDeps['onRouterEvent'];
}

/** One place that turns settings, trust and approvals into the steps' dependencies, for every face. */
export async function createAgentDeps(i: AgentSetupInput): Promise<AgentDeps> {
  const command = i.settings.checkCommand;
  let runnable = false;
  let why: string | undefined;
  if (!command) why = `no ${AGENT_SETTING_KEYS.checkCommand} is set`;
  else if (!i.trusted) why = 'the folder is not trusted';
  else if (!(await i.approvals.isAccepted(i.root, command))) why = `"${command}" has not been accepted for this workspace`;
  else runnable = true;
  const handoff = await loadHandoffConfig(i.fs, i.root, { minScore: i.settings.minScore });
  return {
    fs: i.fs,
    git: createAgentGit(i.gitRunner),
    router: i.router,
    roles: await loadRoles(i.fs, i.root),
    clock: i.clock,
    realpath: (p) => realpath(p),
    runProcess: i.runProcess,
    check: { ...(command ? { command } : {}), runnable, ...(why ? { why } : {}), timeoutMs: i.settings.checkTimeoutMs, maxOutputChars: DEFAULT_CHECK_OUTPUT_CHARS },
    handoff,
    maxReviewRounds: i.settings.maxReviewRounds,
    ...(i.router.sink ? { sink: i.router.sink } : {}),
    scratchDir: runPaths(i.root, i.run).dir,
    ...(i.onRouterEvent ? { onRouterEvent: i.onRouterEvent } : {}),
  };
}
