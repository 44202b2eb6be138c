import * as vscode from 'vscode';
import { describeEvent } from '../../core/sessions/describe';
import type { SessionEvent } from '../../core/sessions/events';
import type { ExtensionServices } from '../services';
import type { EditorSessions } from './editorSession';

export const EVENT_SCHEME = 'llmgenie-session';
export const OPEN_EVENT = 'llmgenie.sessions.openEvent';
export const SHOW_EVENT_JSON = 'llmgenie.sessions.showEventJson';
export const OPEN_EVENT_FILE = 'llmgenie.sessions.openEventFile';

/** What the tree passes to the event commands. */
export interface EventRef {
  sessionId: string;
  /** The workspace folder whose sessions hold it ('/'-separated). */
  root: string;
  index: number;
  event: SessionEvent;
}

/**
 * `llmgenie-session:/<session id>/<label> (<event id>).json?<index>#<folder>`: the name reads well on the tab,
 * `.json` lets the editor colour it, the index (not the id, which a crash-restarted writer can repeat) finds it,
 * and the fragment names the workspace folder whose sessions hold it.
 */
export function eventUri(ref: EventRef): vscode.Uri {
  const name = `${describeEvent(ref.event).label} (${ref.event.id})`.replace(/[/\\?#%]/g, '_').slice(0, 120);
  return vscode.Uri.from({ scheme: EVENT_SCHEME, path: `/${ref.sessionId}/${name}.json`, query: String(ref.index), fragment: ref.root });
}

/** Read-only documents of single events, formatted JSON, read from disk each time they are opened. */
class EventDocumentProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly sessions: EditorSessions) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const m = /^\/([^/]+)\/[^/]*\.json$/.exec(uri.path);
    if (!m || !/^\d+$/.test(uri.query)) return `// not a session event: ${uri.toString()}\n`;
    const s = await this.sessions.read(m[1], uri.fragment || undefined);
    const event = s?.events[Number(uri.query)];
    if (!event) return `// this event of session ${m[1]} is no longer on disk (deleted or pruned by retention)\n`;
    return `${JSON.stringify(event, null, 2)}\n`;
  }
}

export function registerEventDocuments(services: ExtensionServices, sessions: EditorSessions): void {
  services.track(vscode.workspace.registerTextDocumentContentProvider(EVENT_SCHEME, new EventDocumentProvider(sessions)));
  const showJson = async (ref?: EventRef) => {
    if (!ref?.event) return;
    const doc = await vscode.workspace.openTextDocument(eventUri(ref));
    await vscode.window.showTextDocument(doc, { preview: true });
  };
  const openFile = async (ref?: EventRef): Promise<boolean> => {
    if (!ref?.event) return false;
    const uri = relatedFile(ref.root, ref.event);
    if (!uri || !(await exists(uri))) {
      void vscode.window.showInformationMessage(`llmgenie: ${describeEvent(ref.event).files[0] ?? 'the related file'} is not in this workspace.`);
      return false;
    }
    const editor = await vscode.window.showTextDocument(uri, { preview: true });
    if (!ref.event.generic && ref.event.type === 'decision') revealHeading(editor, ref.event.payload.title);
    return true;
  };
  services.command(SHOW_EVENT_JSON, showJson);
  services.command(OPEN_EVENT_FILE, openFile);
  // A click: decisions and handoffs are about a document, so that opens; everything else shows its record.
  services.command(OPEN_EVENT, async (ref?: EventRef) => {
    if (!ref?.event) return;
    const e = ref.event;
    const aboutDocument = !e.generic && (e.type === 'decision' || e.type === 'handoff');
    const uri = aboutDocument ? relatedFile(ref.root, e) : undefined;
    if (uri && (await exists(uri))) await openFile(ref);
    else await showJson(ref);
  });
}

/** The file an event is about: paths in a session are relative to its folder. */
function relatedFile(root: string, e: SessionEvent): vscode.Uri | undefined {
  const file = describeEvent(e).files[0];
  if (!file) return undefined;
  if (file.startsWith('/') || /^[A-Za-z]:[\\/]/.test(file)) return vscode.Uri.file(file);
  return vscode.Uri.file(`${root}/${file.replace(/^\.\//, '')}`);
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** Puts the decision log's `## <date> — <title>` heading at the top of the editor. */
function revealHeading(editor: vscode.TextEditor, title: string): void {
  const doc = editor.document;
  for (let i = doc.lineCount - 1; i >= 0; i--) {
    const text = doc.lineAt(i).text;
    if (text.startsWith('## ') && text.endsWith(` — ${title}`)) {
      const pos = new vscode.Position(i, 0);
      editor.selection = new vscode.Selection(pos, pos);
      editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.AtTop);
      return;
    }
  }
}
