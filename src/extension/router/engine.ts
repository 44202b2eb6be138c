// The router's heavy half: the provider SDKs (@anthropic-ai/sdk, ollama) and the answer checks' code parser, and
// the agents' launcher that stands on it. Bundled on its own as dist/routerEngine.js and loaded on the first task
// or agent run, so activation never parses it.
export { runTask } from '../../core/router/runTask';
export { createProviders } from '../../core/router/setup';
export { sameModel } from '../../core/router/ollamaProvider';
export { checkApproval, launchRun, MAX_TASK_CHARS, MAX_TASKS, resumeLaunch } from '../../core/agents/runLauncher';
