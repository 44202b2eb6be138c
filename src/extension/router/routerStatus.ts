import * as vscode from 'vscode';
import { editorRouterConfig, type RouterSettingKey } from '../../core/router/editorConfig';
import type { ExtensionServices } from '../services';

export type RouterMode = 'auto' | 'local' | 'cloud';

const MODES: Record<RouterMode, { label: string; icon: string; detail: string }> = {
  auto: { label: 'Auto', icon: '$(sparkle)', detail: 'Routine tasks go to the local Ollama model, complex ones to Claude' },
  local: { label: 'Local', icon: '$(device-desktop)', detail: 'Every task goes to the local Ollama model' },
  cloud: { label: 'Cloud', icon: '$(cloud)', detail: 'Every task goes to Claude' },
};

export const SELECT_MODE = 'llmgenie.router.selectMode';

/**
 * What is known about each backend from the last task or key check (nothing is probed at startup), e.g.
 * "reachable", "not running", "API key from secret storage". Forgotten when that backend's settings change.
 */
export interface RouterHealth {
  ollama?: { ok: boolean; text: string };
  claude?: { ok: boolean; text: string };
}

/**
 * The status-bar face of the router: shows the mode (with a spinner while a task runs), the last decision and the
 * providers' health in its tooltip, and switches mode on click.
 */
export class RouterStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('llmgenie.router', vscode.StatusBarAlignment.Right, 100);
  private lastDecision: string | undefined;
  private readonly running: string[] = [];
  private health: RouterHealth = {};

  constructor(private readonly services: ExtensionServices) {
    this.item.name = 'llmgenie Router';
    this.item.command = SELECT_MODE;
    services.track(this.item);
    services.command(SELECT_MODE, (mode?: unknown) => (typeof mode === 'string' && Object.hasOwn(MODES, mode) ? this.setMode(mode as RouterMode) : this.pickMode()));
    services.track(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('llmgenie.ollama')) this.health = { ...this.health, ollama: undefined };
        if (e.affectsConfiguration('llmgenie.claude')) this.health = { ...this.health, claude: undefined };
        if (['llmgenie.router.mode', 'llmgenie.ollama', 'llmgenie.claude'].some((k) => e.affectsConfiguration(k))) this.render();
      }),
    );
    this.render();
    this.item.show();
  }

  get mode(): RouterMode {
    const m = vscode.workspace.getConfiguration('llmgenie.router').get<string>('mode', 'auto');
    return Object.hasOwn(MODES, m) ? (m as RouterMode) : 'auto';
  }

  setLastDecision(text: string): void {
    this.lastDecision = text;
    this.render();
  }

  /** Marks a task as running until the returned function is called (tasks may overlap: panel + commit message). */
  busy(what: string): () => void {
    this.running.push(what);
    this.render();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.running.splice(this.running.indexOf(what), 1);
      this.render();
    };
  }

  setHealth(update: RouterHealth): void {
    this.health = { ...this.health, ...update };
    this.render();
  }

  private async pickMode(): Promise<void> {
    const current = this.mode;
    const picked = await vscode.window.showQuickPick(
      (Object.keys(MODES) as RouterMode[]).map((m) => ({ mode: m, label: `${MODES[m].icon} ${MODES[m].label}`, detail: MODES[m].detail, description: m === current ? 'current' : undefined })),
      { title: 'llmgenie: Router Mode', placeHolder: 'Where should editor tasks go?' },
    );
    if (picked) await this.setMode(picked.mode);
  }

  private async setMode(mode: RouterMode): Promise<void> {
    const where = await updateWhereDefined('llmgenie.router', 'mode', mode);
    this.services.log.info(`router mode: ${mode} (${where} settings)`);
    this.render();
  }

  private render(): void {
    const m = MODES[this.mode];
    const running = this.running.at(-1);
    this.item.text = `${running ? '$(loading~spin)' : m.icon} llmgenie: ${m.label}`;
    const tip = new vscode.MarkdownString(`**llmgenie router: ${m.label}**\n\n${m.detail}.\n\n`);
    tip.supportThemeIcons = true;
    if (running) tip.appendMarkdown(`$(loading~spin) Running: ${escapeMd(running)}\n\n`);
    tip.appendMarkdown(this.lastDecision ? `Last decision: ${escapeMd(this.lastDecision)}` : 'No task routed yet in this window.');
    const { ollama, claude } = this.health;
    const c = vscode.workspace.getConfiguration('llmgenie');
    const { providers } = editorRouterConfig((key: RouterSettingKey) => c.get(key), process.env);
    const line = (h: { ok: boolean; text: string } | undefined, what: string, unknown: string): string =>
      `${h ? (h.ok ? '$(pass)' : '$(warning)') : '$(circle-outline)'} ${escapeMd(what)}: ${escapeMd(h?.text ?? unknown)}`;
    tip.appendMarkdown(`\n\n${line(ollama, `Ollama ${providers.ollamaModel} at ${providers.ollamaHost}`, 'not contacted yet')}  \n`);
    tip.appendMarkdown(line(claude, `Claude ${providers.claudeModel}`, 'API key not checked yet'));
    tip.appendMarkdown('\n\nClick to switch Auto / Local / Cloud.');
    this.item.tooltip = tip;
    this.item.accessibilityInformation = { label: `llmgenie router mode ${m.label}${running ? `, running ${running}` : ''}` };
  }

  dispose(): void {
    this.item.dispose();
  }
}

const TARGET_NAMES: Record<vscode.ConfigurationTarget, string> = {
  [vscode.ConfigurationTarget.Global]: 'user',
  [vscode.ConfigurationTarget.Workspace]: 'workspace',
  [vscode.ConfigurationTarget.WorkspaceFolder]: 'folder',
};

/**
 * Writes a setting at the most specific level that defines it now (folder, workspace, else user), so the choice
 * takes effect: a user-level write under a workspace value would change nothing visible. Returns where it went.
 */
export async function updateWhereDefined(section: string, key: string, value: unknown, scope?: vscode.ConfigurationScope): Promise<string> {
  const config = vscode.workspace.getConfiguration(section, scope);
  const defined = config.inspect(key);
  const target =
    defined?.workspaceFolderValue !== undefined
      ? vscode.ConfigurationTarget.WorkspaceFolder
      : defined?.workspaceValue !== undefined
        ? vscode.ConfigurationTarget.Workspace
        : vscode.ConfigurationTarget.Global;
  await config.update(key, value, target);
  return TARGET_NAMES[target];
}

/** Model names and error texts go into a markdown tooltip: keep them literal. */
function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+!|<>]/g, (c) => `\\${c}`);
}
