import * as vscode from 'vscode';
import { BusConfigError, maskSecretsInText, resolveBusChoice, workspaceBusId } from '../../core/agents/bus/redisConfig';
import { openRedisBus } from '../../core/agents/bus/redisBus';
import type { Bus } from '../../core/agents/bus/bus';
import { AGENT_SETTING_KEYS, agentSettingsFrom, type AgentSettings } from '../../core/agents/setup';
import { nodeGitRunner } from '../../core/platform/git';
import type { ExtensionServices } from '../services';

export const BUS_SETTING = 'llmgenie.agents.bus';
/** SecretStorage key of the Redis password: never in settings, never logged. */
const REDIS_PASSWORD_SECRET = 'llmgenie.agents.redisPassword';

/** The agent settings as the editor resolves them for one folder (workspace values win, as in the CLI). */
export function editorAgentSettings(folder: vscode.Uri): AgentSettings {
  const c = vscode.workspace.getConfiguration(undefined, folder);
  return agentSettingsFrom(Object.fromEntries(Object.values(AGENT_SETTING_KEYS).map((k) => [k, c.get(k)])));
}

/**
 * The bus a run from this editor uses: undefined for the embedded journal (the launcher's default), or the team
 * bus on Redis with the password from the environment or secret storage. Throws one line for a bad setting.
 */
export async function openEditorBus(services: ExtensionServices, root: string): Promise<Bus | undefined> {
  const setting = vscode.workspace.getConfiguration().get<string>(BUS_SETTING);
  let resolved;
  try {
    resolved = resolveBusChoice({ setting, env: process.env, secretPassword: (await services.context.secrets.get(REDIS_PASSWORD_SECRET)) || undefined });
  } catch (e) {
    if (e instanceof BusConfigError) throw new Error(e.message);
    throw e;
  }
  if (resolved.choice.kind === 'embedded') return undefined;
  let remote: string;
  try {
    remote = (await nodeGitRunner(['remote', 'get-url', 'origin'], root)).trim();
  } catch {
    throw new Error('a team bus needs a clone with a git remote "origin" (it names the bus workspace and carries the branches)');
  }
  try {
    return await openRedisBus({ url: resolved.choice.url, workspace: workspaceBusId(remote), ...(resolved.password ? { password: resolved.password } : {}) });
  } catch (e) {
    throw new Error(maskSecretsInText((e as Error).message ?? String(e)));
  }
}

export function registerRedisPasswordCommands(services: ExtensionServices): void {
  services.command('llmgenie.agents.setRedisPassword', async () => {
    const value = await vscode.window.showInputBox({
      title: 'llmgenie: Redis password for the team bus',
      prompt: `Kept in the editor's secret storage, used for ${BUS_SETTING} when it is a redis:// URL; never written to settings or logs.`,
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => (v.length > 0 && !v.trim() ? 'The password is only spaces' : undefined),
    });
    if (!value) return;
    await services.context.secrets.store(REDIS_PASSWORD_SECRET, value);
    services.log.info('agents: Redis password stored in secret storage');
    void vscode.window.showInformationMessage('llmgenie: Redis password stored in secret storage.');
  });
  services.command('llmgenie.agents.clearRedisPassword', async () => {
    const had = !!(await services.context.secrets.get(REDIS_PASSWORD_SECRET));
    await services.context.secrets.delete(REDIS_PASSWORD_SECRET);
    const env = process.env.LLMGENIE_REDIS_PASSWORD ? ' LLMGENIE_REDIS_PASSWORD from the environment is still used.' : '';
    void vscode.window.showInformationMessage(`llmgenie: ${had ? 'Redis password removed from secret storage.' : 'No Redis password was stored.'}${env}`);
  });
}
