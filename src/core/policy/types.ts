import type { EnforceBlock, Severity } from '../rules/enforce';

export type { Severity } from '../rules/enforce';

/** 0-based lines and UTF-16 columns, end exclusive (the editor's convention). */
export interface TextRange {
  readonly startLine: number;
  readonly startColumn: number;
  readonly endLine: number;
  readonly endColumn: number;
}

export interface TextEdit {
  readonly range: TextRange;
  readonly newText: string;
}

export interface Fix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
}

export interface Finding {
  readonly ruleId: string;
  readonly ruleName: string;
  readonly severity: Severity;
  /** Workspace-relative, '/'-separated; '' for repository-level findings (branch). */
  readonly file: string;
  readonly range: TextRange;
  /** Never contains a secret: secret findings quote only the mask. */
  readonly message: string;
  readonly fix?: Fix;
  /** Stable across line moves; the baseline stores it. Derived by hashing, never the raw secret. */
  readonly fingerprint: string;
  /** Security findings: the secret kind, e.g. `anthropic-api-key`. */
  readonly kind?: string;
}

export type PackName = 'security' | 'logging' | 'branch';

export interface PackConfig {
  readonly enabled?: boolean;
  /** Rule id the pack reports under; defaults 400 / 001 / 009. */
  readonly ruleId?: string;
  readonly name?: string;
  readonly severity?: Severity;
  /** Replace the pack's default globs. */
  readonly globs?: readonly string[];
  /** Replace the pack's default excludes. */
  readonly exclude?: readonly string[];
  readonly options?: Readonly<Record<string, unknown>>;
}

/** A team rule from the registry whose `enforce` block declares a check. */
export interface PolicyRule {
  id: string;
  name: string;
  severity?: Severity;
  enforce: EnforceBlock;
}

export interface PolicyConfig {
  readonly packs?: Readonly<Partial<Record<PackName, PackConfig>>>;
  readonly rules?: readonly PolicyRule[];
  /** Fingerprints of accepted findings (`.llmgenie/policy-baseline.json`). */
  readonly baseline?: ReadonlySet<string>;
  /** Files larger than this are skipped by checkTree. Default 1 MB. */
  readonly maxFileBytes?: number;
}

export interface SkippedFile {
  readonly file: string;
  readonly reason: string;
}

export interface TreeResult {
  readonly findings: Finding[];
  readonly skipped: SkippedFile[];
  /** Files actually checked. */
  readonly files: number;
  /** Findings hidden by the baseline. */
  readonly baselined: number;
}

/** Description of a rule for reports (SARIF `tool.driver.rules`). */
export interface RuleDescriptor {
  readonly id: string;
  readonly name: string;
  readonly severity: Severity;
  readonly description: string;
}

export class PolicyConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyConfigError';
  }
}
