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
  services.track(vscode.commands.registerCommand('llmgenie.mcp.install', () => installForOtherClients(services)));
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
  services.track(vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('llmgenie.mcp') && changed.fire()));
  const version = String(services.context.extension.packageJSON.version ?? '');
  const cliPath = services.context.asAbsolutePath('dist/cli.js');
  services.track(
    register.call(api.lm, 'llmgenie.mcp', {
      onDidChangeMcpServerDefinitions: changed.event,
      provideMcpServerDefinitions: () => {
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

async function installForOtherClients(services: ExtensionServices): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
  if (!folder) {
    void vscode.window.showWarningMessage('llmgenie: open a folder to register its MCP server.');
    return;
  }
  // Cursor and Claude Code start the server with their own `node`; the CLI path is this installation's.
  const entry = stdioLaunch({ cliPath: services.context.asAbsolutePath('dist/cli.js'), nodePath: 'node' });
  let results: McpConfigWrite[];
  try {
    results = await writeMcpConfigs(nodeFileSystem, folder.uri.fsPath.replace(/\\/g, '/'), entry);
  } catch (e) {
    services.reportError('mcp-install', 'could not write the MCP config files', e);
    return;
  }
  const refused = results.filter((r) => r.status === 'refused');
  const summary = results.map((r) => `${r.file}: ${r.status}${r.status === 'refused' ? ` (${r.error})` : ''}`).join('; ');
  services.log.info(`mcp install: ${summary}`);
  const show = refused.length ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  const pick = await show(`llmgenie MCP server: ${summary}`, 'Open .cursor/mcp.json');
  if (pick) await vscode.window.showTextDocument(vscode.Uri.joinPath(folder.uri, '.cursor', 'mcp.json'));
}
