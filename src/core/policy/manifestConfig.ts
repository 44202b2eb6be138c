import type { ParsedManifest } from '../rules/manifest';
import type { RuleProblem } from '../rules/problem';
import { policyConfigFromRules, policyRulesFromManifest } from './config';
import type { PolicyConfig } from './types';

export interface ManifestPolicy {
  readonly config: PolicyConfig;
  /** Set when the manifest is unusable as a whole (not JSON, no `rules` array): the built-in packs still run. */
  readonly ignored?: string;
  /**
   * Error-level problems. In a usable manifest only the entries they point at are left out: a typo in one entry
   * must not switch off every other team rule.
   */
  readonly problems: readonly RuleProblem[];
}

/** The policy config a workspace's rules manifest declares; `{}` (built-in packs only) without a manifest. */
export function policyConfigFromParsedManifest(parsed: ParsedManifest | undefined): ManifestPolicy {
  if (!parsed) return { config: {}, problems: [] };
  const problems = parsed.problems.filter((p) => p.severity === 'error');
  if (!parsed.usable) {
    const first = problems[0];
    return { config: {}, ignored: first ? `${first.line + 1}:${first.column + 1}: ${first.message}` : 'no rules array', problems };
  }
  return { config: policyConfigFromRules(policyRulesFromManifest(parsed.entries.map((e) => e.entry))), problems };
}
