import { parse as parseJsonc } from 'jsonc-parser';
import { z } from 'zod';
import type { FileSystem } from '../platform/fileSystem';
import { DECISION_LOG_SETTING, DEFAULT_DECISION_LOG } from './decisionLog';
import { DEFAULT_SESSIONS_DIR, SESSIONS_DIR_SETTING } from './layout';
import { DEFAULT_MAX_BYTES, DEFAULT_RETENTION } from './store';
import type { RetentionOptions } from './store';

/** The `llmgenie.sessions.*` / `llmgenie.decisionLog.path` settings, as the editor and the CLI both read them. */
export interface SessionSettings {
  dir: string;
  maxBytes: number;
  retention: Required<RetentionOptions>;
  decisionLog: string;
}

export const SETTING_KEYS = {
  dir: SESSIONS_DIR_SETTING,
  maxFileSizeMB: 'llmgenie.sessions.maxFileSizeMB',
  keepSessions: 'llmgenie.sessions.retention.maxSessions',
  maxAgeDays: 'llmgenie.sessions.retention.maxAgeDays',
  maxTotalMB: 'llmgenie.sessions.retention.maxTotalMB',
  decisionLog: DECISION_LOG_SETTING,
} as const;

const raw = z.object({
  [SETTING_KEYS.dir]: z.string().min(1).optional().catch(undefined),
  [SETTING_KEYS.maxFileSizeMB]: z.number().positive().max(1024).optional().catch(undefined),
  [SETTING_KEYS.keepSessions]: z.number().int().min(0).optional().catch(undefined),
  [SETTING_KEYS.maxAgeDays]: z.number().min(0).optional().catch(undefined),
  [SETTING_KEYS.maxTotalMB]: z.number().min(0).optional().catch(undefined),
  [SETTING_KEYS.decisionLog]: z.string().min(1).optional().catch(undefined),
});

/**
 * Builds settings from a flat `llmgenie.*` key/value object (VS Code's settings.json shape). A value of the wrong
 * type falls back to its default rather than failing: a typo in settings must not stop logging.
 */
export function sessionSettingsFrom(values: Record<string, unknown>): SessionSettings {
  const v = raw.parse(values);
  const mb = v[SETTING_KEYS.maxFileSizeMB];
  return {
    dir: v[SETTING_KEYS.dir] ?? DEFAULT_SESSIONS_DIR,
    maxBytes: mb !== undefined ? Math.round(mb * 1024 * 1024) : DEFAULT_MAX_BYTES,
    retention: {
      maxSessions: v[SETTING_KEYS.keepSessions] ?? DEFAULT_RETENTION.maxSessions,
      maxAgeDays: v[SETTING_KEYS.maxAgeDays] ?? DEFAULT_RETENTION.maxAgeDays,
      maxTotalMB: v[SETTING_KEYS.maxTotalMB] ?? DEFAULT_RETENTION.maxTotalMB,
    },
    decisionLog: v[SETTING_KEYS.decisionLog] ?? DEFAULT_DECISION_LOG,
  };
}

/**
 * Headless callers (CLI, MCP) read the workspace's `.vscode/settings.json` so they log where the editor does;
 * `LLMGENIE_SESSIONS_DIR` in `env` overrides the folder. A missing or broken settings file means defaults.
 */
export async function readWorkspaceSessionSettings(
  fs: FileSystem,
  root: string,
  env: Readonly<Record<string, string | undefined>> = {},
): Promise<SessionSettings> {
  let values: Record<string, unknown> = {};
  try {
    const parsed: unknown = parseJsonc(await fs.readText(`${root.replace(/\/+$/, '')}/.vscode/settings.json`));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) values = parsed as Record<string, unknown>;
  } catch {
    // no settings file: defaults
  }
  const s = sessionSettingsFrom(values);
  const envDir = env.LLMGENIE_SESSIONS_DIR?.trim();
  return envDir ? { ...s, dir: envDir } : s;
}
