import { registerAnalytics } from '../analytics/analyticsPanel';
import type { ExtensionServices } from '../services';
import { getEditorSessions } from './editorSession';
import { registerRecordDecision } from './recordDecision';
import { registerSessionCommands } from './sessionCommands';
import { registerEventDocuments } from './sessionEventDocument';
import { registerSessionsTree } from './sessionsTree';

/** Session logs in the editor: the Sessions view, event documents, Record Decision and the analytics panel. */
export function registerSessions(services: ExtensionServices): void {
  const sessions = getEditorSessions(services);
  const tree = registerSessionsTree(services);
  registerEventDocuments(services, sessions);
  registerSessionCommands(services, sessions, tree);
  registerRecordDecision(services, sessions);
  registerAnalytics(services);
}
