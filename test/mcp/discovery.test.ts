import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parse as parseJsonc } from 'jsonc-parser';
import { McpConfigError, mergeMcpConfig, stdioLaunch, writeMcpConfigs, type McpServerEntry } from '../../src/mcp/discovery';
import { MemoryFileSystem } from '../support/memoryFileSystem';

const ENTRY: McpServerEntry = { command: 'npx', args: ['llmgenie', 'mcp'] };

function servers(text: string): Record<string, unknown> {
  return (parseJsonc(text) as { mcpServers: Record<string, unknown> }).mcpServers;
}

describe('mcp discovery: mergeMcpConfig', () => {
  it('creates a config when there is none', () => {
    for (const empty of [undefined, '', '  \n']) {
      assert.equal(mergeMcpConfig(empty, ENTRY), '{\n  "mcpServers": {\n    "llmgenie": {\n      "command": "npx",\n      "args": [\n        "llmgenie",\n        "mcp"\n      ]\n    }\n  }\n}\n');
    }
  });

  it('adds the server next to others, keeping unknown keys and comments; only mcpServers is re-indented', () => {
    const before = '{\n  // team servers\n  "mcpServers": {\n    // ours\n    "github": { "command": "gh-mcp", "args": [], "env": { "X": "1" } }\n  },\n  "inputs": [{ "id": "tok" }]\n}\n';
    const after = mergeMcpConfig(before, ENTRY);
    assert.ok(after.startsWith('{\n  // team servers\n  "mcpServers": {\n    // ours\n    "github": {'));
    assert.ok(after.endsWith('\n  },\n  "inputs": [{ "id": "tok" }]\n}\n'));
    assert.deepEqual(servers(after), { github: { command: 'gh-mcp', args: [], env: { X: '1' } }, llmgenie: ENTRY });
    assert.deepEqual((parseJsonc(after) as { inputs: unknown }).inputs, [{ id: 'tok' }]);
    assert.ok(after.endsWith('}\n'));
  });

  it('updates only command/args of an existing entry, keeping the keys a user added to it', () => {
    const before = JSON.stringify({ mcpServers: { llmgenie: { command: 'node', args: ['/old/cli.js', 'mcp'], disabled: false, env: { A: 'b' } } } }, null, 2);
    const after = mergeMcpConfig(before, ENTRY);
    assert.deepEqual(servers(after), { llmgenie: { command: 'npx', args: ['llmgenie', 'mcp'], disabled: false, env: { A: 'b' } } });
  });

  it('returns the text unchanged when the entry is already there (idempotent)', () => {
    const once = mergeMcpConfig('{"mcpServers":{"a":{"command":"a"}}}', ENTRY);
    assert.equal(mergeMcpConfig(once, ENTRY), once);
    const tabs = '{\n\t"mcpServers": {\n\t\t"llmgenie": {\n\t\t\t"command": "npx",\n\t\t\t"args": ["llmgenie", "mcp"]\n\t\t}\n\t}\n}\n';
    assert.equal(mergeMcpConfig(tabs, ENTRY), tabs);
  });

  it('keeps tabs and CRLF line ends when it has to add the entry', () => {
    const after = mergeMcpConfig('{\r\n\t"mcpServers": {\r\n\t\t"a": {"command": "a"}\r\n\t}\r\n}\r\n', ENTRY);
    assert.ok(!/[^\r]\n/.test(after), 'a bare LF was introduced');
    assert.match(after, /\r\n\t\t"llmgenie": \{\r\n\t\t\t"command": "npx"/);
    assert.deepEqual(Object.keys(servers(after)), ['a', 'llmgenie']);
  });

  it('refuses malformed JSON or an unexpected shape, saying where, instead of overwriting', () => {
    assert.throws(() => mergeMcpConfig('{\n  "mcpServers": {\n    "a": { "command": "a" \n  }\n}', ENTRY), (e: unknown) => {
      assert.ok(e instanceof McpConfigError);
      assert.match(e.message, /^not valid JSON \(\w+ at line \d+, column \d+\); fix it by hand, it was not changed$/);
      return true;
    });
    assert.throws(() => mergeMcpConfig('[]', ENTRY), /top level is not a JSON object/);
    assert.throws(() => mergeMcpConfig('{"mcpServers": []}', ENTRY), /"mcpServers" is not an object/);
    assert.throws(() => mergeMcpConfig('{"mcpServers": {}} trailing', ENTRY), McpConfigError);
  });

  it('never clobbers other servers (property)', () => {
    const value = fc.jsonValue({ maxDepth: 3 });
    const name = fc.string({ minLength: 1, maxLength: 12 }).filter((n) => n !== 'llmgenie' && n !== '__proto__');
    fc.assert(
      fc.property(fc.dictionary(name, value, { maxKeys: 6 }), fc.dictionary(name, value, { maxKeys: 4 }), fc.boolean(), (others, top, pretty) => {
        const doc = { ...top, mcpServers: others };
        const text = pretty ? JSON.stringify(doc, null, 2) : JSON.stringify(doc);
        // JSON.parse, not a JSONC reader: only it keeps a "__proto__" key as data, as the text edit does.
        const after = JSON.parse(mergeMcpConfig(text, ENTRY)) as Record<string, unknown>;
        const { llmgenie, ...rest } = after.mcpServers as Record<string, unknown>;
        assert.deepEqual(llmgenie, ENTRY);
        assert.deepEqual(rest, JSON.parse(JSON.stringify(others)));
        const { mcpServers: _m, ...restTop } = after;
        const { mcpServers: _d, ...docTop } = JSON.parse(text) as Record<string, unknown>;
        assert.deepEqual(restTop, docTop);
      }),
      { numRuns: 150 },
    );
  });

  it('arbitrary text gives a config with the entry or a McpConfigError, never anything else (fuzz)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 80 }), fc.json().map((j) => j.slice(0, Math.max(1, j.length - 1)))), (text) => {
        try {
          const out = mergeMcpConfig(text, ENTRY);
          assert.deepEqual(servers(out).llmgenie, ENTRY);
        } catch (e) {
          assert.ok(e instanceof McpConfigError, `unexpected ${String(e)} for ${JSON.stringify(text)}`);
        }
      }),
      { numRuns: 400 },
    );
  });
});

describe('mcp discovery: files and launch command', () => {
  it('writes .cursor/mcp.json and .mcp.json, then reports them unchanged', async () => {
    const fs = new MemoryFileSystem({ '/ws/.mcp.json': '{"mcpServers": {"other": {"command": "x"}}}\n' });
    const first = await writeMcpConfigs(fs, '/ws', ENTRY);
    assert.deepEqual(first, [
      { target: 'cursor', file: '.cursor/mcp.json', status: 'created' },
      { target: 'claude', file: '.mcp.json', status: 'updated' },
    ]);
    assert.deepEqual(Object.keys(servers(await fs.readText('/ws/.mcp.json'))), ['other', 'llmgenie']);
    assert.deepEqual((await writeMcpConfigs(fs, '/ws', ENTRY)).map((r) => r.status), ['unchanged', 'unchanged']);
  });

  it('refuses a malformed file without touching it and still writes the other', async () => {
    const broken = '{"mcpServers": {"other": ';
    const fs = new MemoryFileSystem({ '/ws/.cursor/mcp.json': broken });
    const out = await writeMcpConfigs(fs, '/ws', ENTRY);
    assert.equal(out[0].status, 'refused');
    assert.match((out[0] as { error: string }).error, /not valid JSON/);
    assert.equal(await fs.readText('/ws/.cursor/mcp.json'), broken);
    assert.equal(out[1].status, 'created');
    assert.deepEqual(await writeMcpConfigs(fs, '/ws', ENTRY, ['claude']), [{ target: 'claude', file: '.mcp.json', status: 'unchanged' }]);
  });

  it('stdioLaunch: npx by default, node + bundled CLI for the editor adapter, optional root', () => {
    assert.deepEqual(stdioLaunch(), { command: 'npx', args: ['llmgenie', 'mcp'] });
    assert.deepEqual(stdioLaunch({ cliPath: '/ext/dist/cli.js', nodePath: '/usr/bin/node', root: '/ws' }), {
      command: '/usr/bin/node',
      args: ['/ext/dist/cli.js', 'mcp', '--root', '/ws'],
    });
    assert.deepEqual(stdioLaunch({ cliPath: '/ext/dist/cli.js' }).command, 'node');
    assert.deepEqual(stdioLaunch({ cliPath: '/ext/dist/cli.js', nodePath: '/vscode/code', env: { ELECTRON_RUN_AS_NODE: '1' } }), {
      command: '/vscode/code',
      args: ['/ext/dist/cli.js', 'mcp'],
      env: { ELECTRON_RUN_AS_NODE: '1' },
    });
  });
});
