import * as vscode from 'vscode';
import { exportSessionMarkdown } from '../../core/sessions/markdown';
import type { ExtensionServices } from '../services';
import type { EditorSessions } from './editorSession';
import { FILTERABLE_TYPES } from './sessionsTree';
import type { SessionsNode, SessionsTreeProvider } from './sessionsTree';

export const FILTER_BY_TYPE = 'llmgenie.sessions.filterByType';
export const EXPORT_SESSION = 'llmgenie.sessions.export';
export const DELETE_SESSION = 'llmgenie.sessions.delete';

const TYPE_HELP: Record<string, string> = {
  task: 'routed editor tasks: route, model, latency, tokens, cost',
  policy: 'policy checks: files and findings',
  handoff: 'handoff package validations',
  decision: 'decisions recorded to the decision log',
  lesson: 'lessons added, updated or deleted',
  note: 'free-form notes',
};

/** Filter, export and delete on the Sessions view. */
export function registerSessionCommands(services: ExtensionServices, sessions: EditorSessions, tree: SessionsTreeProvider): void {
  services.command(FILTER_BY_TYPE, () => pickFilter(tree));
  services.command(EXPORT_SESSION, (node?: SessionsNode) => exportSession(services, sessions, node));
  services.command(DELETE_SESSION, (node?: SessionsNode) => deleteSessionCommand(services, sessions, node));
}

async function pickFilter(tree: SessionsTreeProvider): Promise<void> {
  const types = [...new Set([...FILTERABLE_TYPES, ...tree.seenTypes])].filter((t) => t !== 'session-start');
  const current = tree.typeFilter;
  const items = types.map((t) => ({ label: t, description: TYPE_HELP[t] ?? 'written by a newer llmgenie', picked: !current.size || current.has(t) }));
  const picked = await vscode.window.showQuickPick(items, {
    canPickMany: true,
    title: 'llmgenie: Filter Sessions by Event Type',
    placeHolder: 'Event types to show (all or none = no filter)',
  });
  if (!picked) return;
  tree.setTypeFilter(picked.length === types.length ? [] : picked.map((p) => p.label));
}

/** From a tree node, or by asking when run from the palette (each session named with its folder when there are several). */
async function resolveSession(sessions: EditorSessions, node: SessionsNode | undefined, verb: string): Promise<{ id: string; root: string } | undefined> {
  if (node?.kind === 'session') return { id: node.summary.id, root: node.root };
  const byFolder = await sessions.readByFolder();
  const items = byFolder.flatMap(({ folder, sessions: list }) =>
    list.map((s) => ({
      label: s.summary.id,
      description: `${byFolder.length > 1 ? `${folder.name} · ` : ''}${s.summary.host ?? ''} · ${s.summary.eventCount} events`,
      id: s.summary.id,
      root: folder.root,
    })),
  );
  if (!items.length) {
    void vscode.window.showInformationMessage('llmgenie: There are no session logs in this workspace yet.');
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(items, { title: `llmgenie: ${verb} Session`, placeHolder: 'Which session?' });
  return pick && { id: pick.id, root: pick.root };
}

async function exportSession(services: ExtensionServices, sessions: EditorSessions, node?: SessionsNode): Promise<void> {
  const which = await resolveSession(sessions, node, 'Export');
  if (!which) return;
  const { id, root } = which;
  const session = await sessions.read(id, root);
  if (!session) {
    void vscode.window.showWarningMessage(`llmgenie: Session ${id} is no longer on disk.`);
    return;
  }
  const target = await vscode.window.showSaveDialog({
    title: 'Export Session as Markdown',
    saveLabel: 'Export',
    filters: { Markdown: ['md'] },
    defaultUri: vscode.Uri.file(`${root}/session-${id}.md`),
  });
  if (!target) return;
  try {
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(exportSessionMarkdown(session)));
  } catch (e) {
    services.reportError('session-export', `could not write ${target.fsPath}`, e);
    return;
  }
  const open = await vscode.window.showInformationMessage(`llmgenie: Session exported to ${vscode.workspace.asRelativePath(target)}.`, 'Open');
  if (open) await vscode.window.showTextDocument(target);
}

async function deleteSessionCommand(services: ExtensionServices, sessions: EditorSessions, node?: SessionsNode): Promise<void> {
  const which = await resolveSession(sessions, node, 'Delete');
  if (!which) return;
  const { id, root } = which;
  const s = node?.kind === 'session' ? node.summary : (await sessions.read(id, root))?.summary;
  const detail = s
    ? `${s.eventCount} event${s.eventCount === 1 ? '' : 's'}, ${s.files.length} file${s.files.length === 1 ? '' : 's'} (${s.files.map((f) => f.split('/').pop()).join(', ')}). This cannot be undone.`
    : 'This cannot be undone.';
  const ok = await vscode.window.showWarningMessage(`Delete session ${id}?`, { modal: true, detail }, 'Delete');
  if (ok !== 'Delete') return;
  try {
    const removed = await sessions.delete(id, root);
    services.log.info(`session ${id} deleted (${removed.length} files)`);
  } catch (e) {
    services.reportError('session-delete', `could not delete session ${id}`, e);
  }
}

