import * as vscode from 'vscode';
import { systemClock } from '../../core/platform/clock';
import { nodeFileSystem } from '../../core/platform/fileSystem';
import { WorkspaceSettingError } from '../../core/platform/workspacePath';
import { DecisionInputError, decisionLogPath, recordDecision } from '../../core/sessions/decisionLog';
import type { ExtensionServices } from '../services';
import type { EditorSessions } from './editorSession';

export const RECORD_DECISION = 'llmgenie.recordDecision';

interface Step {
  key: 'title' | 'context' | 'decision' | 'consequences';
  prompt: string;
  placeHolder: string;
  required: boolean;
}

const STEPS: Step[] = [
  { key: 'title', prompt: 'Title: what was decided, in a few words', placeHolder: 'e.g. Route test generation to the local model', required: true },
  { key: 'context', prompt: 'Context: the situation and forces behind it (optional)', placeHolder: 'e.g. Cloud cost doubled last week; local test answers pass review', required: false },
  { key: 'decision', prompt: 'Decision: what we will do', placeHolder: 'e.g. Set llmgenie.router.overrides.tests to local', required: true },
  { key: 'consequences', prompt: 'Consequences: what follows, good and bad (optional)', placeHolder: 'e.g. Lower cost; slower answers on big files', required: false },
];

/** "llmgenie: Record Decision": four input boxes, Esc at any step cancels without writing anything. */
export function registerRecordDecision(services: ExtensionServices, sessions: EditorSessions): void {
  services.command(RECORD_DECISION, () => run(services, sessions));
}

async function run(services: ExtensionServices, sessions: EditorSessions): Promise<void> {
  // The decision is the folder's the user is working in (the active editor's), else the first folder's.
  const folder = sessions.activeFolder;
  if (!folder) {
    void vscode.window.showWarningMessage('llmgenie: Open a folder to record decisions in its decision log.');
    return;
  }
  const answers: Partial<Record<Step['key'], string>> = {};
  for (const [i, step] of STEPS.entries()) {
    const value = await vscode.window.showInputBox({
      title: `llmgenie: Record Decision (${i + 1}/${STEPS.length})`,
      prompt: step.prompt,
      placeHolder: step.placeHolder,
      ignoreFocusOut: true,
      validateInput: (v) => (step.required && !v.trim() ? 'Required' : undefined),
    });
    if (value === undefined) return;
    answers[step.key] = value;
  }
  const { root } = folder;
  const logPath = folder.settings.decisionLog;
  let result;
  try {
    result = await recordDecision(
      nodeFileSystem,
      systemClock,
      { root, path: logPath, sink: folder.sink },
      { title: answers.title!, context: answers.context ?? '', decision: answers.decision!, consequences: answers.consequences },
    );
  } catch (e) {
    if (e instanceof DecisionInputError) {
      void vscode.window.showWarningMessage(`llmgenie: ${e.message}`);
      return;
    }
    // A refused llmgenie.decisionLog.path (outside the workspace, a link out of it): the message names the setting.
    if (e instanceof WorkspaceSettingError) {
      services.reportError(`setting:${e.setting}`, e.message);
      return;
    }
    services.reportError('decision-write', `could not write the decision log ${logPath}`, e);
    return;
  }
  if (result.sinkError) services.log.warn(`decision recorded, but not in the session log: ${result.sinkError}`);
  const file = vscode.Uri.file(decisionLogPath(root, logPath));
  const open = await vscode.window.showInformationMessage(`llmgenie: Decision "${result.entry.title}" recorded in ${vscode.workspace.asRelativePath(file)}.`, 'Open Decision Log');
  if (open) {
    const editor = await vscode.window.showTextDocument(file, { preview: false });
    const pos = new vscode.Position(Math.max(0, result.entry.line - 1), 0);
    editor.selection = new vscode.Selection(pos, pos);
    editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.AtTop);
  }
}
