import * as vscode from 'vscode';
import { nodeFileSystem } from '../../core/platform/fileSystem';
import { addStarterRules, hasWorkspaceRules, STARTER_RULES, StarterRulesError } from '../../core/policy/starterRules';
import type { RulesDiagnostics } from '../rules/rulesDiagnostics';
import type { ExtensionServices } from '../services';
import { markSetup } from './setupState';

export const ADD_STARTER_RULES = 'llmgenie.policy.addStarterRules';
/** workspaceState: the offer was shown here once; it is never shown again, whatever the answer. */
const OFFERED_KEY = 'llmgenie.starterRules.offered';
export const STARTER_OFFER = 'This repository has no llmgenie rules: add the starter set?';

/**
 * A repository without rules: the walkthrough's rule step, one quiet offer of the starter set (secrets, logging,
 * branch names; the last two are the packs that stay off until a rule enables them), and the command behind both.
 */
export function registerStarterRules(services: ExtensionServices, rules: RulesDiagnostics): void {
  services.command(ADD_STARTER_RULES, (folder?: unknown) => addCommand(services, rules, folder));
  let offerChecked = false;
  services.track(
    rules.onDidChange(() => {
      const results = rules.results();
      markSetup('hasRules', results.some((r) => hasWorkspaceRules(r)));
      if (offerChecked) return;
      offerChecked = true;
      void offer(services, rules);
    }),
  );
}

async function offer(services: ExtensionServices, rules: RulesDiagnostics): Promise<void> {
  if (services.context.workspaceState.get(OFFERED_KEY) || !vscode.workspace.isTrusted) return;
  const folders = localFolders();
  const results = rules.results();
  if (!folders.length || results.some((r) => hasWorkspaceRules(r))) return;
  // Only in a repository: a loose folder of files is not a team's project.
  const repos = await Promise.all(folders.map(async (f) => (await nodeFileSystem.stat(`${root(f)}/.git`)) !== undefined));
  if (!repos.some(Boolean)) return;
  await services.context.workspaceState.update(OFFERED_KEY, true);
  const pick = await vscode.window.showInformationMessage(`llmgenie: ${STARTER_OFFER}`, 'Add Starter Rules', 'What Is in It?');
  if (pick === 'Add Starter Rules') await addCommand(services, rules, undefined);
  else if (pick === 'What Is in It?') {
    const more = await vscode.window.showInformationMessage(
      'llmgenie starter rules',
      {
        modal: true,
        detail: `Three rules you can edit, in .cursor/rules (read by Cursor too) and registered in rules_manifest.json: ${STARTER_RULES.map((r) => r.path.split('/').pop()).join(', ')}. Secrets are reported in every repository already; the logging and branch checks start once these rules are there.`,
      },
      'Add Starter Rules',
    );
    if (more) await addCommand(services, rules, undefined);
  }
}

async function addCommand(services: ExtensionServices, rules: RulesDiagnostics, arg: unknown): Promise<void> {
  if (!services.isTrustedFor('Adding rules')) return;
  const folder = await pickFolder(arg);
  if (!folder) return;
  let result;
  try {
    result = await addStarterRules(nodeFileSystem, root(folder));
  } catch (e) {
    if (!(e instanceof StarterRulesError)) throw e;
    void vscode.window.showErrorMessage(`llmgenie: ${e.message}.`);
    return;
  }
  services.log.info(`starter rules: wrote ${result.written.join(', ') || 'none'}; kept ${result.kept.join(', ') || 'none'}; manifest ${result.manifestFile}`);
  await rules.lintNow();
  markSetup('hasRules');
  const what = result.written.length
    ? `Added ${result.written.length} starter rule${result.written.length === 1 ? '' : 's'} to .cursor/rules and registered ${result.written.length === 1 ? 'it' : 'them'} in rules_manifest.json.`
    : 'The starter rules were already there; rules_manifest.json lists them.';
  const pick = await vscode.window.showInformationMessage(`llmgenie: ${what}`, 'Open Rules Manifest');
  if (pick) await vscode.window.showTextDocument(vscode.Uri.file(result.manifestFile), { preview: false });
}

function localFolders(): vscode.WorkspaceFolder[] {
  return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
}

const root = (f: vscode.WorkspaceFolder): string => f.uri.fsPath.replace(/\\/g, '/').replace(/\/+$/, '');

async function pickFolder(arg: unknown): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = localFolders();
  const byArg = arg instanceof vscode.Uri ? vscode.workspace.getWorkspaceFolder(arg) : undefined;
  if (byArg) return byArg;
  if (!folders.length) {
    void vscode.window.showWarningMessage('llmgenie: Open a folder to add rules to it.');
    return undefined;
  }
  if (folders.length === 1) return folders[0];
  return vscode.window.showWorkspaceFolderPick({ placeHolder: 'Add the starter rules to which folder?' });
}
