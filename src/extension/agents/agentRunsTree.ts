import * as vscode from 'vscode';
import type { BranchDetail, RunDetail, StepDetail, StepHandoff, StepVerdict } from '../../core/agents/runDetail';
import { readRunDetail } from '../../core/agents/runDetail';
import type { RunList } from '../../core/agents/runStatus';
import { listRuns } from '../../core/agents/runStatus';
import type { ReviewFinding } from '../../core/agents/schemas';
import { nodeFileSystem } from '../../core/platform/fileSystem';
import { usd } from '../../core/sessions/describe';
import type { SessionsSection } from '../sessions/sessionsTree';

type RunRow = RunList['runs'][number];

/** The Agent runs section's nodes; commands from its context menu receive them (wrapped by the Sessions tree). */
export type AgentNode =
  | { t: 'group'; root: string; runs: RunRow[] }
  | { t: 'run'; root: string; row: RunRow; newest: boolean }
  | { t: 'branch'; root: string; run: string; branch: BranchDetail }
  | { t: 'step'; root: string; run: string; branch: BranchDetail; step: StepDetail }
  | { t: 'handoff'; root: string; run: string; branch: BranchDetail; handoff: StepHandoff; round: number }
  | { t: 'verdict'; root: string; run: string; branch: BranchDetail; verdict: StepVerdict; round: number }
  | { t: 'finding'; root: string; run: string; branch: BranchDetail; finding: ReviewFinding }
  | { t: 'gap'; text: string };

export const AGENT_CONTEXT = {
  run: 'llmgenie.agentRun',
  branch: 'llmgenie.agentBranch',
  handoff: 'llmgenie.agentHandoff',
  verdict: 'llmgenie.agentVerdict',
  finding: 'llmgenie.agentFinding',
} as const;

export const OPEN_FINDING = 'llmgenie.agents.openFinding';
export const OPEN_PACKAGE = 'llmgenie.agents.openPackage';

/**
 * "Agent runs" at the top of the Sessions view: run → branch → step → handoff / verdict → findings, read from
 * the runs' journals (core runStatus / runDetail), so runs of the CLI, MCP or another window show too.
 */
export class AgentRunsSection implements SessionsSection, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  /** Run details by run id, dropped on every change (a run's journal is small; re-reading is cheap). */
  private readonly details = new Map<string, Promise<RunDetail>>();

  constructor(
    private readonly roots_: () => string[],
    private readonly isLive: (run: string) => boolean,
  ) {}

  refresh(): void {
    this.details.clear();
    this.changed.fire();
  }

  async roots(): Promise<AgentNode[]> {
    const out: AgentNode[] = [];
    for (const root of this.roots_()) {
      const { runs } = await listRuns(nodeFileSystem, root);
      if (runs.length) out.push({ t: 'group', root, runs });
    }
    return out;
  }

  async children(n: unknown): Promise<AgentNode[]> {
    const node = n as AgentNode;
    switch (node.t) {
      case 'group':
        return node.runs.map((row, i) => ({ t: 'run', root: node.root, row, newest: i === 0 }));
      case 'run': {
        const d = await this.detail(node.root, node.row.run);
        return d.branches.map((branch) => ({ t: 'branch', root: node.root, run: node.row.run, branch }));
      }
      case 'branch':
        return node.branch.stepList.map((step) => ({ t: 'step', root: node.root, run: node.run, branch: node.branch, step }));
      case 'step': {
        const { step } = node;
        const base = { root: node.root, run: node.run, branch: node.branch, round: step.round };
        if (step.handoff) return [{ t: 'handoff', ...base, handoff: step.handoff }];
        if (step.verdict) return [{ t: 'verdict', ...base, verdict: step.verdict }];
        return [];
      }
      case 'handoff':
        return node.handoff.gaps.map((text) => ({ t: 'gap', text }));
      case 'verdict':
        return node.verdict.findings.map((finding) => ({ t: 'finding', root: node.root, run: node.run, branch: node.branch, finding }));
      default:
        return [];
    }
  }

  item(n: unknown): vscode.TreeItem {
    const node = n as AgentNode;
    switch (node.t) {
      case 'group':
        return groupItem(node);
      case 'run':
        return runItem(node, this.isLive(node.row.run));
      case 'branch':
        return branchItem(node);
      case 'step':
        return stepItem(node);
      case 'handoff':
        return handoffItem(node);
      case 'verdict':
        return verdictItem(node);
      case 'finding':
        return findingItem(node);
      case 'gap': {
        const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon('circle-small');
        item.tooltip = node.text;
        return item;
      }
    }
  }

  /** The run's detail for commands (Open Diff / Package from a notification). */
  detail(root: string, run: string): Promise<RunDetail> {
    const key = `${root}\0${run}`;
    let d = this.details.get(key);
    if (!d) {
      d = readRunDetail(nodeFileSystem, root, run);
      d.catch(() => this.details.delete(key));
      this.details.set(key, d);
    }
    return d;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : w.endsWith('ch') ? 'es' : 's'}`;

function localTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

function groupItem(node: AgentNode & { t: 'group' }): vscode.TreeItem {
  const item = new vscode.TreeItem('Agent runs', vscode.TreeItemCollapsibleState.Expanded);
  item.id = `agents:${node.root}`;
  const running = node.runs.filter((r) => r.status === 'running').length;
  item.description = `${plural(node.runs.length, 'run')}${running ? ` · ${running} running` : ''}`;
  item.iconPath = new vscode.ThemeIcon('git-branch');
  item.tooltip = 'Coder → librarian → reviewer runs of this workspace, one branch per task (.llmgenie/agents/runs/).';
  return item;
}

const RUN_ICONS: Record<string, [string, string?]> = {
  running: ['sync~spin'],
  finished: ['check-all', 'charts.green'],
  cancelled: ['circle-slash'],
  interrupted: ['debug-pause', 'charts.yellow'],
};

function runItem(node: AgentNode & { t: 'run' }, live: boolean): vscode.TreeItem {
  // A run this window is driving is running, whatever a read between its journal's first lines and its owner file
  // said (before the owner file is written, the journal alone looks like an interrupted run).
  const r = live && node.row.status === 'interrupted' ? { ...node.row, status: 'running' as const } : node.row;
  // A run still running gets its branches shown; the newest one too, so a finished run is not hidden away.
  const open = node.newest || r.status === 'running';
  const item = new vscode.TreeItem(`Run ${localTime(r.started)}`, open ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `agentRun:${node.root}:${r.run}`;
  const status = r.status === 'finished' ? `${r.approved}/${r.branches} approved` : r.status;
  item.description = `${status} · ${plural(r.branches, 'branch')} · ${usd(r.costUsd)}${live ? ' · this window' : ''}`;
  const [icon, color] = RUN_ICONS[r.status] ?? ['circle-outline'];
  item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
  item.contextValue = `${AGENT_CONTEXT.run}.${r.status === 'running' ? 'running' : r.status === 'interrupted' ? 'interrupted' : 'ended'}`;
  const tip = new vscode.MarkdownString();
  tip.appendMarkdown(`**Agent run ${r.run}**\n\n- Status: ${r.status}${r.status === 'interrupted' ? ' (its process is gone; Resume continues it)' : ''}\n`);
  tip.appendMarkdown(`- Started ${localTime(r.started)}, last message ${localTime(r.updated)}\n- ${r.approved} of ${plural(r.branches, 'branch')} approved; ${r.tokens} tokens, ${usd(r.costUsd)}; ${r.engine} bus\n`);
  item.tooltip = tip;
  return item;
}

const BRANCH_ICONS: Record<string, [string, string?]> = {
  queued: ['clock'],
  running: ['sync~spin'],
  approved: ['pass-filled', 'charts.green'],
  'changes-requested': ['request-changes', 'charts.yellow'],
  stopped: ['stop-circle', 'charts.red'],
  failed: ['error', 'charts.red'],
  cancelled: ['circle-slash'],
};

function branchItem(node: AgentNode & { t: 'branch' }): vscode.TreeItem {
  const b = node.branch;
  const item = new vscode.TreeItem(b.task, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `agentBranch:${node.root}:${node.run}:${b.slug}`;
  const current = b.state === 'running' ? b.stepList.at(-1) : undefined;
  // While it runs, where it is: "running: librarian (round 2)", so a person follows the branch without opening it.
  const parts: string[] = [current ? `running: ${current.role}${current.round > 1 ? ` (round ${current.round})` : ''}` : b.state];
  if (b.handoffScore !== undefined) parts.push(`package ${b.handoffScore}`);
  if (b.verdict === 'request_changes') parts.push(plural(b.findings ?? 0, 'finding'));
  item.description = `${parts.join(' · ')} · ${b.branch}`;
  const [icon, color] = BRANCH_ICONS[b.state] ?? ['circle-outline'];
  item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
  item.contextValue = b.handoffPackage ? `${AGENT_CONTEXT.branch}.withPackage` : AGENT_CONTEXT.branch;
  const tip = new vscode.MarkdownString();
  tip.appendMarkdown(`**${b.branch}**\n\n`);
  tip.appendText(`${b.task}\n\n`);
  tip.appendMarkdown(`- State: ${b.state}${b.reason ? ` — ${b.reason}` : ''}\n- Steps: ${b.steps || 'none yet'}\n`);
  if (b.handoffScore !== undefined) tip.appendMarkdown(`- Handoff package: ${b.handoffScore}${b.handoffPassed ? '' : ' (below the minimum)'}\n`);
  if (b.verdict) tip.appendMarkdown(`- Verdict: ${b.verdict}${b.findings ? `, ${plural(b.findings, 'finding')}` : ''}\n`);
  tip.appendMarkdown(`- ${b.tokens} tokens, ${usd(b.costUsd)}, ${(b.ms / 1000).toFixed(1)} s\n- Base ${b.base.slice(0, 8)}, head ${b.head.slice(0, 8)}; worktree \`${b.worktree}\``);
  item.tooltip = tip;
  return item;
}

const STEP_ICONS: Record<string, [string, string?]> = {
  running: ['loading~spin'],
  done: ['check', 'charts.green'],
  failed: ['error', 'charts.red'],
  stopped: ['stop-circle', 'charts.red'],
};
const ROLE_LABEL: Record<string, string> = { coder: 'Coder', policy: 'Policy check', librarian: 'Librarian', reviewer: 'Reviewer' };

function stepItem(node: AgentNode & { t: 'step' }): vscode.TreeItem {
  const s = node.step;
  const hasChild = !!(s.handoff || s.verdict);
  const item = new vscode.TreeItem(`${ROLE_LABEL[s.role] ?? s.role}${s.round > 1 ? ` (round ${s.round})` : ''}`, hasChild ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
  item.id = `agentStep:${node.root}:${node.run}:${node.branch.slug}:${s.role}:${s.round}`;
  const figures = s.status === 'running' ? 'running…' : `${s.status} · ${(s.ms / 1000).toFixed(1)} s${s.tokensIn + s.tokensOut ? ` · ${s.tokensIn + s.tokensOut} tokens` : ''}`;
  item.description = s.reason ? `${figures} · ${s.reason}` : figures;
  const [icon, color] = STEP_ICONS[s.status] ?? ['circle-outline'];
  item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
  item.tooltip = `${item.label as string}: ${item.description}`;
  return item;
}

function handoffItem(node: AgentNode & { t: 'handoff' }): vscode.TreeItem {
  const h = node.handoff;
  const item = new vscode.TreeItem(`Handoff package: ${h.score}/100`, h.gaps.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  item.id = `agentHandoff:${node.root}:${node.run}:${node.branch.slug}:${node.round}`;
  item.description = `${h.passed ? 'passed' : 'below'} the minimum ${h.minScore}${h.gaps.length ? ` · ${plural(h.gaps.length, 'gap')}` : ''}`;
  item.iconPath = new vscode.ThemeIcon('package', new vscode.ThemeColor(h.passed ? 'charts.green' : 'charts.yellow'));
  item.contextValue = AGENT_CONTEXT.handoff;
  item.tooltip = `${h.package} in ${node.branch.worktree}\nClick to open it in the handoff panel.`;
  item.command = { command: OPEN_PACKAGE, title: 'Open Package', arguments: [{ kind: 'section', node }] };
  return item;
}

function verdictItem(node: AgentNode & { t: 'verdict' }): vscode.TreeItem {
  const v = node.verdict;
  const approve = v.verdict === 'approve';
  const item = new vscode.TreeItem(`Verdict: ${approve ? 'approve' : 'request changes'}`, v.findings.length ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
  item.id = `agentVerdict:${node.root}:${node.run}:${node.branch.slug}:${node.round}`;
  item.description = `${v.findings.length ? `${plural(v.findings.length, 'finding')} · ` : ''}${v.summary}`;
  item.iconPath = new vscode.ThemeIcon(approve ? 'thumbsup' : 'comment-discussion', new vscode.ThemeColor(approve ? 'charts.green' : 'charts.yellow'));
  item.contextValue = AGENT_CONTEXT.verdict;
  item.tooltip = v.summary;
  return item;
}

const SEVERITY_ICONS: Record<string, [string, string]> = { error: ['error', 'charts.red'], warning: ['warning', 'charts.yellow'], info: ['info', 'charts.blue'] };

function findingItem(node: AgentNode & { t: 'finding' }): vscode.TreeItem {
  const f = node.finding;
  const item = new vscode.TreeItem(`${f.path}:${f.line}`, vscode.TreeItemCollapsibleState.None);
  item.description = f.message;
  const [icon, color] = SEVERITY_ICONS[f.severity] ?? ['circle-small', 'foreground'];
  item.iconPath = new vscode.ThemeIcon(icon, new vscode.ThemeColor(color));
  item.contextValue = AGENT_CONTEXT.finding;
  const tip = new vscode.MarkdownString();
  tip.appendMarkdown(`**${f.severity}** at \`${f.path}:${f.line}\`\n\n`);
  tip.appendText(f.message);
  if (f.suggestion) tip.appendText(`\n\nSuggestion: ${f.suggestion}`);
  item.tooltip = tip;
  item.command = { command: OPEN_FINDING, title: 'Open Finding', arguments: [{ kind: 'section', node }] };
  return item;
}
