import type { ParsedManifest } from '../rules/manifest';
import { policyConfigFromRules, policyRulesFromManifest } from './config';
import type { PolicyConfig } from './types';

/**
 * For policyRulesFromManifest, from an already parsed manifest (the editor's rules registry keeps the parse,
 * not the text). `rangeOf` falls back to the document start for a path that is absent, and no value inside the
 * root object can start there, so the start position tells a written severity from the schema's default.
 */
export function severityWrittenInParsed(parsed: ParsedManifest): (index: number) => boolean {
  return (index) => {
    const r = parsed.rangeOf(['rules', index, 'severity']);
    return r.line !== 0 || r.column !== 0;
  };
}

export interface ManifestPolicy {
  readonly config: PolicyConfig;
  /** Set when the manifest is unusable and its rules are ignored (the built-in packs still run), like the CLI. */
  readonly ignored?: string;
}

/** The policy config a workspace's rules manifest declares; `{}` (built-in packs only) without a manifest. */
export function policyConfigFromParsedManifest(parsed: ParsedManifest | undefined): ManifestPolicy {
  if (!parsed) return { config: {} };
  const errors = parsed.problems.filter((p) => p.severity === 'error');
  if (!parsed.manifest && errors.length) {
    const first = errors[0];
    return { config: {}, ignored: `${first.line + 1}:${first.column + 1}: ${first.message}` };
  }
  const written = severityWrittenInParsed(parsed);
  const entries = parsed.entries.map((e) => e.entry);
  return { config: policyConfigFromRules(policyRulesFromManifest(entries, (i) => written(parsed.entries[i].index))) };
}
