import { nodeGitRunner, type GitRunner } from '../../platform/git';
import { compileGlobs } from '../../platform/glob';
import { compileLinearRegex, type LinearRegex } from './linearRegex';
import { z } from 'zod';
import { fingerprint } from '../textIndex';
import { PolicyConfigError, type Finding, type Severity } from '../types';

export const BRANCH_RULE_ID = '009';
export const BRANCH_DEFAULTS = {
  protected: ['main', 'master', 'release/*'],
  pattern: '^(feature|fix|chore|docs|refactor)/[a-z0-9._-]+$',
} as const;

export const branchOptionsSchema = z
  .object({
    protected: z.array(z.string().min(1)).optional(),
    pattern: z.string().min(1).optional(),
  })
  .strict();
export type BranchOptions = z.infer<typeof branchOptionsSchema>;

export interface BranchInfo {
  /** Undefined on a detached HEAD. */
  readonly branch?: string;
  readonly hasChanges: boolean;
}

export interface BranchCheck {
  (info: BranchInfo): Finding[];
}

const ZERO = { startLine: 0, startColumn: 0, endLine: 0, endColumn: 0 };

/** Compiles the options once; throws PolicyConfigError for a bad pattern. */
export function createBranchCheck(
  options: BranchOptions = {},
  ruleId = BRANCH_RULE_ID,
  ruleName = 'Branch policy',
  severity: Severity = 'warning',
): BranchCheck {
  const protectedGlobs = options.protected ?? [...BRANCH_DEFAULTS.protected];
  const isProtected = compileGlobs(protectedGlobs);
  const source = options.pattern ?? BRANCH_DEFAULTS.pattern;
  let pattern: LinearRegex; // from the repository's manifest or settings: linear time, like pattern rules
  try {
    pattern = compileLinearRegex(source);
  } catch (e) {
    throw new PolicyConfigError(`branch pattern is not a valid regular expression: ${(e as Error).message}`);
  }
  const finding = (branch: string, message: string): Finding => ({
    ruleId,
    ruleName,
    severity,
    file: '',
    range: ZERO,
    message,
    fingerprint: fingerprint(ruleId, '', `${branch}\0${message}`),
  });
  return (info) => {
    const branch = info.branch;
    if (!branch) return [];
    if (isProtected(branch)) {
      return info.hasChanges
        ? [finding(branch, `Uncommitted changes on protected branch "${branch}": move them to a feature branch (git switch -c feature/<name>)`)]
        : [];
    }
    if (!pattern.test(branch)) return [finding(branch, `Branch name "${branch}" does not match ${source}`)];
    return [];
  };
}

/** Pure convenience form: `checkBranch({branch: 'main', hasChanges: true})`. */
export function checkBranch(info: BranchInfo, options: BranchOptions = {}): Finding[] {
  return createBranchCheck(options)(info);
}

/** The current branch and whether the work tree has changes; undefined outside a git repository or without git. */
export async function gitBranchInfo(cwd: string, run: GitRunner = nodeGitRunner): Promise<BranchInfo | undefined> {
  let stdout: string;
  try {
    stdout = await run(['status', '--porcelain=v2', '--branch', '--untracked-files=normal'], cwd);
  } catch {
    return undefined;
  }
  let branch: string | undefined;
  let hasChanges = false;
  for (const line of stdout.split('\n')) {
    if (line.startsWith('# branch.head ')) {
      const head = line.slice('# branch.head '.length).trim();
      branch = head === '(detached)' ? undefined : head;
    } else if (line && !line.startsWith('#')) {
      hasChanges = true;
    }
  }
  return { branch, hasChanges };
}
