import type { Manifest, ManifestEntry, RuleKind } from './manifest';
import type { RegisteredRule } from './registry';

/**
 * Builds the manifest from the rule files, keeping every existing entry's hand-edited fields (name, kind,
 * severity, enforce) and dropping entries whose file is gone. New rules get an id from their file name, made
 * unique, and a kind guessed from their name and description.
 */
export function generateManifest(rules: readonly RegisteredRule[], existing?: Manifest): { manifest: Manifest; added: string[]; removed: string[] } {
  const existingByFile = new Map((existing?.rules ?? []).map((e) => [e.file.replace(/^\.\//, ''), e]));
  const usedIds = new Set<string>();
  const entries: ManifestEntry[] = [];
  const added: string[] = [];
  for (const r of [...rules].sort((a, b) => a.relPath.localeCompare(b.relPath))) {
    const kept = existingByFile.get(r.relPath);
    if (kept && !usedIds.has(kept.id)) {
      entries.push(kept);
      usedIds.add(kept.id);
      continue;
    }
    let id = r.rule.declaredId ?? r.id;
    for (let n = 2; usedIds.has(id); n++) id = `${r.id}-${n}`;
    usedIds.add(id);
    const name = r.relPath.split('/').pop()!.replace(/\.mdc$/, '').replace(/^\d+[-_. ]*/, '') || id;
    const kind = guessKind(`${name} ${r.rule.description ?? ''}`);
    entries.push({ id, name, file: r.relPath, kind, severity: kind === 'security' ? 'error' : 'warning', ...(r.rule.description ? { description: r.rule.description } : {}) });
    added.push(id);
  }
  const present = new Set(entries.map((e) => e.file));
  const removed = (existing?.rules ?? []).filter((e) => !present.has(e.file.replace(/^\.\//, ''))).map((e) => e.id);
  entries.sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
  return { manifest: { ...(existing?.$schema ? { $schema: existing.$schema } : {}), version: 1, rules: entries }, added, removed };
}

function guessKind(text: string): RuleKind {
  const t = text.toLowerCase();
  if (/\b(secret|security|credential|token|password|auth)/.test(t)) return 'security';
  if (/\b(log|logging|console)/.test(t)) return 'logging';
  if (/\b(branch|git ?flow|commit)/.test(t)) return 'branch';
  if (/\b(style|format|naming|lint|convention)/.test(t)) return 'style';
  return 'other';
}

export function serializeManifest(m: Manifest): string {
  return `${JSON.stringify(m, null, 2)}\n`;
}
