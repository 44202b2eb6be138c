import * as vscode from 'vscode';
import { HANDOFF_VIEW_TYPE } from '../../webviews/handoff/protocol';
import type { ExtensionServices } from '../services';
import { registerHandoffCommands } from './handoffCommands';
import { HandoffCodeActions, HandoffDiagnostics } from './handoffDiagnostics';
import { HandoffModel } from './handoffModel';
import { HandoffPanels } from './handoffPanel';

/**
 * Handoff packages in the editor: the panel (with its reload serializer), diagnostics and quick fixes on
 * HANDOFF.md, and the create / validate / open commands. Activation only registers; watching and the
 * workspace scan start a moment later.
 */
export function registerHandoff(services: ExtensionServices): void {
  const model = services.track(new HandoffModel(services));
  const diagnostics = services.track(new HandoffDiagnostics(services, model));
  const panels = services.track(new HandoffPanels(services, model));
  services.track(vscode.window.registerWebviewPanelSerializer(HANDOFF_VIEW_TYPE, panels));
  services.track(
    vscode.languages.registerCodeActionsProvider({ scheme: 'file', language: 'markdown' }, new HandoffCodeActions(model), {
      providedCodeActionKinds: HandoffCodeActions.kinds,
    }),
  );
  registerHandoffCommands(services, model, panels);
  const timer = setTimeout(() => {
    model.start();
    diagnostics.scheduleScan(0);
  }, 1500);
  services.track({ dispose: () => clearTimeout(timer) });
}
