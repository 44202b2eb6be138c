import * as vscode from 'vscode';
import { nodeFileSystem } from '../../core/platform/fileSystem';
import { decideRoute } from '../../core/router/classifier';
import { workspaceFeedback, type RoutingFeedback } from '../../core/router/feedback';
import type { FeedbackOutcome } from '../../core/router/calibration';
import { promises as fsp } from 'node:fs';
import { editorRouterConfig, type EditorRouterConfig, type RouterSettingKey } from '../../core/router/editorConfig';
import { failedCall, failureHealth } from '../../core/router/failure';
import { observeProvider, type ProviderOutcome } from '../../core/router/observedProvider';
import { normaliseCommand } from '../../core/router/prompts';
import type { RunOptions, TaskInput, TaskResult } from '../../core/router/runTask';
import type { Providers } from '../../core/router/setup';
import { taskView } from '../../core/router/shownOnce';
import type { ToolDefinition } from '../../core/router/tools';
import { workspaceTools } from '../../core/router/workspaceTools';
import { markSetup } from '../onboarding/setupState';
import type { AgentRouter } from '../../core/agents/roleCall';
import type { ExtensionServices } from '../services';
import { folderRootOf, localFolders } from '../workspaceFolders';
import { editorLessonIndexes } from '../lessons/lessonIndexes';
import { getEditorSessionSink } from '../sessions/editorSession';
import { readApiKey, type KeySource } from './apiKey';
import { loadEngine } from './loadEngine';
import type { RouterStatus } from './routerStatus';

interface Built {
  providers: Providers;
  keySource: KeySource;
}

/** Problems the editor can offer a fix for, reported once per window each (the router's notices say the rest). */
export interface ProviderTrouble {
  error: Extract<ProviderOutcome, { ok: false }>['error'];
  host: string;
  model: string;
  hasKey: boolean;
}

export interface RouterRuntimeHooks {
  onTrouble(t: ProviderTrouble): void;
}

/**
 * The router as the editor runs it: providers built on first use from settings + SecretStorage and rebuilt when
 * either changes, the window's one set of things told once (services.shown), provider health for the status bar, and every task
 * logged to this window's session.
 */
export class RouterRuntime implements vscode.Disposable {
  private built: Promise<Built> | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private feedbackStore: { root: string; store: RoutingFeedback } | undefined;

  constructor(
    private readonly services: ExtensionServices,
    private readonly status: RouterStatus,
    private readonly hooks: RouterRuntimeHooks,
  ) {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('llmgenie.ollama') || e.affectsConfiguration('llmgenie.claude')) this.invalidate();
      }),
      services.context.secrets.onDidChange(async () => {
        this.invalidate();
        this.status.setHealth({ claude: keyHealth((await readApiKey(services.context)).source) });
      }),
    );
  }

  /** Settings as they are now (read on every task: cheap, and always current). */
  config(): EditorRouterConfig {
    const c = vscode.workspace.getConfiguration('llmgenie');
    return editorRouterConfig((key: RouterSettingKey) => c.get(key), process.env);
  }

  /** Providers are built on first use (never at activation) and again after a settings or key change. */
  providers(): Promise<Built> {
    this.built ??= (async () => {
      const config = this.config();
      for (const p of config.problems) this.services.log.warn(`router setting ignored: ${p}`);
      const key = await readApiKey(this.services.context);
      const providers = loadEngine().createProviders({ ...config.providers, anthropicApiKey: key.value });
      this.status.setHealth({ claude: keyHealth(key.source) });
      this.services.log.info(`router providers: Ollama ${providers.local.host} (${providers.local.model}); Claude ${providers.cloud.model}${config.providers.anthropicBaseURL ? ` via ${config.providers.anthropicBaseURL}` : ''}, key: ${key.source}`);
      return { providers, keySource: key.source };
    })().catch((e: unknown) => {
      this.built = undefined;
      throw e;
    });
    return this.built;
  }

  invalidate(): void {
    this.built = undefined;
  }

  /**
   * `config` is read by the caller when the task starts, so the mode shown is the mode used. `folder` is a file or
   * folder the task is about: its workspace folder's files, lessons and session log serve it (else the active
   * editor's folder, else the first).
   */
  async run(input: TaskInput, config: EditorRouterConfig, opts: RunOptions & { folder?: vscode.Uri }, onTrouble: (t: ProviderTrouble) => void = (t) => this.hooks.onTrouble(t)): Promise<TaskResult> {
    const { folder, ...runOptions } = opts;
    const root = (folder && folderRootOf(folder)) ?? taskRoot();
    const { providers, keySource } = await this.providers();
    const onOutcome = (o: ProviderOutcome): void => this.outcome(o, providers, keySource, onTrouble);
    const result = await loadEngine().runTask(
      input,
      {
        local: observeProvider(providers.local, onOutcome),
        cloud: observeProvider(providers.cloud, onOutcome),
        settings: config.router,
        sink: getEditorSessionSink(this.services, root),
        tools: this.tools(root),
        shownNotices: taskView(this.services.shown),
        ...(this.feedback() ? { feedback: this.feedback() } : {}),
        decide: (task, mode, overrides) => decideRoute(task, mode, overrides, { threshold: config.cloudThreshold }),
      },
      runOptions,
    );
    if (!result.error) markSetup('taskRouted');
    const { conversation: _c, answer: _a, ...record } = result;
    this.services.log.info(`task ${JSON.stringify(record)}`);
    return result;
  }

  /**
   * The router as agent runs use it: the same providers, health reporting, settings, notices and session log as
   * every editor task, so each role's call is routed, checked, escalated, masked and logged like one (in the
   * session log of the run's folder).
   */
  async agentRouter(root: string): Promise<AgentRouter> {
    const { providers, keySource } = await this.providers();
    const onOutcome = (o: ProviderOutcome): void => this.outcome(o, providers, keySource, (t) => this.hooks.onTrouble(t));
    return {
      local: observeProvider(providers.local, onOutcome),
      cloud: observeProvider(providers.cloud, onOutcome),
      settings: this.config().router,
      sink: getEditorSessionSink(this.services, root),
      shownNotices: taskView(this.services.shown),
    };
  }

  private outcome(o: ProviderOutcome, providers: Providers, keySource: KeySource, onTrouble: (t: ProviderTrouble) => void): void {
    const local = providers.local;
    if (o.provider === 'ollama') {
      // What a real call proved ticks the walkthrough: an answer means Ollama is up and has the model.
      if (o.ok || o.error.reason === 'model-missing') markSetup('ollamaReachable');
      if (o.ok) markSetup('modelReady');
      if (o.ok) this.status.setHealth({ ollama: { ok: true, text: 'reachable' } });
      else {
        const health = failureHealth(failedCall(o.error), keySource !== 'none');
        if (health) this.status.setHealth({ ollama: health });
      }
    } else if (o.ok) this.status.setHealth({ claude: { ok: true, text: `reachable, ${keyHealth(keySource).text}` } });
    else {
      // One vocabulary: the tooltip says what the answer view's failure card says, never "reachable" after a 503.
      const health = failureHealth(failedCall(o.error), keySource !== 'none');
      if (health) this.status.setHealth({ claude: health });
    }
    if (!o.ok) onTrouble({ error: o.error, host: local.host, model: local.model, hasKey: keySource !== 'none' });
  }

  /**
   * This workspace's routing feedback (`.llmgenie/routing-feedback.jsonl`), the same store the CLI and MCP server
   * use for this folder; none without a folder on disk.
   */
  feedback(): RoutingFeedback | undefined {
    const root = workspaceRoot();
    if (!root) return undefined;
    if (this.feedbackStore?.root !== root) this.feedbackStore = { root, store: workspaceFeedback({ fs: nodeFileSystem, root, realpath: (p) => fsp.realpath(p) }) };
    return this.feedbackStore.store;
  }

  /** Records what the user did with a task's answer; a failure to write is logged, never shown as an error. */
  async recordFeedback(input: TaskInput, result: TaskResult, outcome: FeedbackOutcome, reason: string): Promise<void> {
    const store = this.feedback();
    if (!store) return;
    const { routing } = result;
    try {
      await store.record({ ...(input.id ? { taskId: input.id } : {}), command: normaliseCommand(input.command), language: routing.language, score: routing.score, threshold: routing.threshold, outcome, reason });
    } catch (e) {
      this.services.log.warn(`could not record routing feedback: ${(e as Error).message}`);
    }
  }

  /** The model reads files in, and searches the lessons of, the folder the task is in (the first one by default). */
  private tools(root: string | undefined): ToolDefinition[] {
    if (!root) return [];
    // The window's one index of that folder, the sidebar's too: a lesson just saved is found by the next task.
    const lessons = editorLessonIndexes(this.services).folder(root)?.index.search;
    return workspaceTools({ fs: nodeFileSystem, root, ...(lessons ? { lessons } : {}) });
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

/** The local folder of the active editor's file, else the first local folder, '/'-separated. */
function taskRoot(): string | undefined {
  const doc = vscode.window.activeTextEditor?.document.uri;
  return (doc && folderRootOf(doc)) ?? workspaceRoot();
}

const runtimes = new WeakMap<ExtensionServices, RouterRuntime>();

/** The window's router runtime, for features that route model calls of their own (agent runs). */
export function getRouterRuntime(services: ExtensionServices): RouterRuntime | undefined {
  return runtimes.get(services);
}

export function setRouterRuntime(services: ExtensionServices, runtime: RouterRuntime): void {
  runtimes.set(services, runtime);
}

/** The first workspace folder on disk, '/'-separated. */
function workspaceRoot(): string | undefined {
  return localFolders()[0]?.root;
}

function keyHealth(source: KeySource): { ok: boolean; text: string } {
  if (source === 'none') return { ok: false, text: 'no API key' };
  return { ok: true, text: `API key from ${source === 'env' ? 'ANTHROPIC_API_KEY' : 'secret storage'}` };
}
