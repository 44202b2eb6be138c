import * as vscode from 'vscode';
import type { ExtensionServices } from '../services';

/**
 * The Sessions tree. It lists the append-only session logs under `.llmgenie/sessions/`; while there are none,
 * the view's welcome content (package.json `viewsWelcome`) says how they appear.
 */
export class SessionsTreeProvider implements vscode.TreeDataProvider<vscode.TreeItem> {
  static readonly viewId = 'llmgenie.sessions';
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  refresh(): void {
    this.changed.fire();
  }

  getTreeItem(item: vscode.TreeItem): vscode.TreeItem {
    return item;
  }

  async getChildren(): Promise<vscode.TreeItem[]> {
    return [];
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export function registerSessionsTree(services: ExtensionServices): void {
  const provider = services.track(new SessionsTreeProvider());
  services.track(vscode.window.createTreeView(SessionsTreeProvider.viewId, { treeDataProvider: provider, showCollapseAll: true }));
  services.track(vscode.commands.registerCommand('llmgenie.sessions.refresh', () => provider.refresh()));
}
