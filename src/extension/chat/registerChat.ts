import * as vscode from 'vscode';
import { CHAT_VIEW_ID } from '../../webviews/chat/protocol';
import type { RouterParts } from '../router/editorCommands';
import { registerChatParticipant } from './chatParticipant';
import { ChatViewProvider } from './chatView';

/**
 * Conversations on the router: the Chat view in the llmgenie sidebar (VS Code and Cursor alike) and, where the
 * editor has the chat API, `@llmgenie`. Nothing is read or run until the view is shown or a question is asked.
 */
export function registerChat(parts: RouterParts): void {
  const { services } = parts;
  const view = services.track(new ChatViewProvider(parts));
  services.track(vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, view, { webviewOptions: { retainContextWhenHidden: true } }));
  services.command('llmgenie.chat.open', () => view.open());
  services.command('llmgenie.chat.newThread', async () => {
    await view.newThread();
    view.focusInput();
  });
  services.command('llmgenie.chat.showThreads', () => view.showThreads());
  registerChatParticipant(parts);
}
