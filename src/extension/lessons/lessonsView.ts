import * as vscode from 'vscode';
import type { ExtensionServices } from '../services';
import { renderWebviewHtml } from '../webviewHtml';

/** The Lessons sidebar. Until the knowledge base lands it explains what it will hold and where lessons live. */
export class LessonsViewProvider implements vscode.WebviewViewProvider {
  static readonly viewType = 'llmgenie.lessons';

  constructor(private readonly services: ExtensionServices) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    const extensionUri = this.services.context.extensionUri;
    view.webview.options = { enableScripts: false, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media')] };
    view.webview.html = renderWebviewHtml(view.webview, extensionUri, {
      title: 'Lessons',
      body: `<main class="welcome">
  <h2>Lessons learned</h2>
  <p>This view will hold your team's lessons and best practices: markdown files under <code>docs/lessons/</code>,
  searchable here and shared through git.</p>
  <p>No lessons yet. Add a markdown file with a <code>title</code> and <code>tags</code> in its front matter to
  <code>docs/lessons/</code> and it will be listed here.</p>
</main>`,
    });
  }
}

export function registerLessonsView(services: ExtensionServices): void {
  services.track(vscode.window.registerWebviewViewProvider(LessonsViewProvider.viewType, new LessonsViewProvider(services)));
}
