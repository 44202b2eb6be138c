import { registerOllamaSetup } from '../onboarding/ollamaSetup';
import type { ExtensionServices } from '../services';
import { registerChat } from '../chat/registerChat';
import { registerApiKeyCommands } from './apiKey';
import { registerCommitMessage } from './commitMessage';
import { registerPanelCommands, type RouterParts } from './editorCommands';
import { registerResetRouting } from './learnedRouting';
import { ProviderHelp } from './providerHelp';
import { Proposals } from './proposals';
import { ResultsPanel } from './resultsPanel';
import { RouterRuntime, setRouterRuntime } from './routerRuntime';
import { RouterStatus } from './routerStatus';

/**
 * The router in the editor: status bar, editor commands, results panel, chat, API key, Ollama model pull. Nothing here
 * touches the network or reads settings until the first command runs.
 */
export function registerRouter(services: ExtensionServices): RouterStatus {
  const status = services.track(new RouterStatus(services));
  let runtime: RouterRuntime | undefined;
  const help = new ProviderHelp(services, status, () => runtime!);
  runtime = services.track(new RouterRuntime(services, status, { onTrouble: (t) => help.onTrouble(t) }));
  setRouterRuntime(services, runtime);
  const proposals = services.track(new Proposals(services));
  const panel = services.track(new ResultsPanel(services, proposals));
  const parts: RouterParts = { services, runtime, status, panel, help };
  registerApiKeyCommands(services);
  registerPanelCommands(parts);
  registerCommitMessage(parts);
  registerResetRouting(parts);
  registerChat(parts);
  registerOllamaSetup(parts);
  return status;
}
