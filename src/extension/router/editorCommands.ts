import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { newAnswerView, type AnswerEvent, type AnswerSource } from '../../core/router/answerView';
import { EDITOR_COMMAND_TITLES, buildEditorTask, contextCharBudget, type EditorCommand, type EditorTask } from '../../core/router/editorTasks';
import type { EditorRouterConfig } from '../../core/router/editorConfig';
import type { RunEvent, TaskResult } from '../../core/router/runTask';
import { decisionSummary, oneLine } from '../../core/router/taskSummary';
import type { ExtensionServices } from '../services';
import type { ProviderHelp } from './providerHelp';
import type { ResultsPanel } from './resultsPanel';
import type { RouterRuntime } from './routerRuntime';
import type { RouterStatus } from './routerStatus';

type PanelCommand = Exclude<EditorCommand, 'commit'>;

/** Command id → router command; the ids are contributed in package.json. */
export const PANEL_COMMANDS: ReadonlyArray<{ id: string; command: PanelCommand }> = [
  { id: 'llmgenie.router.explain', command: 'explain' },
  { id: 'llmgenie.router.refactor', command: 'refactor' },
  { id: 'llmgenie.router.writeTests', command: 'tests' },
  { id: 'llmgenie.router.review', command: 'review' },
  { id: 'llmgenie.router.ask', command: 'ask' },
];

/** Context that fits the window of the model the task may go to (the cloud's is large; Auto may pick local). */
export function contextBudget(config: EditorRouterConfig): number {
  const tokens = config.router.mode === 'cloud' ? 200_000 : (config.providers.localMaxContextTokens ?? 8192);
  return contextCharBudget(tokens, config.router.maxOutputTokens);
}

/** Router events as the results view's events (tool inputs as one short line). */
export function toAnswerEvent(e: RunEvent): AnswerEvent | undefined {
  switch (e.kind) {
    case 'route':
      return { kind: 'route', route: e.route, score: e.score, reasons: e.reasons };
    case 'delta':
      return e.text ? { kind: 'delta', text: e.text, provider: e.provider } : undefined;
    case 'notice':
      return { kind: 'notice', message: e.message, level: e.level };
    case 'switch':
      return { kind: 'switch', from: e.from, to: e.to, reason: oneLine(e.reason, 400) };
    case 'toolCall':
      return { kind: 'toolCall', provider: e.provider, name: e.call.name, input: oneLine(JSON.stringify(e.call.input), 300) };
  }
}

export function doneEvent(r: TaskResult): AnswerEvent {
  return {
    kind: 'done',
    answer: r.answer,
    metrics: {
      provider: r.provider, model: r.model, tokensIn: r.tokensIn, tokensOut: r.tokensOut, costUsd: r.costUsd, cloudCostUsd: r.cloudCostUsd,
      ...(r.ttftMs !== undefined ? { ttftMs: r.ttftMs } : {}), totalMs: r.totalMs, ok: r.ok, ...(r.error ? { error: oneLine(r.error, 1000) } : {}),
      escalated: r.escalated, ...(r.escalationReason ? { escalationReason: oneLine(r.escalationReason, 1000) } : {}),
    },
  };
}

export interface RouterParts {
  services: ExtensionServices;
  runtime: RouterRuntime;
  status: RouterStatus;
  panel: ResultsPanel;
  help: ProviderHelp;
}

/** Explain / Refactor / Write Tests / Review / Ask… on the selection (or the file), answered in the results panel. */
export function registerPanelCommands(parts: RouterParts): void {
  for (const { id, command } of PANEL_COMMANDS) {
    parts.services.track(vscode.commands.registerCommand(id, (uri?: unknown) => parts.services.isTrustedFor('Sending code to a model') && runPanelCommand(parts, command, uri instanceof vscode.Uri ? uri : undefined)));
  }
}

async function runPanelCommand(parts: RouterParts, command: PanelCommand, uri: vscode.Uri | undefined): Promise<void> {
  let editor = vscode.window.activeTextEditor;
  if (uri && editor?.document.uri.toString() !== uri.toString()) editor = await vscode.window.showTextDocument(uri, { preview: true });
  const config = parts.runtime.config();
  const title = EDITOR_COMMAND_TITLES[command];
  if (!editor && command !== 'ask') {
    void vscode.window.showInformationMessage(`llmgenie: Open a file and select code to ${title.toLowerCase()}.`);
    return;
  }
  let question: string | undefined;
  if (command === 'ask' || command === 'refactor') {
    const where = editor ? (editor.selection.isEmpty ? vscode.workspace.asRelativePath(editor.document.uri, false) : 'the selection') : undefined;
    question = await vscode.window.showInputBox({
      title: `llmgenie: ${command === 'ask' ? 'Ask' : 'Refactor'}`,
      prompt: command === 'ask' ? (where ? `Your question about ${where}` : 'Your question') : `Optional: what to change in ${where} (Enter for a general clean-up)`,
      placeHolder: command === 'ask' ? 'e.g. Why can this deadlock?' : 'e.g. extract the validation into a helper',
      ignoreFocusOut: true,
      validateInput: command === 'ask' ? (v) => (v.trim() ? undefined : 'Type a question, or press Escape') : undefined,
    });
    if (question === undefined) return;
  }

  let task: EditorTask;
  let source: AnswerSource | undefined;
  if (editor) {
    const doc = editor.document;
    const text = doc.getText();
    const start = doc.offsetAt(editor.selection.start);
    const end = doc.offsetAt(editor.selection.end);
    task = buildEditorTask(
      command,
      { fileName: doc.isUntitled ? doc.fileName : vscode.workspace.asRelativePath(doc.uri, false), languageId: doc.languageId, text, selection: { start, end }, cursor: doc.offsetAt(editor.selection.active) },
      { ...(question !== undefined ? { question } : {}), maxContextChars: contextBudget(config) },
    );
    // A whole-file answer replaces the file as it is when applied, so the file's text never travels to the webview.
    source = task.scope === 'selection' ? { uri: doc.uri.toString(), start, end, original: text.slice(start, end), scope: 'selection' } : { uri: doc.uri.toString(), start: 0, end: text.length, original: '', scope: 'file' };
  } else task = { input: { prompt: question!, command: 'ask' }, label: 'no file', scope: 'file' };

  await runInPanel(parts, title, task, source, config);
}

export async function runInPanel(parts: RouterParts, title: string, task: EditorTask, source: AnswerSource | undefined, config: EditorRouterConfig): Promise<void> {
  const { panel, runtime, status, services } = parts;
  const id = randomUUID();
  const ac = new AbortController();
  panel.start(
    newAnswerView({
      id, title, label: task.label, mode: config.router.mode,
      models: { ollama: config.providers.ollamaModel ?? '', anthropic: config.providers.claudeModel ?? '' },
      startedAt: Date.now(), ...(source ? { source } : {}),
    }),
    () => ac.abort(),
  );
  for (const p of config.problems) panel.event(id, { kind: 'notice', level: 'warning', message: `Setting ignored: ${p}` });
  if (task.truncated) panel.event(id, { kind: 'notice', level: 'info', message: `Context: ${task.truncated}.` });
  parts.help.retry = () => void runInPanel(parts, title, task, source, runtime.config());
  const done = status.busy(`${title} ${task.label}`);
  try {
    const result = await runtime.run(task.input, config, {
      signal: ac.signal,
      onEvent: (e) => {
        const ev = toAnswerEvent(e);
        if (ev) panel.event(id, ev);
      },
    });
    panel.event(id, doneEvent(result));
    status.setLastDecision(decisionSummary(title, result));
  } catch (e) {
    panel.event(id, { kind: 'notice', level: 'error', message: `Internal error: ${(e as Error).message}` });
    panel.event(id, doneEvent(failedResult(config, e)));
    services.reportError('router-task', 'a routed task failed unexpectedly', e);
  } finally {
    done();
  }
}

/** A result for a task that threw before the router could produce one (a bug, or a provider setup failure). */
function failedResult(config: EditorRouterConfig, e: unknown): TaskResult {
  return {
    command: 'ask', route: 'local', mode: config.router.mode, reasons: [], provider: 'ollama', model: config.providers.ollamaModel ?? '', escalated: false,
    tokensIn: 0, tokensOut: 0, costUsd: 0, cloudCostUsd: 0, totalMs: 0, ok: false, error: (e as Error).message ?? String(e),
    answer: '', notices: [], redactedSecrets: 0, conversation: { turns: [] },
  };
}
