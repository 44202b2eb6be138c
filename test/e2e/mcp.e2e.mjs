// MCP discovery in the real editor: VS Code lists llmgenie's server; Cursor and Claude Code config files get it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { copyWorkspace, launchBrowser, openWorkbench, repoRoot, runCommand, screenshot, startEditor } from './harness.mjs';

/** How many tools the built server itself lists (tools/list over stdio), so the editor's count is checked against it. */
async function serverToolCount(root) {
  const client = new Client({ name: 'mcp-e2e', version: '0' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [join(repoRoot, 'dist', 'cli.js'), 'mcp', '--root', root], stderr: 'pipe', cwd: root }));
  try {
    return (await client.listTools()).tools.length;
  } finally {
    await client.close();
  }
}

describe('mcp: llmgenie server discovery in a real editor', function () {
  this.timeout(180_000);
  let editor;
  let browser;
  let page;

  before(async () => {
    editor = await startEditor({ workspace: copyWorkspace('demo-workspace'), settings: { 'chat.disableAIFeatures': false } });
    browser = await launchBrowser();
    page = await openWorkbench(browser, editor);
    await page.locator('.statusbar-item', { hasText: 'llmgenie:' }).waitFor({ state: 'visible', timeout: 60_000 });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) await screenshot(page, `failed-mcp-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });

  after(async () => {
    await browser?.close();
    await editor?.stop();
  });

  it('VS Code lists the llmgenie MCP server with no setup', async () => {
    await runCommand(page, 'MCP: List Servers');
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: 'llmgenie' }).first();
    await row.waitFor({ state: 'visible', timeout: 20_000 });
    await screenshot(page, 'mcp-01-list-servers');
    await row.click();
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Start Server' }).first().click();
    // The editor starts `dist/cli.js mcp` over stdio with its own runtime and shows its log in the Output panel;
    // it must discover every tool the server lists.
    const tools = await serverToolCount(editor.workspace);
    assert.ok(tools >= 13, `the server lists ${tools} tools`);
    await page.locator('.panel', { hasText: new RegExp(`Discovered\\s+${tools}\\s+tools`) }).first().waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, 'mcp-01b-server-running');
  });

  it('registers the server for Cursor and Claude Code, as a committable project entry or for this machine only', async () => {
    const readEntry = (file) => JSON.parse(readFileSync(join(editor.workspace, file), 'utf8')).mcpServers.llmgenie;
    const choose = async (label) => {
      await runCommand(page, 'llmgenie: Register MCP Server for Cursor and Claude Code');
      const row = page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first();
      await row.waitFor({ state: 'visible', timeout: 15_000 });
      await row.click();
    };

    await choose('Project (commit it)');
    await page.locator('.notifications-toasts', { hasText: '.cursor/mcp.json: created' }).waitFor({ state: 'visible', timeout: 15_000 });
    await screenshot(page, 'mcp-02-registered-project');
    for (const file of ['.cursor/mcp.json', '.mcp.json']) assert.deepEqual(readEntry(file), { command: 'npx', args: ['llmgenie', 'mcp'] });

    await choose('This machine only');
    const toast = page.locator('.notifications-toasts', { hasText: '.cursor/mcp.json: updated' });
    await toast.waitFor({ state: 'visible', timeout: 15_000 });
    await toast.filter({ hasText: 'do not commit' }).waitFor({ state: 'visible', timeout: 5_000 });
    await screenshot(page, 'mcp-03-registered-machine');
    for (const file of ['.cursor/mcp.json', '.mcp.json']) {
      const entry = readEntry(file);
      assert.equal(entry.command, 'node');
      assert.match(entry.args[0], /dist\/cli\.js$/);
      assert.deepEqual(entry.args.slice(1), ['mcp']);
    }
  });
});
