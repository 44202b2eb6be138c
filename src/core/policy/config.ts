import type { ManifestEntry } from '../rules/manifest';
import type { PackConfig, PackName, PolicyConfig, PolicyRule } from './types';

export const PACK_NAMES: readonly PackName[] = ['security', 'logging', 'branch'];

const isPack = (k: string): k is PackName => (PACK_NAMES as readonly string[]).includes(k);

/**
 * Manifest entries as policy rules. An entry whose `enforce` block names a pack, or whose kind is a pack and that
 * declares no check of its own, configures that pack (its id, name, severity, globs, options); entries with
 * patterns or forbidden imports become pattern rules; the rest are instructions only.
 */
export function policyRulesFromManifest(entries: readonly ManifestEntry[]): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const e of entries) {
    const enforce = e.enforce ?? {};
    const ownCheck = Boolean(enforce.patterns?.length || enforce.forbiddenImports?.length);
    const pack = enforce.pack ?? (!ownCheck && isPack(e.kind) ? e.kind : undefined);
    if (!pack && !ownCheck) continue;
    // No severity written: the engine falls back to the pack's default (secrets: error), else 'warning'.
    out.push({ id: e.id, name: e.name, ...(e.severity ? { severity: e.severity } : {}), enforce: pack ? { ...enforce, pack } : enforce });
  }
  return out;
}

/** Folds rules into a config: pack rules configure their pack, the others stay pattern rules. */
export function policyConfigFromRules(rules: readonly PolicyRule[], base: PolicyConfig = {}): PolicyConfig {
  const packs: Partial<Record<PackName, PackConfig>> = { ...base.packs };
  const patternRules: PolicyRule[] = [...(base.rules ?? [])];
  for (const r of rules) {
    const e = r.enforce;
    if (e.pack) {
      packs[e.pack] = {
        ...packs[e.pack],
        enabled: e.enabled ?? true,
        ruleId: r.id,
        name: r.name,
        ...(r.severity ? { severity: r.severity } : {}),
        ...(e.globs ? { globs: e.globs } : {}),
        ...(e.exclude ? { exclude: e.exclude } : {}),
        ...(e.options ? { options: e.options } : {}),
      };
      // A pack rule may also carry its own patterns; those run as a pattern rule under the same id.
      if (e.patterns?.length || e.forbiddenImports?.length) patternRules.push({ ...r, enforce: { ...e, pack: undefined } });
    } else if (e.enabled !== false) {
      patternRules.push(r);
    }
  }
  return { ...base, packs, rules: patternRules };
}

/** `--no-pack security` and the like. */
export function withPacksDisabled(config: PolicyConfig, names: readonly PackName[]): PolicyConfig {
  const packs: Partial<Record<PackName, PackConfig>> = { ...config.packs };
  for (const n of names) packs[n] = { ...packs[n], enabled: false };
  return { ...config, packs };
}

export function isPackName(s: string): s is PackName {
  return isPack(s);
}
