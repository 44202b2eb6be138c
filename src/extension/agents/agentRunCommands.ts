import * as vscode from 'vscode';
import { createAgentGit } from '../../core/agents/git';
import type { BranchDetail } from '../../core/agents/runDetail';
import { cancelRun, cleanRuns, formatCleaned } from '../../core/agents/runControl';
import { listRuns } from '../../core/agents/runStatus';
import { nodeFileSystem } from '../../core/platform/fileSystem';
import { nodeGitRunner } from '../../core/platform/git';
import type { ExtensionServices } from '../services';
import type { AgentRunner } from './agentRunner';
import { SHOW_RUNS } from './agentRunner';
import { OPEN_FINDING, OPEN_PACKAGE, type AgentNode, type AgentRunsSection } from './agentRunsTree';
import { openBranchDiff } from './branchDiff';

/** What the commands receive: a Sessions tree node, `{ run, root }` from a notification, or nothing (palette). */
type Arg = { kind?: string; node?: AgentNode; run?: string; root?: string } | undefined;

interface Target {
  root: string;
  run: string;
  branch?: BranchDetail;
}

export function registerAgentRunCommands(services: ExtensionServices, runner: AgentRunner, section: AgentRunsSection, roots: () => string[]): void {
  /** The run (and branch) an argument names; a pick among the workspace's runs when it names none. */
  const target = async (arg: Arg, verb: string, filter: (status: string) => boolean = () => true): Promise<Target | undefined> => {
    const n = arg?.kind === 'section' ? arg.node : undefined;
    if (n && 'run' in n && typeof n.run === 'string') return { root: n.root, run: n.run, ...('branch' in n ? { branch: n.branch } : {}) };
    if (n?.t === 'run') return { root: n.root, run: n.row.run };
    if (arg?.run && arg.root) return { root: arg.root.replace(/\\/g, '/'), run: arg.run };
    const items: Array<vscode.QuickPickItem & { root: string; run: string }> = [];
    for (const root of roots()) for (const r of (await listRuns(nodeFileSystem, root)).runs) if (filter(r.status)) items.push({ label: r.run, description: `${r.status} · ${r.branches} branch(es), ${r.approved} approved`, root, run: r.run });
    if (!items.length) {
      void vscode.window.showInformationMessage(`llmgenie: no agent run to ${verb}.`);
      return undefined;
    }
    const pick = items.length === 1 ? items[0] : await vscode.window.showQuickPick(items, { placeHolder: `${verb[0]!.toUpperCase()}${verb.slice(1)} which agent run?` });
    return pick ? { root: pick.root, run: pick.run } : undefined;
  };

  /** A branch of the target: the one it names, the only one, or a pick. */
  const branchOf = async (t: Target, verb: string, ok: (b: BranchDetail) => boolean = () => true): Promise<BranchDetail | undefined> => {
    if (t.branch) return t.branch;
    const branches = (await section.detail(t.root, t.run)).branches.filter(ok);
    if (branches.length <= 1) {
      if (!branches.length) void vscode.window.showInformationMessage(`llmgenie: no branch of run ${t.run} to ${verb}.`);
      return branches[0];
    }
    const pick = await vscode.window.showQuickPick(
      branches.map((b) => ({ label: b.task, description: `${b.state} · ${b.branch}`, b })),
      { placeHolder: `${verb[0]!.toUpperCase()}${verb.slice(1)} of which branch?` },
    );
    return pick?.b;
  };

  services.command('llmgenie.agents.openDiff', async (arg?: Arg) => {
    const t = await target(arg, 'open the diff of');
    const b = t && (await branchOf(t, 'open the diff'));
    if (t && b) await openBranchDiff(t.root, b);
  });

  services.command(OPEN_PACKAGE, async (arg?: Arg) => {
    const t = await target(arg, 'open the package of');
    const n = arg?.kind === 'section' ? arg.node : undefined;
    const b = t && (await branchOf(t, 'open the package', (x) => !!x.handoffPackage));
    if (!t || !b) return;
    const pkg = n?.t === 'handoff' ? n.handoff.package : b.handoffPackage;
    if (!pkg) {
      void vscode.window.showInformationMessage(`llmgenie: ${b.branch} has no handoff package yet.`);
      return;
    }
    const uri = vscode.Uri.file(`${b.worktree}/${pkg}`);
    if (!(await nodeFileSystem.stat(uri.fsPath))) {
      void vscode.window.showWarningMessage(`llmgenie: the worktree of ${b.branch} was cleaned; the package is committed on the branch (${pkg}).`);
      return;
    }
    await vscode.commands.executeCommand('llmgenie.handoff.openPanel', uri);
  });

  services.command(OPEN_FINDING, async (arg?: Arg) => {
    const n = arg?.kind === 'section' ? arg.node : undefined;
    if (n?.t !== 'finding') return;
    const uri = vscode.Uri.file(`${n.branch.worktree}/${n.finding.path}`);
    if (!(await nodeFileSystem.stat(uri.fsPath))) {
      void vscode.window.showWarningMessage(`llmgenie: ${n.finding.path} is not in the worktree of ${n.branch.branch} (cleaned, or removed by a later round).`);
      return;
    }
    const line = Math.max(0, n.finding.line - 1);
    await vscode.window.showTextDocument(uri, { selection: new vscode.Range(line, 0, line, 0), preview: true });
  });

  services.command('llmgenie.agents.cancel', async (arg?: Arg) => {
    const t = await target(arg, 'cancel', (s) => s === 'running' || s === 'interrupted');
    if (!t) return;
    const live = runner.handle(t.run);
    if (live) {
      live.cancel();
      return; // the run's own notification says when it has stopped
    }
    const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `llmgenie: cancelling ${t.run}…` }, () => cancelRun(nodeFileSystem, t.root, t.run));
    section.refresh();
    const show = r.outcome === 'timeout' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    void show(`llmgenie: ${r.detail}`);
  });

  services.command('llmgenie.agents.resume', async (arg?: Arg) => {
    if (!services.isTrustedFor('Resuming agents (they write files, commit and run the check command)')) return;
    const t = await target(arg, 'resume', (s) => s === 'interrupted');
    if (!t) return;
    const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.fsPath.replace(/\\/g, '/') === t.root);
    if (!folder) throw new Error(`${t.root} is not open in this window`);
    await runner.run(folder, { kind: 'resume', run: t.run });
  });

  services.command('llmgenie.agents.clean', async (arg?: Arg) => {
    if (!services.isTrustedFor('Cleaning agent worktrees (it runs git)')) return;
    const t = await target(arg, 'clean', (s) => s !== 'running');
    if (!t) return;
    const list = await cleanRuns(nodeFileSystem, createAgentGit(nodeGitRunner), t.root, t.run);
    section.refresh();
    const kept = list.filter((c) => !c.removed);
    services.log.info(`agents clean ${t.run}:\n${formatCleaned(list)}`);
    const text = `llmgenie: run ${t.run}: ${list.length - kept.length} worktree(s) removed, branches kept${kept.length ? `; ${kept.length} kept: ${kept.map((k) => k.reason).join('; ')}` : ''}.`;
    void (kept.length ? vscode.window.showWarningMessage : vscode.window.showInformationMessage)(text);
  });

  services.command(SHOW_RUNS, () => vscode.commands.executeCommand('llmgenie.sessions.focus'));
}
