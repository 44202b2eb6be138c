import { z } from 'zod';
import { withPacksDisabled } from './config';
import { compileLinearRegex } from './packs/linearRegex';
import { DEFAULT_MAX_FILE_BYTES } from './engine';
import type { PackConfig, PackName, PolicyConfig } from './types';

/**
 * A team-convention pack (logging, branch): `auto` runs it only where the workspace's rules manifest has a rule for
 * it, `on` runs it everywhere (unless the manifest switches it off), `off` never.
 */
export type PackSwitch = 'auto' | 'on' | 'off';

/** The editor's `llmgenie.policy.*` settings. */
export interface PolicySettings {
  /** Secrets are a problem in any repository: that pack is a plain on/off, on by default. */
  readonly packs: Readonly<{ security: boolean; logging: PackSwitch; branch: PackSwitch }>;
  /** Overrides the logging rule's `replacement` option when set. */
  readonly loggingReplacement?: string;
  /** Override the branch rule's options when set. */
  readonly branchProtected?: readonly string[];
  readonly branchPattern?: string;
  readonly maxFileBytes: number;
  readonly lintDelayMs: number;
}

export const POLICY_SETTING_KEYS = {
  security: 'llmgenie.policy.packs.security',
  logging: 'llmgenie.policy.packs.logging',
  branch: 'llmgenie.policy.packs.branch',
  replacement: 'llmgenie.policy.logging.replacement',
  protected: 'llmgenie.policy.branch.protected',
  pattern: 'llmgenie.policy.branch.pattern',
  maxFileBytes: 'llmgenie.policy.maxFileBytes',
  lintDelayMs: 'llmgenie.policy.lintDelayMs',
} as const;

export const DEFAULT_LINT_DELAY_MS = 250;

const DOTTED = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$/;
const K = POLICY_SETTING_KEYS;

/** `true` / `false` are what these settings held before `auto` existed. */
const packSwitch = z
  .union([z.enum(['auto', 'on', 'off']), z.boolean().transform((b): PackSwitch => (b ? 'on' : 'off'))])
  .optional()
  .catch(undefined);

const raw = z.object({
  [K.security]: z.boolean().optional().catch(undefined),
  [K.logging]: packSwitch,
  [K.branch]: packSwitch,
  [K.replacement]: z.string().optional().catch(undefined),
  [K.protected]: z.array(z.string()).optional().catch(undefined),
  [K.pattern]: z.string().optional().catch(undefined),
  [K.maxFileBytes]: z.number().int().positive().optional().catch(undefined),
  [K.lintDelayMs]: z.number().int().min(0).max(10_000).optional().catch(undefined),
});

/**
 * Settings from a flat key/value object (settings.json shape). A wrong value falls back to its default and is
 * named in `problems`, so a typo in settings is reported rather than switching enforcement off.
 */
export function policySettingsFrom(values: Record<string, unknown>): { settings: PolicySettings; problems: string[] } {
  const v = raw.parse(values);
  const problems: string[] = [];
  for (const key of Object.values(K)) {
    if (values[key] !== undefined && v[key] === undefined) problems.push(`${key}: ignored a value of the wrong type or range`);
  }
  let loggingReplacement = v[K.replacement]?.trim() || undefined;
  if (loggingReplacement && !DOTTED.test(loggingReplacement)) {
    problems.push(`${K.replacement}: "${loggingReplacement}" is not a dotted identifier like logger.debug; ignored`);
    loggingReplacement = undefined;
  }
  const branchProtected = v[K.protected]?.map((s) => s.trim()).filter(Boolean);
  let branchPattern = v[K.pattern]?.trim() || undefined;
  if (branchPattern) {
    try {
      compileLinearRegex(branchPattern);
    } catch (e) {
      problems.push(`${K.pattern}: not a valid regular expression (${(e as Error).message}); ignored`);
      branchPattern = undefined;
    }
  }
  return {
    settings: {
      packs: { security: v[K.security] ?? true, logging: v[K.logging] ?? 'auto', branch: v[K.branch] ?? 'auto' },
      ...(loggingReplacement ? { loggingReplacement } : {}),
      ...(branchProtected?.length ? { branchProtected } : {}),
      ...(branchPattern ? { branchPattern } : {}),
      maxFileBytes: v[K.maxFileBytes] ?? DEFAULT_MAX_FILE_BYTES,
      lintDelayMs: v[K.lintDelayMs] ?? DEFAULT_LINT_DELAY_MS,
    },
    problems,
  };
}

/**
 * Lays the editor settings over the manifest's config: a switched-off pack stays off whatever the manifest says,
 * an `auto` convention pack runs only when a manifest rule configures it (a repository with no rules gets no
 * warnings it never asked for), and a setting that is set wins over the rule's option.
 */
export function applyPolicySettings(config: PolicyConfig, s: PolicySettings): PolicyConfig {
  const packs: Partial<Record<PackName, PackConfig>> = { ...config.packs };
  const withOptions = (name: PackName, extra: Record<string, unknown>): void => {
    if (!Object.keys(extra).length) return;
    packs[name] = { ...packs[name], options: { ...packs[name]?.options, ...extra } };
  };
  withOptions('logging', s.loggingReplacement ? { replacement: s.loggingReplacement } : {});
  withOptions('branch', { ...(s.branchProtected ? { protected: [...s.branchProtected] } : {}), ...(s.branchPattern ? { pattern: s.branchPattern } : {}) });
  const off = (Object.keys(s.packs) as PackName[]).filter((n) => !packRuns(n, s.packs[n], config));
  return withPacksDisabled({ ...config, packs, maxFileBytes: s.maxFileBytes }, off);
}

function packRuns(name: PackName, value: boolean | PackSwitch, config: PolicyConfig): boolean {
  if (value === true || value === 'on') return true;
  if (value === 'auto') return config.packs?.[name]?.ruleId !== undefined;
  return false;
}

