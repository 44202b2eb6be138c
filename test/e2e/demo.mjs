// `npm run demo`: the packaged extension in the real editor (code-server) on a copy of the demo workspace.
// `npm run demo -- --fake-models`: the same against the stand-in model servers (fakeLlmServersMain.ts), so the
// router and a whole agent run can be watched with no Ollama and no key; the status bar says they are stand-ins.
// Prints the URL to open and keeps running until Ctrl+C.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startFakeLlmServers } from './fakeLlmServers.mjs';
import { copyWorkspace, startEditor } from './harness.mjs';

/** A git history makes the branch policy and "Generate Commit Message" demonstrable; best effort without git. */
function initGit(dir) {
  const git = (...args) => spawnSync('git', ['-c', 'user.name=llmgenie demo', '-c', 'user.email=demo@llmgenie.invalid', ...args], { cwd: dir, stdio: 'ignore' });
  if (git('init', '-q', '-b', 'main').status === 0) {
    git('add', '-A');
    git('commit', '-q', '-m', 'demo workspace');
  }
}

/** The stand-in coder writes node:test files; this check command runs them (accepted once in the editor). */
function agentSettings(dir) {
  mkdirSync(join(dir, '.vscode'), { recursive: true });
  writeFileSync(join(dir, '.vscode', 'settings.json'), `${JSON.stringify({ 'llmgenie.agents.checkCommand': 'node --test' }, null, 2)}\n`);
}

let args;
try {
  args = parseArgs({ options: { 'fake-models': { type: 'boolean' } } }).values;
} catch (e) {
  process.stderr.write(`demo: ${e.message}\nusage: npm run demo [-- --fake-models]\n`);
  process.exit(2);
}

const port = Number(process.env.LLMGENIE_DEMO_PORT || 8080);
process.env.LLMGENIE_VSIX_FRESH = '1'; // `npm run demo` has just packaged it
let editor;
let servers;
try {
  const workspace = copyWorkspace('demo-workspace');
  const settings = {};
  const env = {};
  if (args['fake-models']) {
    servers = await startFakeLlmServers({ agentLatencyMs: 150 });
    Object.assign(settings, { 'llmgenie.ollama.host': servers.ollama, 'llmgenie.claude.baseUrl': servers.anthropic });
    Object.assign(env, { ANTHROPIC_API_KEY: 'test-key', LLMGENIE_STAND_IN_MODELS: '1' }); // the stand-in server's key
    agentSettings(workspace);
  }
  initGit(workspace);
  editor = await startEditor({ workspace, port, settings, env });
} catch (e) {
  process.stderr.write(`demo: could not start the editor: ${e.message}\n`);
  await servers?.stop();
  process.exit(1);
}
const standIns = servers ? `  Models: stand-ins (Ollama ${servers.ollama}, Claude ${servers.anthropic}); try "llmgenie: Run Agents on Task…"\n` : '';
process.stdout.write(`\nllmgenie demo is running.\n  Open: ${editor.url}\n  Workspace (a scratch copy): ${editor.workspace}\n${standIns}Press Ctrl+C to stop.\n`);
const stop = async () => {
  await editor.stop();
  await servers?.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
setInterval(() => {}, 1 << 30);
