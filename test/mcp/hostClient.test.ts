// Every tool the way VS Code, Cursor and Claude Code call it: the SDK Client lists the tools first (so it holds
// each output schema and validates every structured result against it), then calls. Over the shipped CLI's stdio
// and over streamable HTTP, on a workspace on disk with a fake Ollama behind `ask`.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { nodeFileSystem } from '../../src/core/platform/fileSystem';
import { startMcpHttpServer, type McpHttpHandle } from '../../src/mcp/http';
import { createLlmgenieServer, McpWorkspace } from '../../src/mcp/server';
import { FAKE_OLLAMA_MODEL, startFakeOllama, type FakeOllama } from '../support/fakeOllama';
import { diskWorkspace, fakeGit, fixedClock, removeDir } from './fixture';

const CLI = resolve('dist/cli.js');

/** One ordinary, successful call per tool. A tool missing here fails the suite: every tool is covered. */
const CALLS: Record<string, Record<string, unknown>> = {
  check_policy: { path: 'src/billing.ts' },
  validate_handoff: { path: 'docs/handoff/billing' },
  create_handoff: { name: 'host-test', files: ['src/billing.ts'], questions: ['Where are totals? — src/billing.ts'] },
  search_lessons: { query: 'integer cents' },
  add_lesson: { title: 'Hosts list tools before calling', body: 'The SDK client validates results it has a schema for.', tags: ['mcp'] },
  list_rules: {},
  get_rule: { id: '001' },
  route_task: { prompt: 'rename a variable in this function' },
  ask: { prompt: 'What does total() return?', route: 'local' },
  record_decision: { title: 'Validate every tool as a host', decision: 'List then call in tests.', context: 'Hosts validate.' },
  list_sessions: {},
  agents_run: { tasks: ['Add a clamp helper with tests'], dryRun: true },
  agents_status: {},
};

/** Also the text-only variants that take a different branch through the same result shape. */
const EXTRA_CALLS: Array<[string, Record<string, unknown>]> = [
  ['validate_handoff', { text: '# Notes\n\n## Files\n\n- `src/billing.ts`\n' }],
  ['check_policy', { text: 'console.log(1)', language: 'typescript' }],
  ['list_sessions', { limit: 1 }],
];

async function listThenCallEverything(client: Client): Promise<void> {
  const { tools } = await client.listTools();
  assert.deepEqual(tools.map((t) => t.name).sort(), Object.keys(CALLS).sort(), 'every tool has a host call here');
  for (const t of tools) assert.ok(t.outputSchema, `${t.name} lists an output schema`);
  for (const [name, args] of [...Object.entries(CALLS), ...EXTRA_CALLS]) {
    // callTool throws (-32602) when structuredContent does not match the listed output schema.
    const r = (await client.callTool({ name, arguments: args })) as CallToolResult;
    assert.ok(!r.isError, `${name}: ${JSON.stringify(r.content)}`);
    assert.ok(r.structuredContent, `${name} returns structured content`);
  }
}

describe('mcp tools as a host calls them: list, then call with output validation', function () {
  this.timeout(60_000);
  let dir: string;
  let ollama: FakeOllama;
  const env = (): Record<string, string> => ({ OLLAMA_HOST: ollama.host, LLMGENIE_OLLAMA_MODEL: FAKE_OLLAMA_MODEL });

  beforeEach(async () => {
    dir = diskWorkspace();
    ollama = await startFakeOllama();
  });
  afterEach(async () => {
    await ollama.close();
    removeDir(dir);
  });

  it('over stdio (the built CLI)', async function () {
    if (!existsSync(CLI)) this.skip();
    const transport = new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp', '--root', dir], env: { ...process.env, ...env() } as Record<string, string>, stderr: 'pipe' });
    const client = new Client({ name: 'host-stdio', version: '1.0.0' });
    await client.connect(transport);
    try {
      await listThenCallEverything(client);
    } finally {
      await client.close();
    }
  });

  it('over streamable HTTP', async () => {
    const ws = new McpWorkspace({ root: dir, fs: nodeFileSystem, clock: fixedClock, env: env(), git: fakeGit });
    const h: McpHttpHandle = await startMcpHttpServer({ port: 0, createServer: () => createLlmgenieServer(ws) });
    const client = new Client({ name: 'host-http', version: '1.0.0' });
    try {
      await client.connect(new StreamableHTTPClientTransport(new URL(h.url)));
      await listThenCallEverything(client);
    } finally {
      await client.close().catch(() => {});
      await h.close();
    }
  });
});
