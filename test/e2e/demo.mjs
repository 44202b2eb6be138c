// `npm run demo`: the packaged extension in the real editor (code-server) on a copy of the demo workspace.
// Prints the URL to open and keeps running until Ctrl+C.
import { spawnSync } from 'node:child_process';
import { copyWorkspace, startEditor } from './harness.mjs';

/** A git history makes the branch policy and "Generate Commit Message" demonstrable; best effort without git. */
function initGit(dir) {
  const git = (...args) => spawnSync('git', ['-c', 'user.name=llmgenie demo', '-c', 'user.email=demo@llmgenie.invalid', ...args], { cwd: dir, stdio: 'ignore' });
  if (git('init', '-q', '-b', 'main').status === 0) {
    git('add', '-A');
    git('commit', '-q', '-m', 'demo workspace');
  }
}

const port = Number(process.env.LLMGENIE_DEMO_PORT || 8080);
process.env.LLMGENIE_VSIX_FRESH = '1'; // `npm run demo` has just packaged it
let editor;
try {
  const workspace = copyWorkspace('demo-workspace');
  initGit(workspace);
  editor = await startEditor({ workspace, port });
} catch (e) {
  process.stderr.write(`demo: could not start the editor: ${e.message}\n`);
  process.exit(1);
}
process.stdout.write(`\nllmgenie demo is running.\n  Open: ${editor.url}\n  Workspace (a scratch copy): ${editor.workspace}\nPress Ctrl+C to stop.\n`);
const stop = async () => {
  await editor.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
setInterval(() => {}, 1 << 30);
