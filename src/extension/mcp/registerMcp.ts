import * as vscode from 'vscode';
import { nodeFileSystem } from '../../core/platform/fileSystem';
import { stdioLaunch, writeMcpConfigs, type McpConfigWrite } from '../../mcp/discovery';
import type { ExtensionServices } from '../services';

/**
 * Makes the MCP server findable: VS Code's agent mode through a server definition provider (VS Code 1.101+,
 * feature-detected so older bases such as Cursor's still activate), Cursor and Claude Code through their config
 * files, written on request by "Register MCP Server for Cursor and Claude Code".
 */
export function registerMcp(services: ExtensionServices): void {
  services.command('llmgenie.mcp.install', () => services.isTrustedFor('Registering the MCP server') && installForOtherClients(services));
  registerDefinitionProvider(services);
}

// The parts of the 1.101 API we use; @types/vscode is pinned to the engine's 1.90, which does not declare them.
interface McpApi {
  lm?: { registerMcpServerDefinitionProvider?(id: string, provider: unknown): vscode.Disposable };
  McpStdioServerDefinition?: new (label: string, command: string, args: string[], env?: Record<string, string>, version?: string) => { cwd?: vscode.Uri };
}

function registerDefinitionProvider(services: ExtensionServices): void {
  const api = vscode as unknown as McpApi;
  const register = api.lm?.registerMcpServerDefinitionProvider;
  const Definition = api.McpStdioServerDefinition;
  if (!register || !Definition) {
    services.log.info('mcp: this editor has no MCP server registration API; use "Register MCP Server for Cursor and Claude Code"');
    return;
  }
  const changed = services.track(new vscode.EventEmitter<void>());
  services.track(vscode.workspace.onDidChangeWorkspaceFolders(() => changed.fire()));
  // An untrusted folder gets no server (it would read the folder and reach models); offer it once trusted.
  services.track(vscode.workspace.onDidGrantWorkspaceTrust(() => changed.fire()));
  services.track(vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('llmgenie.mcp') && changed.fire()));
  const version = String(services.context.extension.packageJSON.version ?? '');
  const cliPath = services.context.asAbsolutePath('dist/cli.js');
  services.track(
    register.call(api.lm, 'llmgenie.mcp', {
      onDidChangeMcpServerDefinitions: changed.event,
      provideMcpServerDefinitions: () => {
        if (!vscode.workspace.isTrusted) return [];
        if (!vscode.workspace.getConfiguration('llmgenie.mcp').get<boolean>('enabled', true)) return [];
        const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
        return folders.map((folder) => {
          // The editor's own runtime runs the CLI, so no separate Node install is needed.
          const launch = stdioLaunch({ cliPath, nodePath: process.execPath, env: { ELECTRON_RUN_AS_NODE: '1' }, root: folder.uri.fsPath });
          const label = folders.length > 1 ? `llmgenie (${folder.name})` : 'llmgenie';
          const def = new Definition(label, launch.command, launch.args, launch.env, version);
          def.cwd = folder.uri;
          return def;
        });
      },
    }),
  );
}

type InstallScope = 'project' | 'machine';

interface ScopePick extends vscode.QuickPickItem {
  scope: InstallScope;
}

async function installForOtherClients(services: ExtensionServices): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
  if (!folder) {
    void vscode.window.showWarningMessage('llmgenie: Open a folder to register its MCP server.');
    return;
  }
  const cliPath = services.context.asAbsolutePath('dist/cli.js').replace(/\\/g, '/');
  // The config files are usually committed, and this installation's path differs per machine and per version;
  // so the person chooses between a command that works for every teammate and one that works only here.
  const picks: ScopePick[] = [
    {
      scope: 'project',
      label: 'Project (commit it)',
      description: 'npx llmgenie mcp',
      detail: 'For teams that add llmgenie as a dev dependency: the same entry works on every machine.',
    },
    {
      scope: 'machine',
      label: 'This machine only',
      description: `node ${cliPath} mcp`,
      detail: "This installation's CLI: works without a dev dependency, but do not commit these files.",
    },
  ];
  const pick = await vscode.window.showQuickPick(picks, {
    title: 'Register the llmgenie MCP server for Cursor and Claude Code',
    placeHolder: 'Which command should .cursor/mcp.json and .mcp.json run?',
    ignoreFocusOut: true,
  });
  if (!pick) return;
  // Cursor and Claude Code start the server themselves, with their own `node`/`npx` from PATH.
  const entry = pick.scope === 'project' ? stdioLaunch() : stdioLaunch({ cliPath, nodePath: 'node' });
  let results: McpConfigWrite[];
  try {
    results = await writeMcpConfigs(nodeFileSystem, folder.uri.fsPath.replace(/\\/g, '/'), entry);
  } catch (e) {
    services.reportError('mcp-install', 'could not write the MCP config files', e);
    return;
  }
  const refused = results.filter((r) => r.status === 'refused');
  const summary = results.map((r) => `${r.file}: ${r.status}${r.status === 'refused' ? ` (${r.error})` : ''}`).join('; ');
  services.log.info(`mcp install (${pick.scope}): ${summary}; runs ${entry.command} ${entry.args.join(' ')}`);
  const advice =
    pick.scope === 'project'
      ? 'Commit both files; teammates need llmgenie as a dev dependency (npm i -D llmgenie).'
      : `They run ${cliPath} on this machine only: do not commit them.`;
  const show = refused.length || pick.scope === 'machine' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  const open = await show(`llmgenie MCP server: ${summary}. ${advice}`, 'Open .cursor/mcp.json');
  if (open) await vscode.window.showTextDocument(vscode.Uri.joinPath(folder.uri, '.cursor', 'mcp.json'));
}
