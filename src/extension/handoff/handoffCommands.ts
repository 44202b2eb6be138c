import * as vscode from 'vscode';
import type { HandoffConfig } from '../../core/handoff/config';
import { defaultHandoffName, draftHandoff, draftTitle } from '../../core/handoff/draft';
import { HandoffConfigError } from '../../core/handoff/errors';
import { collectGitChanges } from '../../core/handoff/git';
import type { GitChanges } from '../../core/handoff/git';
import { HANDOFF_FILE } from '../../core/handoff/read';
import { collectRecentSessionInputs } from '../../core/handoff/sessionInputs';
import { nodeFileSystem } from '../../core/platform/fileSystem';
import { SETTING_KEYS, sessionSettingsFrom } from '../../core/sessions/settings';
import type { HandoffEventPayload } from '../../core/sessions/sink';
import type { ExtensionServices } from '../services';
import { getEditorSessionSink } from '../sessions/editorSession';
import type { HandoffModel } from './handoffModel';
import type { HandoffPanels } from './handoffPanel';
import { fsPath, HANDOFF_GLOB, isHandoffUri, loadConfigFor, pickFolder } from './handoffSettings';
import { count } from '../../core/text/plural';

export const COMMANDS = {
  create: 'llmgenie.handoff.create',
  openPanel: 'llmgenie.handoff.openPanel',
  validate: 'llmgenie.handoff.validate',
} as const;

const NAME = /^[\p{L}\p{N}._-]+$/u;

export function registerHandoffCommands(services: ExtensionServices, model: HandoffModel, panels: HandoffPanels): void {
  services.command(COMMANDS.openPanel, async (arg?: unknown) => {
    const uri = await resolvePackage(arg, 'Open the handoff panel for which package?', model);
    if (uri) panels.show(uri, besideIfEditing(uri));
  });
  services.command(COMMANDS.validate, async (arg?: unknown) => {
    const uri = await resolvePackage(arg, 'Validate which handoff package?', model, true);
    if (!uri) return;
    panels.show(uri, besideIfEditing(uri));
    const r = await model.validate(uri);
    if (r.status === 'ok') await logEvent(services, r.uri, { path: r.file, score: r.report.score, passed: r.report.passed, gaps: r.report.gaps.length, action: 'validate' });
  });
  services.command(COMMANDS.create, () => services.isTrustedFor('Creating a handoff package (it runs git)') && createPackage(services, model, panels));
}

/** Next to an editor showing the package, like a markdown preview; else where the user is. */
function besideIfEditing(uri: vscode.Uri): vscode.ViewColumn {
  return vscode.window.activeTextEditor?.document.uri.toString() === uri.toString() ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
}

/** Into the session log of the package's folder (its path is relative to that folder). */
async function logEvent(services: ExtensionServices, pkg: vscode.Uri, payload: HandoffEventPayload): Promise<void> {
  try {
    await getEditorSessionSink(services, pkg).append({ type: 'handoff', payload });
  } catch (e) {
    services.log.warn(`handoff: could not log the ${payload.action} event: ${(e as Error).message}`);
  }
}

/** A HANDOFF.md from an explorer/editor argument (file or folder), the active editor, or a pick. */
async function resolvePackage(arg: unknown, placeHolder: string, model: HandoffModel, alwaysPick = false): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return handoffIn(arg);
  const active = vscode.window.activeTextEditor?.document.uri;
  if (!alwaysPick && active && isHandoffUri(active)) return active;
  return pickPackage(placeHolder, model);
}

async function handoffIn(uri: vscode.Uri): Promise<vscode.Uri | undefined> {
  if (isHandoffUri(uri)) return uri;
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.type & vscode.FileType.Directory) {
      const entries = await vscode.workspace.fs.readDirectory(uri);
      const found = entries.find(([name, type]) => type & vscode.FileType.File && name.toLowerCase() === HANDOFF_FILE.toLowerCase());
      if (found) return vscode.Uri.joinPath(uri, found[0]);
    }
  } catch {
    // reported below
  }
  void vscode.window.showWarningMessage(`llmgenie: ${vscode.workspace.asRelativePath(uri, false)} is not a handoff package (no ${HANDOFF_FILE}).`);
  return undefined;
}

async function pickPackage(placeHolder: string, model: HandoffModel): Promise<vscode.Uri | undefined> {
  const found = await vscode.workspace.findFiles(HANDOFF_GLOB, '**/{node_modules,.git,dist,out}/**', 500);
  if (!found.length) {
    const create = 'Create Handoff Package';
    const pick = await vscode.window.showInformationMessage('llmgenie: No HANDOFF.md in this workspace yet.', create);
    if (pick === create) await vscode.commands.executeCommand(COMMANDS.create);
    return undefined;
  }
  const items = found
    .map((uri) => {
      const rel = vscode.workspace.asRelativePath(uri, true);
      const r = model.get(uri);
      const detail =
        r?.status === 'ok'
          ? `score ${r.report.score}/100 · ${r.report.passed ? 'passed' : 'failed'} · ${r.report.gaps.length} gap${r.report.gaps.length === 1 ? '' : 's'}`
          : r?.message;
      return { label: uri.path.split('/').slice(-2, -1)[0] ?? rel, description: rel, ...(detail ? { detail } : {}), uri };
    })
    .sort((a, b) => a.description.localeCompare(b.description));
  if (items.length === 1) return items[0].uri;
  return (await vscode.window.showQuickPick(items, { placeHolder, matchOnDescription: true }))?.uri;
}

async function configOrReport(root: string, scope: vscode.Uri): Promise<HandoffConfig | undefined> {
  try {
    return await loadConfigFor(root, scope);
  } catch (e) {
    if (!(e instanceof HandoffConfigError)) throw e;
    void vscode.window.showErrorMessage(`llmgenie: Handoff settings are invalid: ${e.message}`);
    return undefined;
  }
}

function sessionSettings(scope: vscode.Uri) {
  const config = vscode.workspace.getConfiguration(undefined, scope);
  return sessionSettingsFrom(Object.fromEntries(Object.values(SETTING_KEYS).map((k) => [k, config.get(k)])));
}

/** Drafts docs/handoff/<name>/HANDOFF.md from git changes and the session log (no model), then opens it and its panel. */
async function createPackage(services: ExtensionServices, model: HandoffModel, panels: HandoffPanels): Promise<void> {
  const folder = await pickFolder('create a handoff package');
  if (!folder) return;
  const root = fsPath(folder.uri);
  const config = await configOrReport(root, folder.uri);
  if (!config) return;
  const git: GitChanges = await collectGitChanges(root).catch((e: Error) => ({ available: false, error: e.message, files: [] }));
  if (!git.available) services.log.info(`handoff: no git changes collected (${git.error ?? 'not a git work tree'})`);

  const now = new Date();
  const dirOf = (name: string) => vscode.Uri.joinPath(folder.uri, ...config.directory.split('/'), name);
  const name = await vscode.window.showInputBox({
    title: 'llmgenie: Create Handoff Package',
    prompt: `Folder name under ${config.directory}/`,
    value: defaultHandoffName(now, git.branch),
    // Looking something up elsewhere (a branch name, another package) must not throw the name away.
    ignoreFocusOut: true,
    validateInput: async (value) => {
      const v = value.trim();
      if (!NAME.test(v) || /^\.+$/.test(v)) return 'Use letters, digits, ".", "_" and "-" only.';
      const exists = await vscode.workspace.fs.stat(vscode.Uri.joinPath(dirOf(v), HANDOFF_FILE)).then(() => true, () => false);
      return exists ? `${config.directory}/${v}/${HANDOFF_FILE} already exists; pick another name.` : undefined;
    },
  });
  if (!name) return;
  const target = vscode.Uri.joinPath(dirOf(name.trim()), HANDOFF_FILE);

  const settings = sessionSettings(folder.uri);
  const session = await collectRecentSessionInputs(nodeFileSystem, { root, now, sessionsDir: settings.dir, decisionLog: settings.decisionLog });
  const inPackages = `${config.directory}/`;
  const files = [...session.files, ...git.files].filter((f) => !f.startsWith(inPackages));
  const text = draftHandoff({
    title: draftTitle({ decisions: session.decisions, files, ...(git.branch ? { branch: git.branch } : {}), name: name.trim() }),
    ...(git.user ? { from: git.user } : {}),
    created: now,
    ...(git.branch ? { branch: git.branch } : {}),
    files,
    decisions: session.decisions,
    minQuestions: config.minQuestions,
  });
  try {
    await nodeFileSystem.writeText(fsPath(target), text);
  } catch (e) {
    services.reportError('handoff-create', `could not write ${vscode.workspace.asRelativePath(target, false)}`, e);
    return;
  }
  services.log.info(
    `handoff: created ${vscode.workspace.asRelativePath(target, false)} from ${count(git.files.length, 'git change')}, ` +
      `${count(session.files.length, 'session file')}, ${count(session.decisions.length, 'decision')} in ${count(session.sessions, 'session')} since ${session.since.toISOString()}`,
  );
  await vscode.window.showTextDocument(target, { viewColumn: vscode.ViewColumn.One, preview: false });
  panels.show(target, vscode.ViewColumn.Beside);
  const r = await model.validate(target);
  if (r.status === 'ok') await logEvent(services, r.uri, { path: r.file, score: r.report.score, passed: r.report.passed, gaps: r.report.gaps.length, action: 'create' });
}
