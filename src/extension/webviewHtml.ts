import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/** A fresh nonce per render: scripts run only with it (CSP `script-src 'nonce-…'`). */
export function makeNonce(): string {
  return randomBytes(16).toString('base64');
}

export interface WebviewPage {
  title: string;
  body: string;
  styles?: string[];
  scripts?: string[];
  /** Serialisable initial state, injected by a nonce'd script as `window.__LLMGENIE_STATE__`. */
  state?: unknown;
}

/** Builds a page with a strict CSP: nothing remote, styles from the extension, scripts only with the nonce. */
export function renderWebviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, page: WebviewPage): string {
  const nonce = makeNonce();
  const asset = (p: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, p)).toString();
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  const styles = ['media/common.css', ...(page.styles ?? [])].map((s) => `<link rel="stylesheet" href="${asset(s)}">`).join('\n');
  const state = page.state === undefined ? '' : `<script nonce="${nonce}">window.__LLMGENIE_STATE__ = ${JSON.stringify(page.state).replace(/</g, '\\u003c')};</script>`;
  const scripts = (page.scripts ?? []).map((s) => `<script nonce="${nonce}" src="${asset(s)}"></script>`).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${styles}
<title>${escapeHtml(page.title)}</title>
</head>
<body>
${page.body}
${state}
${scripts}
</body>
</html>`;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
