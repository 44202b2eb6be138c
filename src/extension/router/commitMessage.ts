import * as vscode from 'vscode';
import { commitMessageFromAnswer } from '../../core/router/commitMessage';
import { buildCommitTask, EDITOR_COMMAND_TITLES } from '../../core/router/editorTasks';
import { decisionSummary } from '../../core/router/taskSummary';
import { gitApi, type GitApi, type GitRepository } from '../git';
import type { RouterParts } from './editorCommands';

export const COMMIT_MESSAGE = 'llmgenie.router.commitMessage';

/** The repository the SCM title button was clicked on, else the one holding the active file, else the only one. */
function pickRepository(api: GitApi, arg: unknown): GitRepository | undefined {
  const root = (arg as { rootUri?: vscode.Uri } | undefined)?.rootUri?.toString();
  const byArg = root ? api.repositories.find((r) => r.rootUri.toString() === root) : undefined;
  if (byArg) return byArg;
  const active = vscode.window.activeTextEditor?.document.uri.fsPath;
  const byFile = active
    ? api.repositories.filter((r) => active.startsWith(r.rootUri.fsPath)).sort((a, b) => b.rootUri.fsPath.length - a.rootUri.fsPath.length)[0]
    : undefined;
  return byFile ?? api.repositories[0];
}

/** "Generate Commit Message": the staged diff (or, with nothing staged, the unstaged one) → the SCM input box. */
export function registerCommitMessage(parts: RouterParts): void {
  parts.services.command(COMMIT_MESSAGE, (arg?: unknown) => parts.services.isTrustedFor('Generating a commit message') && generate(parts, arg));
}

async function generate(parts: RouterParts, arg: unknown): Promise<void> {
  const { runtime, status, services } = parts;
  const api = await gitApi();
  const repo = api && pickRepository(api, arg);
  if (!repo) {
    void vscode.window.showInformationMessage('llmgenie: No git repository is open (the built-in Git extension finds none).');
    return;
  }
  let diff = await repo.diff(true);
  let what = 'staged changes';
  if (!diff.trim()) {
    diff = await repo.diff(false);
    what = 'unstaged changes (nothing is staged)';
  }
  if (!diff.trim()) {
    void vscode.window.showInformationMessage('llmgenie: No changes to describe: stage some first.');
    return;
  }
  const config = runtime.config();
  const task = buildCommitTask(diff);
  const title = EDITOR_COMMAND_TITLES.commit;
  const done = status.busy(`${title} for ${what}`);
  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `llmgenie: Writing a commit message for the ${what}…`, cancellable: true },
      (_progress, token) => {
        const ac = new AbortController();
        const sub = token.onCancellationRequested(() => ac.abort());
        return runtime.run(task.input, config, { signal: ac.signal, folder: repo.rootUri }).finally(() => sub.dispose());
      },
    );
    status.setLastDecision(decisionSummary(title, result));
    if (result.error === 'cancelled') return;
    // Checked before it is written: a reply that is not a commit message is reported, the box keeps what it had.
    const message = commitMessageFromAnswer(result.answer);
    if (!message.ok) {
      const why = result.error ?? message.reason;
      services.log.warn(`commit message not written: ${why}; the reply was ${JSON.stringify(result.answer.slice(0, 500))}`);
      void vscode.window.showErrorMessage(`llmgenie: No commit message written: ${why}.`);
      return;
    }
    repo.inputBox.value = message.message.text;
    const notes = result.notices.length ? ` ${result.notices.join(' ')}` : '';
    // A diff cut for the model's window is one of the notices.
    if (result.escalated || result.notices.length) void vscode.window.showInformationMessage(`llmgenie: Commit message written by ${result.model}.${notes}`);
  } catch (e) {
    services.reportError('router-commit', 'could not write a commit message', e);
  } finally {
    done();
  }
}
