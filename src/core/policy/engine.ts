import { includeExclude } from '../platform/glob';
import type { z } from 'zod';
import type { FileSystem } from '../platform/fileSystem';
import { allowFix as makeAllowFix, filterAllowed } from './allow';
import { branchOptionsSchema, createBranchCheck, BRANCH_RULE_ID, type BranchCheck, type BranchInfo } from './packs/branch';
import {
  createLoggingPack,
  loggingLanguage,
  loggingOptionsSchema,
  LOGGING_DEFAULT_EXCLUDE,
  LOGGING_DEFAULT_GLOBS,
  LOGGING_RULE_ID,
  type LoggingPack,
} from './packs/logging';
import { compilePatternRule, type PatternRule } from './packs/pattern';
import { createSecurityPack, securityOptionsSchema, SECURITY_RULE_ID, type SecurityPack } from './packs/security';
import { TextIndex } from './textIndex';
import { checkTree, type TreeOptions } from './tree';
import {
  PolicyConfigError,
  type Finding,
  type Fix,
  type PackConfig,
  type PackName,
  type PolicyConfig,
  type RuleDescriptor,
  type Severity,
  type TreeResult,
} from './types';

export interface PolicyEngine {
  /** Every rule this engine reports under, for SARIF and the editor's "open the rule". */
  readonly rules: readonly RuleDescriptor[];
  /** Findings for one file's text, after allow comments and the baseline. Fast enough to run per keystroke. */
  checkText(relPath: string, text: string, languageId?: string): Finding[];
  /** Same, also counting findings the baseline hid. */
  checkTextDetailed(relPath: string, text: string, languageId?: string): { findings: Finding[]; baselined: number };
  /** Branch findings (rule 009); [] when the branch pack is off. */
  checkBranch(info: BranchInfo): Finding[];
  /** Walks `root` (or the given absolute paths under it) respecting .gitignore; skips binary and huge files. */
  checkTree(fs: FileSystem, root: string, paths?: readonly string[], options?: TreeOptions): Promise<TreeResult>;
  /** "Allow this line" quick fix for a finding in `text`; undefined where the file type has no comments. */
  allowFix(finding: Finding, text: string): Fix | undefined;
}

export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;

const PACK_DEFAULTS: Record<PackName, { ruleId: string; name: string; severity: Severity; description: string }> = {
  security: { ruleId: SECURITY_RULE_ID, name: 'No hard-coded secrets', severity: 'error', description: 'Secrets (API keys, tokens, private keys, passwords) must not be committed to source' },
  logging: { ruleId: LOGGING_RULE_ID, name: 'No debug logging in production code', severity: 'warning', description: 'console.log / console.debug / print( left in production code' },
  branch: { ruleId: BRANCH_RULE_ID, name: 'Branch policy', severity: 'warning', description: 'Work on a feature branch named by the team pattern, never with changes on a protected branch' },
};

function parseOptions<T>(pack: PackName, schema: z.ZodType<T>, options: unknown): T {
  const r = schema.safeParse(options ?? {});
  if (!r.success) {
    const i = r.error.issues[0];
    throw new PolicyConfigError(`${pack} pack options: ${i.message}${i.path.length ? ` at ${i.path.join('.')}` : ''}`);
  }
  return r.data;
}

export const normalizeRelPath = (p: string): string => p.replace(/\\/g, '/').replace(/^(?:\.\/)+/, '');

/** Throws PolicyConfigError for bad pack options or rule regexes, so callers can report them once. */
export function createPolicyEngine(config: PolicyConfig = {}): PolicyEngine {
  const packCfg = (n: PackName): (PackConfig & { on: boolean }) => ({ ...config.packs?.[n], on: config.packs?.[n]?.enabled !== false });
  const descriptor = (n: PackName): RuleDescriptor => {
    const c = config.packs?.[n];
    const d = PACK_DEFAULTS[n];
    return { id: c?.ruleId ?? d.ruleId, name: c?.name ?? d.name, severity: c?.severity ?? d.severity, description: d.description };
  };

  let security: { pack: SecurityPack; applies: (p: string) => boolean } | undefined;
  const sec = packCfg('security');
  if (sec.on) {
    const d = descriptor('security');
    security = {
      pack: createSecurityPack(d.id, d.name, d.severity, parseOptions('security', securityOptionsSchema, sec.options)),
      // Lock files are full of integrity hashes and never hold secrets a person typed.
      applies: includeExclude(sec.globs, sec.exclude ?? ['**/{package-lock.json,yarn.lock,pnpm-lock.yaml,Cargo.lock,poetry.lock,composer.lock,go.sum}', BASELINE_GLOB]),
    };
  }
  let logging: { pack: LoggingPack; applies: (p: string) => boolean } | undefined;
  const log = packCfg('logging');
  if (log.on) {
    const d = descriptor('logging');
    logging = {
      pack: createLoggingPack(d.id, d.name, d.severity, parseOptions('logging', loggingOptionsSchema, log.options)),
      applies: includeExclude(log.globs ?? LOGGING_DEFAULT_GLOBS, log.exclude ?? LOGGING_DEFAULT_EXCLUDE),
    };
  }
  let branch: BranchCheck | undefined;
  const br = packCfg('branch');
  if (br.on) {
    const d = descriptor('branch');
    branch = createBranchCheck(parseOptions('branch', branchOptionsSchema, br.options), d.id, d.name, d.severity);
  }
  const patterns: PatternRule[] = (config.rules ?? []).map(compilePatternRule);

  const rules: RuleDescriptor[] = [];
  if (security) rules.push(descriptor('security'));
  if (logging) rules.push(descriptor('logging'));
  if (branch) rules.push(descriptor('branch'));
  for (const p of patterns) if (!rules.some((r) => r.id === p.id)) rules.push({ id: p.id, name: p.name, severity: p.severity, description: p.description });

  const baseline = config.baseline;

  const checkTextDetailed = (relPathIn: string, text: string, languageId?: string) => {
    const relPath = normalizeRelPath(relPathIn);
    const index = new TextIndex(text);
    let found: Finding[] = [];
    if (security?.applies(relPath)) found = security.pack.check(relPath, index);
    if (logging?.applies(relPath)) {
      const lang = loggingLanguage(relPath, languageId);
      if (lang) found = found.concat(logging.pack.check(relPath, index, lang));
    }
    for (const p of patterns) if (p.applies(relPath)) found = found.concat(p.check(relPath, index));
    found = filterAllowed(found, index);
    let baselined = 0;
    if (baseline?.size) {
      const before = found.length;
      found = found.filter((f) => !baseline.has(f.fingerprint));
      baselined = before - found.length;
    }
    found.sort((a, b) => a.range.startLine - b.range.startLine || a.range.startColumn - b.range.startColumn || (a.ruleId < b.ruleId ? -1 : 1));
    return { findings: found, baselined };
  };

  const engine: PolicyEngine = {
    rules,
    checkTextDetailed,
    checkText: (relPath, text, languageId) => checkTextDetailed(relPath, text, languageId).findings,
    checkBranch(info) {
      if (!branch) return [];
      const found = branch(info);
      return baseline?.size ? found.filter((f) => !baseline.has(f.fingerprint)) : found;
    },
    checkTree: (fs, root, paths, options) =>
      checkTree(fs, root, paths, (rel, text) => checkTextDetailed(rel, text), { maxFileBytes: config.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES, ...options }),
    allowFix: (finding, text) => makeAllowFix(finding, new TextIndex(text)),
  };
  return engine;
}

const BASELINE_GLOB = '.llmgenie/policy-baseline.json';
