import * as vscode from 'vscode';
import { statsToCsv } from '../../core/analytics/csv';
import { dashboardFigures } from '../../core/analytics/dashboard';
import type { DashboardFigures } from '../../core/analytics/dashboard';
import { DEFAULT_PERIOD, panelStateSchema, periodSchema, webviewMessageSchema } from '../../webviews/analytics/protocol';
import type { HostMessage, Period, WebviewMessage } from '../../webviews/analytics/protocol';
import { debounce, getEditorSessions } from '../sessions/editorSession';
import type { EditorSessions } from '../sessions/editorSession';
import type { ExtensionServices } from '../services';
import { WebviewChannel } from '../webviewChannel';
import { renderWebviewHtml } from '../webviewHtml';
import { ANALYTICS_BODY } from './analyticsBody';

export const ANALYTICS_VIEW_TYPE = 'llmgenie.analytics';
export const SHOW_ANALYTICS = 'llmgenie.showAnalytics';
export const EXPORT_CSV = 'llmgenie.analytics.exportCsv';
export const EXPORT_JSON = 'llmgenie.analytics.exportJson';
const PERIOD_KEY = 'llmgenie.analytics.period';

/** The one analytics panel of the window: figures from `dashboardFigures` over the workspace's session logs. */
class AnalyticsPanel implements vscode.Disposable {
  static current: AnalyticsPanel | undefined;
  private readonly channel: WebviewChannel<typeof webviewMessageSchema, HostMessage>;
  private readonly disposables: vscode.Disposable[] = [];
  private running: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly services: ExtensionServices,
    private readonly sessions: EditorSessions,
    readonly panel: vscode.WebviewPanel,
    private period: Period,
  ) {
    const root = services.context.extensionUri;
    panel.iconPath = vscode.Uri.joinPath(root, 'media', 'llmgenie.svg');
    panel.webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(root, 'media'), vscode.Uri.joinPath(root, 'dist', 'webviews')],
    };
    this.channel = new WebviewChannel(panel.webview, webviewMessageSchema, (m) => this.onMessage(m), services.log);
    panel.webview.html = renderWebviewHtml(panel.webview, root, {
      title: 'llmgenie Analytics',
      body: ANALYTICS_BODY,
      styles: ['media/analytics/analytics.css'],
      scripts: ['dist/webviews/analytics.js'],
      state: { period },
    });
    const refresh = debounce(() => {
      if (this.panel.visible) this.update();
    }, 500);
    this.disposables.push(
      this.channel,
      { dispose: () => refresh.dispose() },
      sessions.onDidChange(() => refresh()),
      // Hidden without retainContextWhenHidden, the page is torn down; it says `ready` again when shown.
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.channel.reset();
      }),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  get currentPeriod(): Period {
    return this.period;
  }

  private async onMessage(m: WebviewMessage): Promise<void> {
    switch (m.type) {
      case 'ready':
        if (m.period) this.setPeriod(m.period);
        this.update();
        return;
      case 'setPeriod':
        this.setPeriod(m.period);
        this.update();
        return;
      case 'export':
        await exportFigures(this.services, this.sessions, this.period, m.format);
        return;
      case 'openSessions':
        await vscode.commands.executeCommand('llmgenie.sessions.focus');
        return;
    }
  }

  private setPeriod(p: Period): void {
    this.period = p;
    void this.services.context.workspaceState.update(PERIOD_KEY, p);
  }

  /** Recomputes and posts; calls during a run coalesce into one more run. */
  update(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.push().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.update();
      }
    });
  }

  private async push(): Promise<void> {
    const period = this.period;
    try {
      const f = await computeFigures(this.sessions, period);
      this.channel.post({ type: 'stats', period, stats: f.stats, eventsBeforePeriod: f.eventsBeforePeriod, sessions: f.sessions, dir: this.sessions.displayDir });
    } catch (e) {
      this.services.log.error('analytics: could not read the session logs', e);
      this.channel.post({ type: 'error', message: `Could not read the session logs: ${(e as Error).message}` });
    }
  }

  dispose(): void {
    if (AnalyticsPanel.current === this) AnalyticsPanel.current = undefined;
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}

async function computeFigures(sessions: EditorSessions, period: Period): Promise<DashboardFigures> {
  const all = await sessions.readAll();
  const now = new Date();
  return dashboardFigures(all, period, now, -now.getTimezoneOffset());
}

function rememberedPeriod(services: ExtensionServices): Period {
  const p = periodSchema.safeParse(services.context.workspaceState.get(PERIOD_KEY));
  return p.success ? p.data : DEFAULT_PERIOD;
}

async function exportFigures(services: ExtensionServices, sessions: EditorSessions, period: Period, format: 'csv' | 'json'): Promise<void> {
  let f: DashboardFigures;
  try {
    f = await computeFigures(sessions, period);
  } catch (e) {
    services.reportError('analytics-export', 'could not read the session logs', e);
    return;
  }
  const root = sessions.activeFolder?.root;
  const name = `llmgenie-stats-${period}-${new Date().toISOString().slice(0, 10)}.${format}`;
  const target = await vscode.window.showSaveDialog({
    title: `Export Analytics as ${format.toUpperCase()}`,
    saveLabel: 'Export',
    filters: format === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] },
    ...(root ? { defaultUri: vscode.Uri.file(`${root}/${name}`) } : {}),
  });
  if (!target) return;
  const text = format === 'csv' ? statsToCsv(f.stats) : `${JSON.stringify(f.stats, null, 2)}\n`;
  try {
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
  } catch (e) {
    services.reportError('analytics-export-write', `could not write ${target.fsPath}`, e);
    return;
  }
  const open = await vscode.window.showInformationMessage(`llmgenie: Analytics (${period}) exported to ${vscode.workspace.asRelativePath(target)}.`, 'Open');
  if (open) await vscode.window.showTextDocument(target);
}

export function registerAnalytics(services: ExtensionServices): void {
  const sessions = getEditorSessions(services);
  const open = (panel: vscode.WebviewPanel, period: Period) => {
    AnalyticsPanel.current?.dispose();
    AnalyticsPanel.current = new AnalyticsPanel(services, sessions, panel, period);
  };
  services.command(SHOW_ANALYTICS, () => {
    if (AnalyticsPanel.current) {
      AnalyticsPanel.current.panel.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel(ANALYTICS_VIEW_TYPE, 'llmgenie Analytics', vscode.ViewColumn.Active, { enableScripts: true });
    open(panel, rememberedPeriod(services));
  });
  services.track(
    vscode.window.registerWebviewPanelSerializer(ANALYTICS_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
        const s = panelStateSchema.safeParse(state);
        open(panel, s.success ? s.data.period : rememberedPeriod(services));
      },
    }),
  );
  const exportCommand = (format: 'csv' | 'json') => () => exportFigures(services, sessions, AnalyticsPanel.current?.currentPeriod ?? rememberedPeriod(services), format);
  services.command(EXPORT_CSV, exportCommand('csv'));
  services.command(EXPORT_JSON, exportCommand('json'));
  services.track({ dispose: () => AnalyticsPanel.current?.dispose() });
}
