import * as vscode from 'vscode';
import { commandTitle, languageName } from '../../core/router/calibration';
import { FEEDBACK_PATH } from '../../core/router/feedback';
import type { RouterParts } from './editorCommands';

export const RESET_ROUTING = 'llmgenie.router.resetRouting';

/**
 * "Reset Learned Routing": forgets this workspace's routing feedback for one command + language (or all of it),
 * so those tasks go back to the shipped threshold. Lists what was learnt, in the words the tooltip used.
 */
export function registerResetRouting(parts: RouterParts): void {
  parts.services.command(RESET_ROUTING, async () => {
    const store = parts.runtime.feedback();
    if (!store) {
      void vscode.window.showInformationMessage('llmgenie: Open a folder first: learned routing is kept per workspace.');
      return;
    }
    const learnt = [...(await store.calibration()).values()];
    type Item = vscode.QuickPickItem & { key?: { command: string; language: string } };
    const items: Item[] = [
      ...learnt.map((c) => ({ label: `${commandTitle(c.command)} on ${languageName(c.language)}`, detail: c.explanation, key: { command: c.command, language: c.language } })),
      { label: 'Forget everything learnt in this workspace', detail: `Empties ${FEEDBACK_PATH}; every route goes back to the shipped threshold.` },
    ];
    const picked = await vscode.window.showQuickPick(items, {
      title: 'llmgenie: Reset Learned Routing',
      placeHolder: learnt.length ? 'Which learnt route should go back to the shipped one?' : 'Nothing has moved a route yet; you can still forget the recorded outcomes',
      matchOnDetail: true,
    });
    if (!picked) return;
    const removed = await store.reset(picked.key);
    const what = picked.key ? picked.label : 'every command';
    void vscode.window.showInformationMessage(`llmgenie: Forgot ${removed} routing example${removed === 1 ? '' : 's'} for ${what}: the shipped route applies again.`);
  });
}
