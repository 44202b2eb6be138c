import type { FileSystem } from '../platform/fileSystem';
import { MANIFEST_LOCATIONS, parseManifest } from '../rules/manifest';
import { BASELINE_PATH, baselineFingerprints, parseBaseline, type Baseline } from './baseline';
import { withPacksDisabled } from './config';
import { policyConfigFromParsedManifest } from './manifestConfig';
import type { PackName, PolicyConfig } from './types';

export interface LoadPolicyConfigOptions {
  /** An explicit manifest (absolute): a missing or unusable one is fatal. Default: the workspace's, if any. */
  readonly rulesFile?: string;
  /** An explicit baseline (absolute): missing is fatal unless `baselineOptional`. Default: BASELINE_PATH if present. */
  readonly baselineFile?: string;
  /** `check --update-baseline` may name a baseline it is about to create. */
  readonly baselineOptional?: boolean;
  readonly disabledPacks?: readonly PackName[];
}

export interface PolicyConfigProblem {
  readonly source: 'manifest' | 'baseline';
  /** Workspace-relative when inside the root, else absolute. */
  readonly file: string;
  /** 1-based, when the problem has a place in the file. */
  readonly line?: number;
  readonly column?: number;
  readonly message: string;
  /**
   * The whole file is unusable (missing, unreadable, not JSON, no rules array, corrupt baseline). The CLI exits 2;
   * long-running hosts warn and run without it. Non-fatal problems only leave out the entries they point at.
   */
  readonly fatal: boolean;
}

export interface LoadedPolicyConfig {
  /** Manifest rules folded into the packs, plus the baseline's fingerprints when one was read. */
  readonly config: PolicyConfig;
  readonly problems: PolicyConfigProblem[];
  readonly manifestFile?: string;
  readonly baselineFile: string;
  readonly baseline?: Baseline;
}

/**
 * The one way every headless host (CLI `check`, MCP `check_policy`) turns a workspace's manifest and baseline into
 * a PolicyConfig, so a finding is graded the same wherever it is checked. The editor folds its already parsed
 * manifest through the same policyConfigFromParsedManifest. Never throws for bad files: they become problems.
 */
export async function loadPolicyConfig(fs: FileSystem, root: string, options: LoadPolicyConfigOptions = {}): Promise<LoadedPolicyConfig> {
  const base = root.replace(/\\/g, '/').replace(/\/+$/, '') || '/';
  const display = (file: string) => (file.startsWith(`${base}/`) ? file.slice(base.length + 1) : file);
  const problems: PolicyConfigProblem[] = [];

  let config: PolicyConfig = {};
  let manifestFile = options.rulesFile;
  if (manifestFile === undefined) {
    for (const loc of MANIFEST_LOCATIONS) {
      if ((await fs.stat(`${base}/${loc}`))?.kind === 'file') {
        manifestFile = `${base}/${loc}`;
        break;
      }
    }
  } else if ((await fs.stat(manifestFile))?.kind !== 'file') {
    problems.push({ source: 'manifest', file: display(manifestFile), message: 'rules file not found', fatal: true });
    manifestFile = undefined;
  }
  if (manifestFile !== undefined) {
    const text = await readOrProblem(fs, manifestFile, 'manifest', display, problems);
    if (text !== undefined) {
      const policy = policyConfigFromParsedManifest(parseManifest(manifestFile, text));
      const fatal = policy.ignored !== undefined;
      for (const p of policy.problems) {
        problems.push({ source: 'manifest', file: display(manifestFile), line: p.line + 1, column: p.column + 1, message: p.message, fatal });
      }
      if (fatal && !policy.problems.length) problems.push({ source: 'manifest', file: display(manifestFile), message: policy.ignored!, fatal });
      config = policy.config;
    }
  }

  const baselineFile = options.baselineFile ?? `${base}/${BASELINE_PATH}`;
  let baseline: Baseline | undefined;
  if ((await fs.stat(baselineFile))?.kind === 'file') {
    const text = await readOrProblem(fs, baselineFile, 'baseline', display, problems);
    if (text !== undefined) {
      try {
        baseline = parseBaseline(text);
        config = { ...config, baseline: baselineFingerprints(baseline) };
      } catch (e) {
        problems.push({ source: 'baseline', file: display(baselineFile), message: (e as Error).message, fatal: true });
      }
    }
  } else if (options.baselineFile !== undefined && !options.baselineOptional) {
    problems.push({ source: 'baseline', file: display(baselineFile), message: 'baseline file not found', fatal: true });
  }

  if (options.disabledPacks?.length) config = withPacksDisabled(config, options.disabledPacks);
  return { config, problems, manifestFile, baselineFile, baseline };
}

export function formatPolicyConfigProblem(p: PolicyConfigProblem): string {
  return `${p.file}${p.line !== undefined ? `:${p.line}:${p.column ?? 1}` : ''}: ${p.message}`;
}

async function readOrProblem(
  fs: FileSystem,
  file: string,
  source: PolicyConfigProblem['source'],
  display: (f: string) => string,
  problems: PolicyConfigProblem[],
): Promise<string | undefined> {
  try {
    return await fs.readText(file);
  } catch (e) {
    problems.push({ source, file: display(file), message: `cannot read: ${(e as Error).message}`, fatal: true });
    return undefined;
  }
}
