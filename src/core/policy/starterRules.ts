// The starter set: three rule files (secrets, debug logging, branch names) and their manifest entries, so a
// repository without rules gets a team convention to edit rather than warnings nobody asked for. One function for
// the editor's offer, its command and the walkthrough's "first rule" step.
import type { FileSystem } from '../platform/fileSystem';
import { generateManifest, serializeManifest } from '../rules/generateManifest';
import type { Manifest } from '../rules/manifest';
import { loadRules, relativeTo, type RulesLintResult } from '../rules/registry';
import type { PackName } from './types';

export interface StarterRule {
  /** Workspace-relative. */
  readonly path: string;
  readonly pack: PackName;
  readonly text: string;
}

export const STARTER_RULES: readonly StarterRule[] = [
  {
    path: '.cursor/rules/001-logging.mdc',
    pack: 'logging',
    text: `---
description: No debugging output left in production code; use the project's logger.
globs: src/**/*.ts, src/**/*.js, src/**/*.py
alwaysApply: false
---
# Logging (001)

- Do not leave \`console.log\` or \`print(\` debugging in production code.
- Log through the project's logger instead. To have the quick fix put a logger call in its place, set
  \`"options": { "replacement": "logger.debug" }\` on this rule's \`enforce\` block in \`rules_manifest.json\`.
`,
  },
  {
    path: '.cursor/rules/009-branch-policy.mdc',
    pack: 'branch',
    text: `---
description: Work on feature branches named type/short-description; never commit to main directly.
globs: **/*
alwaysApply: true
---
# Branch policy (009)

Branch names follow \`feature/…\`, \`fix/…\`, \`chore/…\`, \`docs/…\` or \`refactor/…\`.
Never commit directly to \`main\`, \`master\` or \`release/*\`.
`,
  },
  {
    path: '.cursor/rules/400-security.mdc',
    pack: 'security',
    text: `---
description: Never hard-code secrets; read them from the environment or a secret store.
globs: **/*
alwaysApply: true
---
# Security (400)

API keys, tokens, passwords and private keys never appear in source files or prompts.
`,
  },
];

/** Whether the workspace has llmgenie rules of its own: a rule file or a rules manifest. */
export function hasWorkspaceRules(result: Pick<RulesLintResult, 'rules' | 'manifestFile'> | undefined): boolean {
  return !!result && (result.rules.length > 0 || result.manifestFile !== undefined);
}

export interface StarterRulesResult {
  /** Workspace-relative paths of the rule files written; files already there are kept as they are. */
  readonly written: string[];
  readonly kept: string[];
  /** Absolute path of the manifest written (created, or updated with the new entries). */
  readonly manifestFile: string;
  readonly manifest: Manifest;
}

export class StarterRulesError extends Error {}

/**
 * Writes the starter rule files that are missing and registers them in the rules manifest, each entry enforcing
 * its pack. Existing files and manifest entries are never overwritten; a manifest with errors is left alone.
 */
export async function addStarterRules(fs: FileSystem, root: string): Promise<StarterRulesResult> {
  const base = root.replace(/\\/g, '/').replace(/\/+$/, '');
  const before = await loadRules(fs, base);
  if (before.manifestFile && !before.manifest?.manifest) {
    throw new StarterRulesError(`${relativeTo(base, before.manifestFile)} has errors; fix them (see Problems) before adding the starter rules`);
  }
  const written: string[] = [];
  const kept: string[] = [];
  for (const r of STARTER_RULES) (await fs.createText(`${base}/${r.path}`, r.text) ? written : kept).push(r.path);

  const after = await loadRules(fs, base);
  const { manifest } = generateManifest(after.rules, before.manifest?.manifest);
  const packOf = new Map(STARTER_RULES.filter((r) => written.includes(r.path)).map((r) => [r.path, r.pack]));
  const rules = manifest.rules.map((e) => {
    const pack = packOf.get(e.file);
    return pack && !e.enforce ? { ...e, kind: pack, enforce: { pack } } : e;
  });
  const result: Manifest = { ...manifest, rules };
  const manifestFile = before.manifestFile ?? `${base}/rules_manifest.json`;
  await fs.writeText(manifestFile, serializeManifest(result));
  return { written, kept, manifestFile, manifest: result };
}
