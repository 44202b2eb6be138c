import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedBus } from '../../../src/core/agents/bus/embeddedBus';
import { fileCommandApprovals } from '../../../src/core/agents/checkCommand';
import { makeRunId, runPaths } from '../../../src/core/agents/layout';
import { resumeRun, startRun } from '../../../src/core/agents/orchestrator';
import type { RunSummary } from '../../../src/core/agents/runState';
import { agentSettingsFrom, createAgentDeps, type AgentSettings } from '../../../src/core/agents/setup';
import type { AgentDeps } from '../../../src/core/agents/stepContext';
import { nodeGitRunner } from '../../../src/core/platform/git';
import { systemClock } from '../../../src/core/platform/clock';
import { nodeFileSystem } from '../../../src/core/platform/fileSystem';
import { nodeProcessRunner } from '../../../src/core/platform/process';
import { createProviders } from '../../../src/core/router/setup';
import type { SessionEventInput } from '../../../src/core/sessions/sink';
import { FAKE_CLAUDE_KEY, startFakeAnthropic, type FakeAnthropic } from '../../support/fakeAnthropic';
import { AgentModelScript, claudeAgentReply, ollamaAgentReply, type AgentScenario } from '../../support/fakeAgentModels';
import { startFakeOllama, type FakeOllama } from '../../support/fakeOllama';

export const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.invalid', ...args], { cwd, encoding: 'utf8' }).trim();

/** A small repository with enough files for a package to list five. */
export function makeRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'llmgenie-agents-')).replace(/\\/g, '/');
  const files: Record<string, string> = {
    'README.md': '# demo\n\nSmall helpers.\n',
    'package.json': '{ "name": "demo", "type": "module", "private": true }\n',
    'src/index.mjs': 'export const version = 1;\n',
    'docs/notes.md': '# Notes\n\nHelpers are pure functions.\n',
    'test/index.test.mjs': 'import { test } from "node:test";\nimport assert from "node:assert/strict";\nimport { version } from "../src/index.mjs";\ntest("version", () => assert.equal(version, 1));\n',
    '.vscode/settings.json': '{ "llmgenie.agents.checkCommand": "node --test" }\n',
  };
  for (const [p, t] of Object.entries(files)) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), t);
  }
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'initial');
  return dir;
}

export interface Harness {
  root: string;
  ollama: FakeOllama;
  anthropic: FakeAnthropic;
  script: AgentModelScript;
  events: SessionEventInput[];
  stateDir: string;
  env: Record<string, string>;
  deps(run: string, settings?: Partial<AgentSettings>): Promise<AgentDeps>;
  run(tasks: string[], o?: { parallel?: number; settings?: Partial<AgentSettings>; signal?: AbortSignal; onProgress?: (s: RunSummary) => void }): Promise<RunSummary>;
  resume(run: string): Promise<RunSummary>;
  close(): Promise<void>;
}

export async function startHarness(scenario: AgentScenario = {}, o: { accept?: boolean } = {}): Promise<Harness> {
  const root = makeRepo();
  const script = new AgentModelScript(scenario);
  const ollama = await startFakeOllama({ reply: ollamaAgentReply(script) });
  const anthropic = await startFakeAnthropic({ reply: claudeAgentReply(script) });
  const stateDir = mkdtempSync(join(tmpdir(), 'llmgenie-state-')).replace(/\\/g, '/');
  const approvals = fileCommandApprovals(nodeFileSystem, `${stateDir}/approvals.json`);
  if (o.accept !== false) await approvals.accept(root, 'node --test');
  const events: SessionEventInput[] = [];
  const providers = createProviders({ ollamaHost: ollama.host, anthropicApiKey: FAKE_CLAUDE_KEY, anthropicBaseURL: anthropic.url });
  const sink = { append: async (e: SessionEventInput) => void events.push(e) };
  const deps = async (run: string, settings: Partial<AgentSettings> = {}) =>
    createAgentDeps({
      fs: nodeFileSystem,
      root,
      run,
      router: { ...providers, sink },
      settings: { ...agentSettingsFrom({ 'llmgenie.agents.checkCommand': 'node --test' }), ...settings },
      gitRunner: nodeGitRunner,
      runProcess: nodeProcessRunner,
      clock: systemClock,
      approvals,
      trusted: true,
    });
  const bus = () => new EmbeddedBus({ fs: nodeFileSystem, journalPath: (r) => runPaths(root, r).journal });
  const owner = { pid: process.pid, host: 'test' };
  return {
    root,
    ollama,
    anthropic,
    script,
    events,
    stateDir,
    env: { OLLAMA_HOST: ollama.host, ANTHROPIC_API_KEY: FAKE_CLAUDE_KEY, ANTHROPIC_BASE_URL: anthropic.url, LLMGENIE_STATE_DIR: stateDir },
    deps,
    async run(tasks, ro = {}) {
      const runId = makeRunId(new Date(), Math.random().toString(36).slice(2, 6));
      const b = bus();
      try {
        return await startRun({ root, bus: b, deps: await deps(runId, ro.settings), parallel: ro.parallel ?? 2, owner, tasks, runId, ...(ro.signal ? { signal: ro.signal } : {}), ...(ro.onProgress ? { onProgress: ro.onProgress } : {}) });
      } finally {
        await b.close();
      }
    },
    async resume(run) {
      const b = bus();
      try {
        return await resumeRun({ root, bus: b, deps: await deps(run), parallel: 2, owner, run });
      } finally {
        await b.close();
      }
    },
    async close() {
      await ollama.close();
      await anthropic.close();
      rmSync(root, { recursive: true, force: true });
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
