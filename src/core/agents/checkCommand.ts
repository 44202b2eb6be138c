import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { FileSystem } from '../platform/fileSystem';
import type { ProcessRunner } from '../platform/process';
import type { CheckResult } from './schemas';

/**
 * Remembers which check command the user accepted for which workspace. It lives outside the workspace (the CLI:
 * a file in the user's state folder; the editor: its global state), so a repository cannot pre-accept its own
 * command. The exact command line is the key: a changed command must be accepted again.
 */
export interface CommandApprovals {
  isAccepted(workspace: string, command: string): Promise<boolean>;
  accept(workspace: string, command: string): Promise<void>;
}

/** The approvals file's name in the user's state folder, shared by the CLI and the MCP server. */
export const APPROVALS_FILE = 'agents-approved-commands.json';

export function approvalKey(workspace: string, command: string): string {
  return createHash('sha256').update(`${workspace.replace(/\/+$/, '')}\0${command}`).digest('hex');
}

const ApprovalFileSchema = z.object({ v: z.literal(1), accepted: z.record(z.string(), z.object({ workspace: z.string(), command: z.string(), at: z.string() })) });

/** Approvals in one JSON file (the CLI's, under the user's state folder). A damaged file means nothing is accepted. */
export function fileCommandApprovals(fs: FileSystem, file: string, now: () => Date = () => new Date()): CommandApprovals {
  const load = async () => {
    try {
      const parsed = ApprovalFileSchema.safeParse(JSON.parse(await fs.readText(file)));
      return parsed.success ? parsed.data : { v: 1 as const, accepted: {} };
    } catch {
      return { v: 1 as const, accepted: {} };
    }
  };
  return {
    async isAccepted(workspace, command) {
      const data = await load();
      const hit = data.accepted[approvalKey(workspace, command)];
      return !!hit && hit.command === command;
    },
    async accept(workspace, command) {
      const data = await load();
      data.accepted[approvalKey(workspace, command)] = { workspace, command, at: now().toISOString() };
      await fs.writeText(file, `${JSON.stringify(data, null, 2)}\n`);
    },
  };
}

export interface CheckCommandSettings {
  command?: string;
  timeoutMs: number;
  maxOutputChars: number;
}

export const DEFAULT_CHECK_TIMEOUT_MS = 120_000;
export const DEFAULT_CHECK_OUTPUT_CHARS = 8000;

/** Binds the accepted command to one worktree; nothing else can be run through it. */
export function checkRunner(run: ProcessRunner, settings: CheckCommandSettings & { command: string }, cwd: string): (signal?: AbortSignal) => Promise<CheckResult> {
  return async (signal) => {
    const r = await run(settings.command, { cwd, timeoutMs: settings.timeoutMs, maxOutputChars: settings.maxOutputChars, signal });
    return {
      command: settings.command,
      status: r.timedOut ? 'timeout' : r.exitCode === 0 ? 'passed' : 'failed',
      exitCode: r.exitCode,
      output: r.timedOut ? `${r.output}\n[stopped after ${settings.timeoutMs} ms]` : r.output,
      ms: Math.round(r.ms),
    };
  };
}

export function skippedCheck(command: string | undefined, why: string): CheckResult {
  return { command: command ?? '', status: 'skipped', exitCode: null, output: why, ms: 0 };
}
