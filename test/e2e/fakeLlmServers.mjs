// Starts the fake Ollama + Anthropic servers (TypeScript, in test/support) in a child process on 127.0.0.1, scripted
// by fakeLlmServersMain.ts (agent roles and the editor scenarios). Returns their URLs, `dump()` for the chat requests they received, and `stop()`.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { repoRoot } from './harness.mjs';

/** `agentLatencyMs`: delay before each agent role's reply, so a run's progress can be seen in the editor. */
export async function startFakeLlmServers({ agentLatencyMs = 0 } = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/e2e/fakeLlmServersMain.ts'], {
    cwd: repoRoot,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, LLMGENIE_FAKE_AGENT_LATENCY_MS: String(agentLatencyMs) },
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const waiting = [];
  const lines = createInterface({ input: child.stdout });
  lines.on('line', (line) => {
    let msg;
    try {
      msg = JSON.parse(line);
    } catch {
      return;
    }
    const i = waiting.findIndex((w) => w.event === msg.event);
    if (i !== -1) waiting.splice(i, 1)[0].resolve(msg);
  });
  const next = (event, timeoutMs = 30_000) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`fake LLM servers: no "${event}" within ${timeoutMs} ms\n${stderr}`)), timeoutMs);
      waiting.push({ event, resolve: (m) => (clearTimeout(timer), resolve(m)) });
      child.once('exit', (code) => reject(new Error(`fake LLM servers exited (${code})\n${stderr}`)));
    });
  const ready = await next('ready');
  return {
    ollama: ready.ollama,
    anthropic: ready.anthropic,
    /** `{ ollama: OllamaChatBody[], anthropic: ClaudeRequestBody[] }` as received so far. */
    async dump() {
      const p = next('dump');
      child.stdin.write('dump\n');
      return p;
    },
    async stop() {
      child.stdin.end();
      await new Promise((r) => {
        const t = setTimeout(() => (child.kill(), r()), 3000);
        child.once('exit', () => (clearTimeout(t), r()));
      });
    },
  };
}
