// The router's heavy half: the provider SDKs (@anthropic-ai/sdk, ollama) and the answer checks' code parser.
// Bundled on its own as dist/routerEngine.js and loaded on the first task, so activation never parses it.
export { runTask } from '../../core/router/runTask';
export { createProviders } from '../../core/router/setup';
export { sameModel } from '../../core/router/ollamaProvider';
