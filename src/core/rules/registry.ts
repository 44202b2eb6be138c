import { walkFiles, type FileSystem } from '../platform/fileSystem';
import { MANIFEST_LOCATIONS, normalizeRelPath, parseManifest, type ManifestEntry, type ParsedManifest } from './manifest';
import { problemAt, type RuleProblem } from './problem';
import { parseRuleFile, type RuleFile } from './ruleFile';

/** A rule as the rest of llmgenie sees it: the file's content joined with its manifest registration. */
export interface RegisteredRule {
  readonly id: string;
  readonly file: string;
  /** Workspace-relative path ('/'-separated) when the file is under the root. */
  readonly relPath: string;
  readonly rule: RuleFile;
  readonly entry?: ManifestEntry;
}

export interface RulesLintResult {
  readonly root: string;
  readonly rules: RegisteredRule[];
  readonly problems: RuleProblem[];
  readonly manifestFile?: string;
  readonly manifest?: ParsedManifest;
}

/** Rule files larger than this are not rules: reported, not parsed. */
export const MAX_RULE_FILE_BYTES = 1024 * 1024;

const isRuleFile = (rel: string) => rel.endsWith('.mdc');

/**
 * Loads the workspace's rules: `.cursor/rules/**\/*.mdc`, a legacy `.cursorrules`, and the manifest, then checks
 * manifest ⇄ files both ways. `paths` narrows the search to files or folders (folders are searched for `*.mdc`).
 */
export async function loadRules(fs: FileSystem, root: string, paths?: readonly string[]): Promise<RulesLintResult> {
  const problems: RuleProblem[] = [];
  const files = paths?.length ? await expandPaths(fs, paths, problems) : await defaultRuleFiles(fs, root);

  let manifestFile: string | undefined;
  let manifest: ParsedManifest | undefined;
  for (const loc of MANIFEST_LOCATIONS) {
    const candidate = `${root}/${loc}`;
    if ((await fs.stat(candidate))?.kind === 'file') {
      manifestFile = candidate;
      const text = await readTextSafe(fs, candidate, problems);
      if (text !== undefined) manifest = parseManifest(candidate, text);
      break;
    }
  }
  if (manifest) problems.push(...manifest.problems);

  const entriesByFile = new Map<string, { entry: ManifestEntry; index: number }>();
  for (const e of manifest?.entries ?? []) entriesByFile.set(normalizeRelPath(e.entry.file), e);

  const rules: RegisteredRule[] = [];
  for (const file of files) {
    const text = await readTextSafe(fs, file, problems);
    if (text === undefined) continue;
    const parsed = parseRuleFile(file, text);
    problems.push(...parsed.problems);
    const relPath = relativeTo(root, file);
    const reg = entriesByFile.get(relPath);
    rules.push({ id: reg?.entry.id ?? parsed.rule.declaredId ?? idFromFileName(file), file, relPath, rule: parsed.rule, entry: reg?.entry });
    if (manifest && !reg && relPath !== file) {
      problems.push(problemAt(file, 0, 0, 3, 'warning', 'rule-unregistered', `rule file is not registered in ${relativeTo(root, manifestFile!)}: run "llmgenie: Generate Rules Manifest"`));
    }
  }

  if (manifest) {
    for (const { entry, index } of manifest.entries) {
      const abs = `${root}/${normalizeRelPath(entry.file)}`;
      if ((await fs.stat(abs))?.kind !== 'file') {
        problems.push({ file: manifestFile!, ...manifest.rangeOf(['rules', index, 'file']), severity: 'error', code: 'manifest-missing-file', message: `rule ${entry.id}: file "${entry.file}" does not exist` });
      }
    }
  }
  return { root, rules, problems, manifestFile, manifest };
}

export function idFromFileName(file: string): string {
  const stem = file.split('/').pop()!.replace(/\.mdc$/, '').replace(/^\./, '');
  const numbered = /^(\d{2,4})(?:[-_. ]|$)/.exec(stem);
  return numbered ? numbered[1] : stem;
}

export function relativeTo(root: string, file: string): string {
  const prefix = root.endsWith('/') ? root : `${root}/`;
  return file.startsWith(prefix) ? file.slice(prefix.length) : file;
}

async function defaultRuleFiles(fs: FileSystem, root: string): Promise<string[]> {
  const out: string[] = [];
  for await (const f of walkFiles(fs, `${root}/.cursor/rules`, isRuleFile)) out.push(f);
  if ((await fs.stat(`${root}/.cursorrules`))?.kind === 'file') out.push(`${root}/.cursorrules`);
  return out.sort();
}

async function expandPaths(fs: FileSystem, paths: readonly string[], problems: RuleProblem[]): Promise<string[]> {
  const out = new Set<string>();
  for (const p of paths) {
    const st = await fs.stat(p);
    if (!st) problems.push(problemAt(p, 0, 0, 1, 'error', 'unreadable', `no such file or folder: ${p}`));
    else if (st.kind === 'directory') for await (const f of walkFiles(fs, p, isRuleFile)) out.add(f);
    else out.add(p);
  }
  return [...out].sort();
}

async function readTextSafe(fs: FileSystem, file: string, problems: RuleProblem[]): Promise<string | undefined> {
  try {
    const st = await fs.stat(file);
    if (st && st.size > MAX_RULE_FILE_BYTES) {
      problems.push(problemAt(file, 0, 0, 1, 'error', 'unreadable', `file is ${Math.round(st.size / 1024)} KB; rule files over 1 MB are not read`));
      return undefined;
    }
    const bytes = await fs.readBytes(file);
    if (bytes.subarray(0, 8192).includes(0)) {
      problems.push(problemAt(file, 0, 0, 1, 'error', 'unreadable', 'file is binary, not a rule file'));
      return undefined;
    }
    return new TextDecoder('utf-8').decode(bytes);
  } catch (e) {
    problems.push(problemAt(file, 0, 0, 1, 'error', 'unreadable', `cannot read file: ${(e as Error).message}`));
    return undefined;
  }
}
