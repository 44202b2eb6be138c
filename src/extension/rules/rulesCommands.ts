import * as vscode from 'vscode';
import { count } from '../../core/text/plural';
import { nodeFileSystem } from '../../core/platform/fileSystem';
import { generateManifest, serializeManifest } from '../../core/rules/generateManifest';
import { loadRules, relativeTo } from '../../core/rules/registry';
import type { ExtensionServices } from '../services';
import type { RulesDiagnostics } from './rulesDiagnostics';

export const GENERATE_MANIFEST = 'llmgenie.rules.generateManifest';

export function registerRulesCommands(services: ExtensionServices, diagnostics: RulesDiagnostics): void {
  services.command(GENERATE_MANIFEST, () => generateManifestCommand(services, diagnostics));
  services.command('llmgenie.rules.lint', async () => {
    await diagnostics.lintNow();
    await vscode.commands.executeCommand('workbench.actions.view.problems');
  });
  services.track(
    vscode.languages.registerCodeActionsProvider(
      [{ pattern: '**/*.mdc' }, { pattern: '**/rules_manifest.json' }],
      { provideCodeActions: (_doc, _range, ctx) => manifestFixes(ctx) },
      { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] },
    ),
  );
}

function manifestFixes(ctx: vscode.CodeActionContext): vscode.CodeAction[] {
  const ours = ctx.diagnostics.filter((d) => d.source === 'llmgenie' && (d.code === 'rule-unregistered' || d.code === 'manifest-missing-file' || d.code === 'no-manifest'));
  if (!ours.length) return [];
  const action = new vscode.CodeAction('Update rules_manifest.json from the rule files', vscode.CodeActionKind.QuickFix);
  action.command = { command: GENERATE_MANIFEST, title: action.title };
  action.diagnostics = ours;
  action.isPreferred = true;
  return [action];
}

async function generateManifestCommand(services: ExtensionServices, diagnostics: RulesDiagnostics): Promise<void> {
  const folder = await pickFolder();
  if (!folder) return;
  const root = folder.uri.fsPath.replace(/\\/g, '/');
  const result = await loadRules(nodeFileSystem, root);
  if (result.manifestFile && !result.manifest?.manifest) {
    void vscode.window.showErrorMessage(`llmgenie: ${relativeTo(root, result.manifestFile)} has errors; fix them (see Problems) before regenerating.`);
    return;
  }
  const { manifest, added, removed } = generateManifest(result.rules, result.manifest?.manifest);
  const target = result.manifestFile ?? `${root}/rules_manifest.json`;
  try {
    await nodeFileSystem.writeText(target, serializeManifest(manifest));
  } catch (e) {
    services.reportError('manifest-write', `could not write ${target}`, e);
    return;
  }
  services.log.info(`manifest: ${manifest.rules.length} rules, added ${added.join(', ') || 'none'}, removed ${removed.join(', ') || 'none'}`);
  await diagnostics.lintNow();
  await vscode.window.showTextDocument(vscode.Uri.file(target), { preview: false });
  void vscode.window.showInformationMessage(`llmgenie: Rules manifest has ${count(manifest.rules.length, "rule")} (${added.length} added, ${removed.length} removed).`);
}

async function pickFolder(): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
  if (!folders.length) {
    void vscode.window.showWarningMessage('llmgenie: Open a folder to generate its rules manifest.');
    return undefined;
  }
  if (folders.length === 1) return folders[0];
  return vscode.window.showWorkspaceFolderPick({ placeHolder: 'Generate the rules manifest for which folder?' });
}
