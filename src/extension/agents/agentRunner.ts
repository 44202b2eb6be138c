import * as vscode from 'vscode';
import type { RunHandle } from '../../core/agents/runLauncher';
import type { BranchSummary, RunSummary } from '../../core/agents/runState';
import { loadEngine } from '../router/loadEngine';
import { getRouterRuntime } from '../router/routerRuntime';
import type { ExtensionServices } from '../services';
import { editorAgentSettings, openEditorBus } from './agentSettings';
import { editorCommandApprovals } from './editorApprovals';

export const SHOW_RUNS = 'llmgenie.agents.showRuns';

export type RunRequest = { kind: 'start'; tasks: string[] } | { kind: 'resume'; run: string };

/**
 * Runs started or resumed in this window: each shows its progress per branch in a notification (cancellable),
 * ends with a notification offering the branch's diff and package, and tells the Sessions tree when it moved.
 */
export class AgentRunner implements vscode.Disposable {
  private readonly live = new Map<string, RunHandle>();
  private readonly changed = new vscode.EventEmitter<string>();
  /** Fires with the run id after every step of a run of this window. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly services: ExtensionServices) {}

  handle(run: string): RunHandle | undefined {
    return this.live.get(run);
  }

  /** Starts (or resumes) a run in `folder` and follows it; resolves when it has ended. */
  async run(folder: vscode.WorkspaceFolder, request: RunRequest): Promise<RunSummary | undefined> {
    const root = folder.uri.fsPath.replace(/\\/g, '/');
    const runtime = getRouterRuntime(this.services);
    if (!runtime) throw new Error('the router did not start, so agents cannot call a model (see the llmgenie output)');
    const router = await runtime.agentRouter(root);
    const bus = await openEditorBus(this.services, root);
    const engine = loadEngine();
    const common = {
      root,
      router,
      approvals: editorCommandApprovals(this.services.context.globalState),
      trusted: vscode.workspace.isTrusted,
      settings: editorAgentSettings(folder.uri),
      ...(bus ? { bus } : {}),
    };
    let handle: RunHandle;
    try {
      handle = request.kind === 'start' ? engine.launchRun({ ...common, tasks: request.tasks }) : engine.resumeLaunch({ ...common, run: request.run });
    } catch (e) {
      await bus?.close();
      throw e;
    }
    this.live.set(handle.run, handle);
    this.services.log.info(`agents: ${request.kind === 'start' ? 'started' : 'resumed'} run ${handle.run} in ${root} (${handle.engine} bus)`);
    const stop = handle.onProgress(() => this.changed.fire(handle.run));
    this.changed.fire(handle.run);
    try {
      const summary = await this.follow(handle, request);
      this.notifyEnded(folder, summary);
      return summary;
    } finally {
      stop();
      this.live.delete(handle.run);
      this.changed.fire(handle.run);
      await bus?.close().catch(() => undefined);
    }
  }

  private follow(handle: RunHandle, request: RunRequest): Thenable<RunSummary> {
    const title = request.kind === 'start' ? `llmgenie agents (${request.tasks.length} task${request.tasks.length === 1 ? '' : 's'})` : `llmgenie agents: resuming ${request.run}`;
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
      token.onCancellationRequested(() => handle.cancel());
      let shown = 0;
      const report = (s: RunSummary) => {
        const fraction = stepFraction(s);
        progress.report({ message: progressLine(s), increment: Math.max(0, Math.round(fraction * 100) - shown) });
        shown = Math.max(shown, Math.round(fraction * 100));
      };
      progress.report({ message: 'preparing worktrees…' });
      const stop = handle.onProgress(report);
      try {
        return await handle.done;
      } finally {
        stop();
      }
    });
  }

  private notifyEnded(folder: vscode.WorkspaceFolder, s: RunSummary): void {
    const approved = s.branches.filter((b) => b.status === 'approved').length;
    const text = `llmgenie: agent run ${s.run} ${s.status === 'cancelled' ? 'was cancelled' : 'ended'}: ${approved}/${s.branches.length} approved. ${s.branches.map(branchLine).join('; ')}`;
    const actions = ['Show in Sessions', ...(s.branches.some((b) => b.handoff) ? ['Open Package'] : []), 'Open Diff'];
    const show = approved === s.branches.length && s.status !== 'cancelled' ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
    void show(text, ...actions).then((pick) => {
      if (pick === 'Show in Sessions') void vscode.commands.executeCommand(SHOW_RUNS);
      if (pick === 'Open Package') void vscode.commands.executeCommand('llmgenie.agents.openPackage', { run: s.run, root: folder.uri.fsPath });
      if (pick === 'Open Diff') void vscode.commands.executeCommand('llmgenie.agents.openDiff', { run: s.run, root: folder.uri.fsPath });
    });
  }

  dispose(): void {
    // Closing the window stops its runs; their journals say where, and Resume continues them.
    for (const h of this.live.values()) h.cancel();
    this.changed.dispose();
  }
}

const MARK: Record<string, string> = { done: '✓', failed: '✗', stopped: '■', running: '…' };

/** `clamp: librarian… · slugify: approved`: where each branch is. */
export function progressLine(s: RunSummary): string {
  return s.branches
    .map((b) => {
      const last = b.steps.at(-1);
      const where = b.status === 'running' && last ? `${last.role}${last.round > 1 ? ` #${last.round}` : ''}${MARK[last.status] ?? ''}` : b.status;
      return `${b.slug}: ${where}`;
    })
    .join(' · ');
}

/** Completed steps over the four of one round per branch: a rough bar, never going back. */
function stepFraction(s: RunSummary): number {
  if (!s.branches.length) return 0;
  const per = s.branches.map((b) => (b.status !== 'running' && b.status !== 'queued' ? 1 : Math.min(1, b.steps.filter((x) => x.status !== 'running').length / 4)));
  return per.reduce((a, b) => a + b, 0) / per.length;
}

function branchLine(b: BranchSummary): string {
  const parts: string[] = [b.status];
  if (b.handoff) parts.push(`package ${b.handoff.score}`);
  if (b.verdict?.verdict === 'request_changes') parts.push(`${b.verdict.findings} finding(s)`);
  return `${b.slug}: ${parts.join(', ')}${b.reason && b.status !== 'approved' ? ` (${b.reason})` : ''}`;
}
