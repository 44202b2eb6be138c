import type { Clock } from '../core/platform/clock';
import type { FileSystem } from '../core/platform/fileSystem';
import { loadHandoffConfig, type HandoffConfig } from '../core/handoff/config';
import { HandoffConfigError } from '../core/handoff/errors';
import { nodeGitRunner, type GitRunner } from '../core/platform/git';
import type { LessonStore } from '../core/lessons/store';
import { WorkspaceLessons } from '../core/lessons/workspaceLessons';
import { createPolicyEngine, type PolicyEngine } from '../core/policy/engine';
import { formatPolicyConfigProblem, loadPolicyConfig } from '../core/policy/loadPolicyConfig';
import { PolicyConfigError } from '../core/policy/types';
import type { RouterDeps } from '../core/router/runTask';
import { createProviders, providerConfigFromEnv, routerSettingsFromEnv } from '../core/router/setup';
import { readWorkspaceSessionSettings, type SessionSettings } from '../core/sessions/settings';
import { nullSink, type SessionEventInput, type SessionEventSink } from '../core/sessions/sink';
import { confineWorkspaceArgument, type RealPath } from '../core/platform/workspacePath';
import { ToolError } from './toolResult';

export type Env = Readonly<Record<string, string | undefined>>;

/** The model side of `ask`: providers and router settings. Tests inject fakes; the default reads the environment. */
export type RouterFactory = () => Pick<RouterDeps, 'local' | 'cloud' | 'settings' | 'pricing' | 'redact'>;

export interface LlmgenieServerOptions {
  /** Workspace root: absolute, '/'-separated. Every path argument is relative to it and may not leave it. */
  root: string;
  fs: FileSystem;
  clock: Clock;
  /** Session events (host 'mcp'); default: not logged. */
  sink?: SessionEventSink;
  env: Env;
  /** Reported as the server version; default 'dev'. */
  version?: string;
  /** Symlink guard for a real disk (`fs.promises.realpath`); in-memory file systems pass nothing. */
  realpath?: RealPath;
  git?: GitRunner;
  router?: RouterFactory;
  /** How long the lesson file list is trusted before it is checked for changes (ms); default 2000. */
  lessonsTtlMs?: number;
}

/**
 * What every MCP session of one server shares: the workspace, its lessons index and the model providers. One
 * instance per `llmgenie mcp` process; the HTTP transport builds an McpServer per client session over it.
 */
export class McpWorkspace {
  readonly root: string;
  readonly fs: FileSystem;
  readonly clock: Clock;
  readonly env: Env;
  readonly sink: SessionEventSink;
  readonly version: string;
  readonly git: GitRunner;
  private readonly realpath?: RealPath;
  private readonly routerFactory: RouterFactory;
  readonly lessonIndex: WorkspaceLessons;
  private routerDeps?: ReturnType<RouterFactory>;

  constructor(opts: LlmgenieServerOptions) {
    this.root = opts.root.replace(/\\/g, '/').replace(/\/+$/, '') || '/';
    this.fs = opts.fs;
    this.clock = opts.clock;
    this.env = opts.env;
    this.sink = opts.sink ?? nullSink;
    this.version = opts.version ?? 'dev';
    this.git = opts.git ?? nodeGitRunner;
    this.realpath = opts.realpath;
    this.lessonIndex = new WorkspaceLessons({ fs: this.fs, root: this.root, clock: this.clock, sink: this.sink, ttlMs: opts.lessonsTtlMs ?? 2000 });
    this.routerFactory =
      opts.router ??
      (() => ({ ...createProviders(providerConfigFromEnv(this.env)), settings: routerSettingsFromEnv(this.env) }));
  }

  /** A client's workspace-relative path → absolute, refused (WorkspacePathError) when it would leave the root. */
  async path(input: string, what = 'path'): Promise<string> {
    return (await confineWorkspaceArgument(this.root, input, { what, ...(this.realpath ? { realpath: this.realpath } : {}) })).path;
  }

  /**
   * The lessons index (core/lessons/workspaceLessons.ts, as the editor and the router tools share it). Another
   * window may add or edit a lesson at any time, so once the TTL has passed the lesson files are stat'ed again and
   * only new, changed or removed ones are re-read.
   */
  lessons(): Promise<LessonStore> {
    return this.lessonIndex.store();
  }

  sessionSettings(): Promise<SessionSettings> {
    return readWorkspaceSessionSettings(this.fs, this.root, this.env);
  }

  async handoffConfig(): Promise<HandoffConfig> {
    try {
      return await loadHandoffConfig(this.fs, this.root);
    } catch (e) {
      if (e instanceof HandoffConfigError) throw new ToolError(e.message);
      throw e;
    }
  }

  /**
   * The policy engine as `llmgenie check` builds it (the same loadPolicyConfig, so severities agree). Where the CLI
   * would exit 2 on an unusable manifest or baseline, a tool call warns and runs without it: the built-in packs
   * still grade secrets as errors.
   */
  async policyEngine(): Promise<{ engine: PolicyEngine; warnings: string[] }> {
    const { config, problems } = await loadPolicyConfig(this.fs, this.root);
    const warnings = problems.map((p) =>
      p.fatal
        ? `ignored ${formatPolicyConfigProblem(p)}${p.source === 'manifest' ? ' (run "llmgenie rules lint")' : ''}`
        : `${formatPolicyConfigProblem(p)}; manifest entries with errors are not enforced (run "llmgenie rules lint")`,
    );
    try {
      return { engine: createPolicyEngine(config), warnings };
    } catch (e) {
      if (e instanceof PolicyConfigError) throw new ToolError(`policy configuration: ${e.message}`);
      throw e;
    }
  }

  /** Providers are built once (they keep model metadata between calls); a malformed environment is a tool error. */
  router(): ReturnType<RouterFactory> {
    if (this.routerDeps) return this.routerDeps;
    try {
      this.routerDeps = this.routerFactory();
    } catch (e) {
      throw new ToolError((e as Error).message);
    }
    return this.routerDeps;
  }

  /** Session logging never fails a tool call. */
  async log(event: SessionEventInput): Promise<void> {
    try {
      await this.sink.append(event);
    } catch {
      // the sink reports its own failures once (see openMcpSessionSink)
    }
  }
}
