import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { newAnswerView, type AnswerSource } from '../../core/router/answerView';
import { EDITOR_COMMAND_TITLES, buildEditorTask, type EditorCommand, type EditorTask } from '../../core/router/editorTasks';
import type { EditorRouterConfig } from '../../core/router/editorConfig';
import { doneEvent, failedResult, toAnswerEvent } from '../../core/router/answerEvents';
import type { TaskResult } from '../../core/router/runTask';
import { decisionSummary } from '../../core/router/taskSummary';
import type { ExtensionServices } from '../services';
import type { ProviderHelp } from './providerHelp';
import type { ResultsPanel } from './resultsPanel';
import { describeFailure, type FailureContext } from '../../core/router/failure';
import type { KeySource } from './apiKey';
import type { ProviderTrouble, RouterRuntime } from './routerRuntime';
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

export { doneEvent, toAnswerEvent } from '../../core/router/answerEvents';

export interface RouterParts {
  services: ExtensionServices;
  runtime: RouterRuntime;
  status: RouterStatus;
  panel: ResultsPanel;
  help: ProviderHelp;
}

/** Explain / Refactor / Write Tests / Review / Ask… on the selection (or the file), answered in the results panel. */
export function registerPanelCommands(parts: RouterParts): void {
  parts.panel.actions = {
    rerun: (id, target) => rerunShown(parts, id, target),
    accepted: (id, how) => acceptedShown(parts, id, how),
    retry: (id) => retryShown(parts, id),
  };
  for (const { id, command } of PANEL_COMMANDS) {
    parts.services.command(id, (uri?: unknown) => parts.services.isTrustedFor('Sending code to a model') && runPanelCommand(parts, command, uri instanceof vscode.Uri ? uri : undefined));
  }
}

async function runPanelCommand(parts: RouterParts, command: PanelCommand, uri: vscode.Uri | undefined): Promise<void> {
  let editor = parts.panel.editorForTask();
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
      question !== undefined ? { question } : {},
    );
    // A whole-file answer replaces the file as it is when applied, so the file's text never travels to the webview.
    source = task.scope === 'selection' ? { uri: doc.uri.toString(), start, end, original: text.slice(start, end), scope: 'selection' } : { uri: doc.uri.toString(), start: 0, end: text.length, original: '', scope: 'file' };
  } else task = { input: { prompt: question!, command: 'ask' }, label: 'no file', scope: 'file' };

  await runInPanel(parts, title, task, source, config);
}

/** What a re-run needs of a task shown in the panel: the task itself and how it went. Newest last, bounded. */
interface ShownTask {
  title: string;
  task: EditorTask;
  source: AnswerSource | undefined;
  result?: TaskResult;
  /** Feedback already recorded for it (an applied answer copied twice is one example). */
  recorded: Set<string>;
  /** How it was run (a forced side), so Retry runs it the same way. */
  run: PanelRunOptions;
}
const shown = new Map<string, ShownTask>();
const MAX_SHOWN = 20;

export interface PanelRunOptions {
  /** Re-run on one side at the user's request: the mode is forced for this run only. */
  force?: 'local' | 'cloud';
  /** Banner explaining the run (e.g. "Re-run on Claude at your request"). */
  note?: string;
}

export async function runInPanel(parts: RouterParts, title: string, task: EditorTask, source: AnswerSource | undefined, baseConfig: EditorRouterConfig, run: PanelRunOptions = {}): Promise<void> {
  const { panel, runtime, status, services } = parts;
  const config: EditorRouterConfig = run.force ? { ...baseConfig, router: { ...baseConfig.router, mode: run.force } } : baseConfig;
  const id = randomUUID();
  const ac = new AbortController();
  const entry: ShownTask = { title, task, source, recorded: new Set(), run };
  shown.set(id, entry);
  for (const k of [...shown.keys()].slice(0, Math.max(0, shown.size - MAX_SHOWN))) shown.delete(k);
  panel.start(
    newAnswerView({
      id, title, label: task.label, mode: config.router.mode,
      models: { ollama: config.providers.ollamaModel ?? '', anthropic: config.providers.claudeModel ?? '' },
      startedAt: Date.now(), ...(source ? { source } : {}),
    }),
    () => ac.abort(),
  );
  for (const p of config.problems) panel.event(id, { kind: 'notice', level: 'warning', message: `Setting ignored: ${p}` });
  if (run.note) panel.event(id, { kind: 'notice', level: 'info', message: run.note });
  parts.help.retry = () => void runInPanel(parts, title, task, source, runtime.config(), run);
  const done = status.busy(`${title} ${task.label}`);
  // Held until the task ends: a failure is told once, on the answer's card; toasts are for problems the router
  // worked around (Ollama down but Claude answered), where nothing else says it.
  const troubles: ProviderTrouble[] = [];
  const toldBefore = new Set(services.shown);
  try {
    const result = await runtime.run(
      { ...task.input, id },
      config,
      {
        signal: ac.signal,
        ...(source ? { folder: vscode.Uri.parse(source.uri) } : {}),
        onEvent: (e) => {
          const ev = toAnswerEvent(e);
          if (ev) panel.event(id, ev);
        },
      },
      (t) => troubles.push(t),
    );
    entry.result = result;
    if (result.failure) {
      const { keySource } = await runtime.providers();
      panel.event(id, { kind: 'failure', failure: describeFailure(result.failure, failureContext(config, keySource)) });
    } else for (const t of troubles) parts.help.onTrouble(t, toldBefore);
    panel.event(id, doneEvent(result));
    status.setLastDecision(decisionSummary(title, result));
  } catch (e) {
    panel.event(id, { kind: 'notice', level: 'error', message: `Internal error: ${(e as Error).message}` });
    panel.event(id, doneEvent(failedResult(config.router.mode, config.providers.ollamaModel ?? '', e)));
    services.reportError('router-task', 'a routed task failed unexpectedly', e);
  } finally {
    done();
  }
}

/**
 * The answer view's "Re-run on Claude" / "Try locally": the same task, forced to the other side for this run. A
 * re-run of a local answer on Claude is a labelled example for this workspace (the user did not trust it).
 */
export async function rerunShown(parts: RouterParts, id: string, target: 'ollama' | 'anthropic'): Promise<string | undefined> {
  const entry = shown.get(id);
  if (!entry) return 'this answer is from before a reload; run the command again';
  const r = entry.result;
  if (target === 'anthropic' && r?.provider === 'ollama' && !entry.recorded.has('rerun-cloud')) {
    entry.recorded.add('rerun-cloud');
    await parts.runtime.recordFeedback({ ...entry.task.input, id }, r, 'rerun-cloud', 'the user re-ran the local answer on Claude');
  }
  const note = target === 'anthropic' ? 'Re-run on Claude at your request.' : 'Trying the local model at your request.';
  void runInPanel(parts, entry.title, entry.task, entry.source, parts.runtime.config(), { force: target === 'anthropic' ? 'cloud' : 'local', note });
  return undefined;
}

/** The failure card's Retry: the same task, run the way it was (a forced side stays forced). */
export async function retryShown(parts: RouterParts, id: string): Promise<string | undefined> {
  const entry = shown.get(id);
  if (!entry) return 'this answer is from before a reload; run the command again';
  void runInPanel(parts, entry.title, entry.task, entry.source, parts.runtime.config(), { ...entry.run, note: undefined });
  return undefined;
}

/** What the failure card needs to know of the settings to give the right advice. */
export function failureContext(config: EditorRouterConfig, keySource: KeySource): FailureContext {
  const p = config.providers;
  return {
    keySource, mode: config.router.mode, ollamaHost: p.ollamaHost ?? '', ollamaModel: p.ollamaModel ?? '', claudeModel: p.claudeModel ?? '',
    ...(p.anthropicBaseURL ? { claudeBaseURL: p.anthropicBaseURL } : {}),
  };
}

/** A local answer the user applied, inserted or copied: the local model was enough for this kind of task. */
export async function acceptedShown(parts: RouterParts, id: string, how: 'apply' | 'insert' | 'copy'): Promise<void> {
  const entry = shown.get(id);
  const r = entry?.result;
  if (!entry || !r || r.provider !== 'ollama' || !r.ok || entry.recorded.has('accepted-local')) return;
  entry.recorded.add('accepted-local');
  await parts.runtime.recordFeedback({ ...entry.task.input, id }, r, 'accepted-local', `the user chose ${how} on the local answer`);
}
