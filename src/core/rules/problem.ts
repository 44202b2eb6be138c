/** A problem found in a rule file or the manifest. Lines and columns are 0-based; `file` is absolute. */
export interface RuleProblem {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly message: string;
  readonly severity: 'error' | 'warning' | 'info';
  /** Stable id of the check, used as the diagnostic code. */
  readonly code: RuleProblemCode;
}

export type RuleProblemCode =
  | 'front-matter-unclosed'
  | 'front-matter-syntax'
  | 'front-matter-key'
  | 'front-matter-type'
  | 'bad-glob'
  | 'manifest-syntax'
  | 'manifest-schema'
  | 'manifest-duplicate-id'
  | 'manifest-missing-file'
  | 'manifest-duplicate-file'
  | 'rule-unregistered'
  | 'no-manifest'
  | 'unreadable';

export function problemAt(
  file: string,
  line: number,
  column: number,
  length: number,
  severity: RuleProblem['severity'],
  code: RuleProblemCode,
  message: string,
): RuleProblem {
  return { file, line, column, endLine: line, endColumn: column + Math.max(length, 1), severity, code, message };
}
