import * as vscode from 'vscode';
import type { Finding } from '../../core/policy/types';
import { activateGit, type GitExtension, type GitRepository } from '../git';
import type { ExtensionServices } from '../services';
import { OPEN_RULE } from './policyCodeActions';
import type { PlacedFinding, PolicyDiagnostics } from './policyDiagnostics';
import { keyOf, toPosix, type FolderPolicy, type PolicyEngines } from './policyEngines';

interface BranchProblem {
  readonly policy: FolderPolicy;
  readonly finding: Finding;
  readonly branch: string;
  readonly kind: 'protected' | 'name';
}

/**
 * Branch policy (rule 009) in the editor: the git extension's repository state gives the branch and whether the
 * tree has changes; a finding shows as a warning status-bar item (click: open the rule) and as a Problem on the
 * rule's file. The rule file is where the Problems panel entry helps most: one click opens the policy that says
 * what to do, where a folder-level entry would have nothing to open.
 */
export class BranchStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('llmgenie.policy.branch', vscode.StatusBarAlignment.Left, -100);
  private readonly repos = new Map<string, { repo: GitRepository; sub: vscode.Disposable }>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly services: ExtensionServices,
    private readonly engines: PolicyEngines,
    private readonly diagnostics: PolicyDiagnostics,
  ) {
    this.item.name = 'llmgenie Branch Policy';
    this.disposables.push(engines.onDidChange(() => this.update()));
  }

  /** Activates the git extension lazily (never during our own activation). */
  async start(): Promise<void> {
    const activation = await activateGit();
    if (!activation.ok) {
      if (activation.reason === 'missing') this.services.log.info('policy: the built-in git extension is not available; the branch policy is not checked in the editor (llmgenie check still does)');
      else this.services.log.warn(`policy: the git extension failed to start; branch policy skipped: ${String(activation.error)}`);
      return;
    }
    const git = activation.git;
    if (!git.enabled) {
      this.services.log.info('policy: git is disabled (git.enabled); branch policy waits for it');
      this.disposables.push(git.onDidChangeEnablement((on) => on && this.attach(git)));
      return;
    }
    this.attach(git);
  }

  private attach(git: GitExtension): void {
    const api = git.getAPI(1);
    for (const repo of api.repositories) this.add(repo);
    this.disposables.push(
      api.onDidOpenRepository((repo) => this.add(repo)),
      api.onDidCloseRepository((repo) => {
        const key = repo.rootUri.toString();
        this.repos.get(key)?.sub.dispose();
        this.repos.delete(key);
        this.update();
      }),
    );
    this.update();
  }

  private add(repo: GitRepository): void {
    const key = repo.rootUri.toString();
    if (this.repos.has(key)) return;
    this.repos.set(key, { repo, sub: repo.state.onDidChange(() => this.update()) });
    this.update();
  }

  update(): void {
    const problems: BranchProblem[] = [];
    for (const { repo } of this.repos.values()) {
      const policy = this.engines.forFolderPath(toPosix(repo.rootUri.fsPath).replace(/\/+$/, ''));
      if (!policy) continue;
      const s = repo.state;
      const branch = s.HEAD?.name;
      const hasChanges = [s.workingTreeChanges, s.indexChanges, s.mergeChanges, s.untrackedChanges ?? []].some((l) => l.length > 0);
      const findings = policy.engine.checkBranch({ branch, hasChanges });
      if (!branch || !findings.length) continue;
      // A name that breaks the pattern is reported with or without changes; a protected branch only with them.
      const kind = policy.engine.checkBranch({ branch, hasChanges: false }).length ? 'name' : 'protected';
      for (const finding of findings) problems.push({ policy, finding, branch, kind });
    }
    for (const policy of this.engines.all()) {
      const placed = new Map<string, PlacedFinding[]>();
      for (const p of problems.filter((x) => x.policy === policy)) {
        const where = this.placeOf(policy, p.finding.ruleId);
        if (!where) continue;
        const list = placed.get(where.key) ?? [];
        list.push({ finding: p.finding, range: where.range });
        placed.set(where.key, list);
      }
      this.diagnostics.setPlaced(policy, placed);
    }
    this.render(problems);
  }

  /** The rule's file at its description line, else the manifest; nothing when neither exists. */
  private placeOf(policy: FolderPolicy, ruleId: string): { key: string; range: vscode.Range } | undefined {
    const rule = policy.rules.find((r) => r.id === ruleId);
    if (rule) {
      const line = rule.rule.keyLines.description ?? 0;
      return { key: keyOf(vscode.Uri.file(rule.file)), range: new vscode.Range(line, 0, line, 1000) };
    }
    return policy.manifestFile ? { key: keyOf(vscode.Uri.file(policy.manifestFile)), range: new vscode.Range(0, 0, 0, 1) } : undefined;
  }

  private render(problems: readonly BranchProblem[]): void {
    const first = problems[0];
    if (!first) {
      this.item.hide();
      return;
    }
    const { finding, branch, kind, policy } = first;
    this.item.text = `$(git-branch) ${branch}: ${kind === 'protected' ? 'protected' : 'branch name'}`;
    this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    const tip = new vscode.MarkdownString(`**llmgenie branch policy**: rule ${finding.ruleId} (${finding.ruleName})\n\n`);
    for (const p of problems) tip.appendText(`${p.finding.message}\n\n`);
    tip.appendMarkdown('Click to open the rule.');
    this.item.tooltip = tip;
    this.item.command = { command: OPEN_RULE, title: `Open rule ${finding.ruleId}`, arguments: [finding.ruleId, policy.folder.uri.toString()] };
    this.item.accessibilityInformation = { label: `Branch policy: ${finding.message}` };
    this.item.show();
  }

  dispose(): void {
    for (const { sub } of this.repos.values()) sub.dispose();
    this.repos.clear();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.item.dispose();
  }
}
