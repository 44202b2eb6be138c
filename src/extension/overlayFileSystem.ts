import * as vscode from 'vscode';
import type { FileSystem } from '../core/platform/fileSystem';

/**
 * The disk, except that files open in the editor read as their unsaved text, so diagnostics follow typing.
 */
export function overlayFileSystem(base: FileSystem): FileSystem {
  const openText = (path: string): string | undefined => {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath.replace(/\\/g, '/') === path);
    return doc?.isDirty ? doc.getText() : undefined;
  };
  return {
    ...base,
    async readText(path) {
      return openText(path) ?? base.readText(path);
    },
    async readBytes(path) {
      const t = openText(path);
      return t === undefined ? base.readBytes(path) : new TextEncoder().encode(t);
    },
  };
}
