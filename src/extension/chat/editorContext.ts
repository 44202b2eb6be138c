import type * as vscode from 'vscode';
import { workspace } from 'vscode';
import type { ChatChip, TurnContext } from '../../core/chat/thread';

/** A whole file beyond this is not attached (the chip says to select the part to ask about). */
const MAX_FILE_CHARS = 200_000;

export interface EditorContext {
  chip: ChatChip;
  /** Absent when the file is too large to attach; `problem` says why. */
  context?: TurnContext;
  uri: string;
  problem?: string;
}

/** What a question carries from an editor: its selection, or the whole file when nothing is selected. */
export function editorContext(editor: vscode.TextEditor): EditorContext | undefined {
  const doc = editor.document;
  if (doc.uri.scheme === 'output' || doc.uri.scheme === 'vscode-settings') return undefined;
  const fileName = doc.isUntitled ? doc.fileName : workspace.asRelativePath(doc.uri, false);
  const uri = doc.uri.toString();
  const sel = editor.selection;
  const selected = sel.isEmpty ? '' : doc.getText(sel);
  if (selected.trim()) {
    const first = sel.start.line + 1;
    // A selection ending at column 0 of the next line covers the lines above it.
    const last = sel.end.character === 0 && sel.end.line > sel.start.line ? sel.end.line : sel.end.line + 1;
    const label = `${fileName}:${first === last ? first : `${first}–${last}`}`;
    return { chip: { kind: 'selection', label, uri }, context: { text: selected, fileName, language: doc.languageId, scope: 'selection', firstLine: first }, uri };
  }
  const text = doc.getText();
  if (!text.trim()) return undefined;
  const chip: ChatChip = { kind: 'file', label: `${fileName} (whole file)`, uri };
  if (text.length > MAX_FILE_CHARS) return { chip, uri, problem: `${fileName} is too large to send whole: select the part to ask about, or remove the file chip.` };
  return { chip, context: { text, fileName, language: doc.languageId, scope: 'file' }, uri };
}
