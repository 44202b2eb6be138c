import * as vscode from 'vscode';
import type { RouterParts } from '../router/editorCommands';
import { loadEngine } from '../router/loadEngine';
import { updateWhereDefined } from '../router/routerStatus';
import { markSetup } from './setupState';

export const CHECK_OLLAMA = 'llmgenie.setup.checkOllama';
export const SET_OLLAMA_HOST = 'llmgenie.setup.ollamaHost';
export const CHOOSE_OLLAMA_MODEL = 'llmgenie.setup.ollamaModel';

const PULL_ITEM = '$(cloud-download) Pull a model…';

/**
 * Setup commands for the local model, also the walkthrough's first two steps: check the connection (asks Ollama
 * which models it has), set the host, choose an installed model or pull one with progress.
 */
export function registerOllamaSetup(parts: RouterParts): void {
  const { services } = parts;
  services.command(CHECK_OLLAMA, () => checkOllama(parts));
  services.command(SET_OLLAMA_HOST, () => setHost(parts));
  services.command(CHOOSE_OLLAMA_MODEL, () => chooseModel(parts));
}

/** What Ollama has, or why it could not be asked (one line); ticks the connection and model steps it proves. */
async function installedModels(parts: RouterParts): Promise<{ host: string; model: string; models?: string[]; error?: string }> {
  const { providers } = await parts.runtime.providers();
  const local = providers.local;
  try {
    const models = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `llmgenie: asking Ollama at ${local.host}` },
      () => local.listModels(AbortSignal.timeout(10_000)),
    );
    markSetup('ollamaReachable');
    const has = models.some((m) => loadEngine().sameModel(local.model, m));
    if (has) markSetup('modelReady');
    parts.status.setHealth({ ollama: has ? { ok: true, text: 'reachable' } : { ok: false, text: 'model not installed' } });
    return { host: local.host, model: local.model, models };
  } catch (e) {
    parts.status.setHealth({ ollama: { ok: false, text: 'not running' } });
    return { host: local.host, model: local.model, error: (e as Error).message };
  }
}

async function checkOllama(parts: RouterParts): Promise<void> {
  const r = await installedModels(parts);
  if (!r.models) {
    const pick = await vscode.window.showWarningMessage(`llmgenie: Ollama did not answer at ${r.host}: ${r.error}`, 'Set Ollama Host…', 'Download Ollama');
    if (pick === 'Set Ollama Host…') await setHost(parts);
    else if (pick === 'Download Ollama') await vscode.env.openExternal(vscode.Uri.parse('https://ollama.com/download'));
    return;
  }
  if (r.models.some((m) => loadEngine().sameModel(r.model, m))) {
    void vscode.window.showInformationMessage(`llmgenie: Ollama at ${r.host} is reachable and has ${r.model}.`);
    return;
  }
  const pull = `Pull ${r.model}`;
  const list = r.models.length ? `installed: ${r.models.slice(0, 5).join(', ')}${r.models.length > 5 ? ', …' : ''}` : 'no models are installed';
  const pick = await vscode.window.showWarningMessage(`llmgenie: Ollama at ${r.host} is reachable but does not have ${r.model} (${list}).`, pull, 'Choose Ollama Model…');
  if (pick === pull) await pullModel(parts, r.model);
  else if (pick) await chooseModel(parts);
}

async function setHost(parts: RouterParts): Promise<void> {
  const current = vscode.workspace.getConfiguration('llmgenie.ollama').get<string>('host', '');
  const value = await vscode.window.showInputBox({
    title: 'llmgenie: Ollama Host',
    prompt: 'Where Ollama listens. Empty: OLLAMA_HOST, else http://127.0.0.1:11434.',
    value: current,
    placeHolder: 'http://127.0.0.1:11434',
    ignoreFocusOut: true,
    validateInput: (v) => (!v.trim() || /^https?:\/\/[^\s/]+(?::\d+)?\/?$/.test(v.trim()) ? undefined : 'A URL such as http://127.0.0.1:11434 or http://gpu-box:11434'),
  });
  if (value === undefined) return;
  const where = await updateWhereDefined('llmgenie.ollama', 'host', value.trim().replace(/\/$/, ''));
  parts.services.log.info(`ollama host: ${value.trim() || '(default)'} (${where} settings)`);
  parts.runtime.invalidate();
  await checkOllama(parts);
}

async function chooseModel(parts: RouterParts): Promise<void> {
  const r = await installedModels(parts);
  if (!r.models) {
    const pick = await vscode.window.showWarningMessage(`llmgenie: Ollama did not answer at ${r.host}, so its models cannot be listed: ${r.error}`, 'Set Ollama Host…');
    if (pick) await setHost(parts);
    return;
  }
  const items: vscode.QuickPickItem[] = [
    ...r.models.map((m) => ({ label: m, description: loadEngine().sameModel(r.model, m) ? 'current' : undefined })),
    { label: PULL_ITEM, detail: 'Download a model into Ollama, with progress' },
  ];
  const pick = await vscode.window.showQuickPick(items, { title: `llmgenie: Ollama model for local tasks (Ollama at ${r.host})`, placeHolder: `Now: ${r.model}` });
  if (!pick) return;
  if (pick.label !== PULL_ITEM) {
    await useModel(parts, pick.label);
    markSetup('modelReady');
    void vscode.window.showInformationMessage(`llmgenie: Local tasks use ${pick.label}.`);
    return;
  }
  const name = (
    await vscode.window.showInputBox({
      title: 'llmgenie: Pull Ollama Model',
      prompt: `Model to download into Ollama at ${r.host}; it becomes the model for local tasks`,
      value: r.model,
      validateInput: (v) => (/^[\w.\-/:]+$/.test(v.trim()) ? undefined : 'A model name such as qwen2.5-coder:7b'),
    })
  )?.trim();
  if (name) await pullModel(parts, name);
}

/** The pulled model becomes the configured one first, so the pull's own "Run Again" and health apply to it. */
async function pullModel(parts: RouterParts, name: string): Promise<void> {
  const current = vscode.workspace.getConfiguration('llmgenie.ollama').get<string>('model', '');
  if (name !== current) await useModel(parts, name);
  await parts.help.pull(name);
}

async function useModel(parts: RouterParts, model: string): Promise<void> {
  const where = await updateWhereDefined('llmgenie.ollama', 'model', model);
  parts.services.log.info(`ollama model: ${model} (${where} settings)`);
  parts.runtime.invalidate();
}
