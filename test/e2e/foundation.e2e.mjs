// The extension in a real VS Code (code-server), driven through Chromium as a person would.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { copyWorkspace, launchBrowser, openWorkbench, runCommand, screenshot, startEditor } from './harness.mjs';

describe('llmgenie in a real editor', function () {
  this.timeout(180_000);
  let editor;
  let browser;
  let page;

  before(async () => {
    editor = await startEditor({ workspace: copyWorkspace('demo-workspace') });
    browser = await launchBrowser();
    page = await openWorkbench(browser, editor);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) await screenshot(page, `failed-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });

  after(async () => {
    await browser?.close();
    await editor?.stop();
  });

  it('activates: the router status-bar item shows the mode', async () => {
    const item = page.locator('.statusbar-item', { hasText: 'llmgenie: Auto' });
    await item.waitFor({ state: 'visible', timeout: 60_000 });
    await screenshot(page, '01-activated-status-bar');
    assert.match(await item.innerText(), /llmgenie: Auto/);
  });

  it('logs its activation time to the llmgenie output channel', async () => {
    const log = await waitForFile(editor.extensionLogDir, /llmgenie\.log$/, /activated in ([\d.]+) ms/);
    const ms = Number(/activated in ([\d.]+) ms/.exec(log)[1]);
    console.log(`      activation: ${ms} ms (target < 30 ms)`);
    assert.ok(ms > 0);
  });

  it('switches the router mode from the status bar', async () => {
    await page.locator('.statusbar-item', { hasText: 'llmgenie: Auto' }).click();
    const input = page.locator('.quick-input-widget');
    await input.waitFor({ state: 'visible' });
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Cloud' }).first().click();
    const cloud = page.locator('.statusbar-item', { hasText: 'llmgenie: Cloud' });
    await cloud.waitFor({ state: 'visible', timeout: 10_000 });
    await screenshot(page, '02-router-mode-cloud');
    await runCommand(page, 'llmgenie: Select Router Mode');
    await page.locator('.quick-input-widget', { hasText: 'llmgenie: Router Mode' }).waitFor({ state: 'visible' });
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Routine tasks go to the local' }).first().click();
    await page.locator('.statusbar-item', { hasText: 'llmgenie: Auto' }).waitFor({ state: 'visible', timeout: 10_000 });
  });

  it('opens the llmgenie container with the Lessons and Sessions views', async () => {
    await page.locator('.activitybar .action-item a[aria-label^="llmgenie"], .activitybar .action-label[aria-label^="llmgenie"]').first().click();
    const sidebar = page.locator('.sidebar');
    await sidebar.locator('.pane-header', { hasText: /Lessons/i }).waitFor({ state: 'visible', timeout: 15_000 });
    await sidebar.locator('.pane-header', { hasText: /Sessions/i }).waitFor({ state: 'visible', timeout: 15_000 });
    // The demo workspace ships four days of session logs; the newest is listed first.
    await sidebar.locator('.monaco-list-row', { hasText: '2026-11-24' }).first().waitFor({ state: 'visible', timeout: 15_000 });
    const lessons = page.frameLocator('iframe.webview.ready').first().frameLocator('iframe#active-frame');
    await lessons.locator('article.card').first().waitFor({ state: 'visible', timeout: 20_000 });
    await screenshot(page, '03-llmgenie-container');
  });

  it('shows a malformed rule file in the Problems panel', async () => {
    await runCommand(page, 'View: Focus Problems');
    const panel = page.locator('.markers-panel');
    await panel.waitFor({ state: 'visible', timeout: 15_000 });
    const broken = panel.getByText('has unbalanced braces').first();
    await broken.waitFor({ state: 'visible', timeout: 30_000 });
    const unregistered = panel.getByText('not registered in rules_manifest.json').first();
    await unregistered.waitFor({ state: 'visible', timeout: 10_000 });
    await screenshot(page, '04-problems-malformed-rule');
    assert.ok(await broken.isVisible());
  });

  it('generates the rules manifest and the unregistered-rule warning goes away', async () => {
    await runCommand(page, 'llmgenie: Generate Rules Manifest');
    await page.locator('.tab', { hasText: 'rules_manifest.json' }).first().waitFor({ state: 'visible', timeout: 15_000 });
    const panel = page.locator('.markers-panel');
    await panel.getByText('not registered in rules_manifest.json').first().waitFor({ state: 'detached', timeout: 15_000 });
    await screenshot(page, '05-manifest-generated');
    const manifest = JSON.parse(readFileSync(join(editor.workspace, 'rules_manifest.json'), 'utf8'));
    assert.deepEqual(manifest.rules.map((r) => r.id), ['001', '009', '050', '400']);
  });
});

async function waitForFile(dir, namePattern, contentPattern, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const f of readdirSync(dir, { recursive: true })) {
      if (!namePattern.test(String(f))) continue;
      const text = readFileSync(join(dir, String(f)), 'utf8');
      if (contentPattern.test(text)) return text;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no log matching ${contentPattern} under ${dir}`);
}
