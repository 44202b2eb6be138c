// `npm run demo`: the packaged extension in the real editor (code-server) on a copy of the demo workspace.
// Prints the URL to open and keeps running until Ctrl+C.
import { copyWorkspace, startEditor } from './harness.mjs';

const port = Number(process.env.LLMGENIE_DEMO_PORT || 8080);
process.env.LLMGENIE_VSIX_FRESH = '1'; // `npm run demo` has just packaged it
let editor;
try {
  editor = await startEditor({ workspace: copyWorkspace('demo-workspace'), port });
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
