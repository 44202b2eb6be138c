import * as vscode from 'vscode';
import { nodeFileSystem } from '../../core/platform/fileSystem';
import { BASELINE_PATH, baselineFingerprints, parseBaseline, type Baseline } from '../../core/policy/baseline';
import { createPolicyEngine, type PolicyEngine } from '../../core/policy/engine';
import { policyConfigFromParsedManifest } from '../../core/policy/manifestConfig';
import { applyPolicySettings, policySettingsFrom, POLICY_SETTING_KEYS, type PolicySettings } from '../../core/policy/policySettings';
import { PolicyConfigError, type PolicyConfig } from '../../core/policy/types';
import type { RegisteredRule, RulesLintResult } from '../../core/rules/registry';
import type { RulesDiagnostics } from '../rules/rulesDiagnostics';
import type { ExtensionServices } from '../services';

/** One workspace folder's policy: the engine, and where its rules live for "open the rule" links. */
export interface FolderPolicy {
  readonly folder: vscode.WorkspaceFolder;
  /** '/'-separated absolute path. */
  readonly root: string;
  /** `Uri.file(root).toString() + '/'`: the key prefix of every file in the folder. */
  readonly prefix: string;
  readonly engine: PolicyEngine;
  /** What the engine was built from; its JSON decides whether a rebuild changed anything. */
  readonly config: PolicyConfig;
  readonly rules: readonly RegisteredRule[];
  readonly manifestFile?: string;
  readonly baseline?: Baseline;
  readonly baselineFile: string;
}

export const toPosix = (p: string): string => p.replace(/\\/g, '/');
/** Diagnostics and findings are keyed by this one spelling of a file URI. */
export const keyOf = (uri: vscode.Uri): string => vscode.Uri.file(uri.fsPath).toString();

/**
 * Builds an engine per workspace folder from the rules registry's last lint (the manifest's enforce blocks, never
 * re-read here), the `llmgenie.policy.*` settings and the folder's baseline. `onDidChange` fires only when what
 * the engines enforce changed, not on every rules re-lint (which happens as someone types in a rule file).
 */
export class PolicyEngines implements vscode.Disposable {
  private folders = new Map<string, FolderPolicy>();
  private signature = '';
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readyResolve!: () => void;
  /** Resolves after the first build (the rules registry's first lint). */
  readonly ready = new Promise<void>((r) => (this.readyResolve = r));
  private building: Promise<void> = Promise.resolve();
  private settingsCache: PolicySettings | undefined;

  constructor(
    private readonly services: ExtensionServices,
    private readonly rules: RulesDiagnostics,
  ) {
    services.track(this.changed);
    services.track(rules.onDidChange(() => this.rebuild()));
    services.track(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('llmgenie.policy')) return;
        this.settingsCache = undefined;
        this.rebuild();
      }),
    );
    const watcher = services.track(vscode.workspace.createFileSystemWatcher(`**/${BASELINE_PATH}`));
    for (const ev of [watcher.onDidCreate, watcher.onDidChange, watcher.onDidDelete]) services.track(ev(() => this.rebuild()));
  }

  get settings(): PolicySettings {
    if (!this.settingsCache) {
      const config = vscode.workspace.getConfiguration();
      const values: Record<string, unknown> = {};
      for (const key of Object.values(POLICY_SETTING_KEYS)) values[key] = config.get(key);
      const { settings, problems } = policySettingsFrom(values);
      for (const p of problems) this.services.reportError(`policy-setting:${p}`, `setting ${p}`);
      this.settingsCache = settings;
    }
    return this.settingsCache;
  }

  all(): FolderPolicy[] {
    return [...this.folders.values()];
  }

  /** The folder policy of a file and the file's path relative to the folder; undefined outside local folders. */
  forUri(uri: vscode.Uri): { policy: FolderPolicy; rel: string } | undefined {
    if (uri.scheme !== 'file') return undefined;
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    const policy = folder && this.folders.get(folder.uri.toString());
    if (!policy) return undefined;
    const path = toPosix(uri.fsPath);
    return path.startsWith(`${policy.root}/`) ? { policy, rel: path.slice(policy.root.length + 1) } : undefined;
  }

  forFolderPath(path: string): FolderPolicy | undefined {
    return this.all().find((p) => path === p.root || path.startsWith(`${p.root}/`) || p.root.startsWith(`${path}/`));
  }

  /** The `.mdc` (or legacy) file a rule id is written in, for diagnostic links and "Open rule". */
  ruleFile(policy: FolderPolicy, ruleId: string): vscode.Uri | undefined {
    const r = policy.rules.find((x) => x.id === ruleId);
    return r ? vscode.Uri.file(r.file) : undefined;
  }

  /** Rebuilds soon; serialised so two quick triggers never interleave their baseline reads. */
  rebuild(): Promise<void> {
    this.building = this.building.then(() => this.build()).catch((e) => this.services.reportError('policy-build', 'could not load the policy rules', e));
    return this.building;
  }

  private async build(): Promise<void> {
    const results = new Map(this.rules.results().map((r) => [toPosix(r.root), r]));
    const next = new Map<string, FolderPolicy>();
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      if (folder.uri.scheme !== 'file') continue;
      const root = toPosix(folder.uri.fsPath).replace(/\/+$/, '');
      next.set(folder.uri.toString(), await this.buildFolder(folder, root, results.get(root)));
    }
    const signature = JSON.stringify([...next.values()].map(signatureOf));
    this.folders = next;
    this.readyResolve();
    if (signature === this.signature) return;
    this.signature = signature;
    this.changed.fire();
  }

  private async buildFolder(folder: vscode.WorkspaceFolder, root: string, result: RulesLintResult | undefined): Promise<FolderPolicy> {
    const manifest = policyConfigFromParsedManifest(result?.manifest);
    if (manifest.ignored) this.services.log.warn(`policy: ${folder.name}: ignoring the rules manifest's checks (${manifest.ignored}); the built-in packs still run`);
    const baselineFile = `${root}/${BASELINE_PATH}`;
    const baseline = await this.readBaseline(baselineFile);
    const base: PolicyConfig = { ...applyPolicySettings(manifest.config, this.settings), ...(baseline ? { baseline: baselineFingerprints(baseline) } : {}) };
    let config = base;
    let engine: PolicyEngine;
    try {
      engine = createPolicyEngine(config);
    } catch (e) {
      if (!(e instanceof PolicyConfigError)) throw e;
      // The team's rule has a mistake: say so once and keep the built-in packs enforcing rather than nothing.
      this.services.reportError(`policy-config:${root}:${e.message}`, `${folder.name}: rules_manifest.json: ${e.message}; using the built-in policy packs`);
      config = { ...applyPolicySettings({}, this.settings), ...(baseline ? { baseline: baselineFingerprints(baseline) } : {}) };
      engine = createPolicyEngine(config);
    }
    return {
      folder,
      root,
      prefix: `${vscode.Uri.file(root).toString()}/`,
      engine,
      config,
      rules: result?.rules ?? [],
      manifestFile: result?.manifestFile,
      baseline,
      baselineFile,
    };
  }

  private async readBaseline(file: string): Promise<Baseline | undefined> {
    if ((await nodeFileSystem.stat(file))?.kind !== 'file') return undefined;
    try {
      return parseBaseline(await nodeFileSystem.readText(file));
    } catch (e) {
      this.services.reportError(`policy-baseline:${file}`, `${file}: ${(e as Error).message}; accepted findings are reported again until it is fixed`);
      return undefined;
    }
  }

  dispose(): void {
    this.folders.clear();
  }
}

/** What decides the findings and their links: the config (settings and accepted fingerprints included) and rule files. */
function signatureOf(p: FolderPolicy): unknown {
  return [p.root, { ...p.config, baseline: p.config.baseline ? [...p.config.baseline].sort() : undefined }, p.rules.map((r) => [r.id, r.file]), p.manifestFile];
}
