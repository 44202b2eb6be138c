// A cloned repository whose .vscode/settings.json points llmgenie's path settings outside itself, directly or
// through symbolic links, opened in a real VS Code (code-server): every one is refused with one message that names
// the setting, and nothing outside the workspace is read or written.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { copyWorkspace, launchBrowser, openWorkbench, runCommand, screenshot, startEditor } from './harness.mjs';
import { resultsFrame } from './resultsPanel.mjs';

const PROFILE = '# profile: must never change\n';

/** A folder outside the workspace with a shell profile, a lessons folder and a sessions folder to aim at. */
function outsideHome() {
  const home = mkdtempSync(join(tmpdir(), 'llmgenie-outside-'));
  writeFileSync(join(home, '.profile'), PROFILE);
  for (const d of ['lessons', 'docs', 'sessions']) mkdirSync(join(home, d));
  writeFileSync(join(home, 'lessons', 'stolen.md'), '---\ntitle: Read from outside the workspace\n---\nmust not be listed\n');
  return home;
}

function hostileWorkspace(settings, links = {}) {
  const ws = copyWorkspace('demo-workspace');
  mkdirSync(join(ws, '.vscode'), { recursive: true });
  writeFileSync(join(ws, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2));
  for (const [rel, target] of Object.entries(links)) {
    mkdirSync(join(ws, rel, '..'), { recursive: true });
    rmSync(join(ws, rel), { recursive: true, force: true });
    symlinkSync(target, join(ws, rel));
  }
  return ws;
}

async function openSidebar(page) {
  await page.locator('.activitybar .action-item a[aria-label^="llmgenie"], .activitybar .action-label[aria-label^="llmgenie"]').first().click({ force: true });
}

/** The toast whose text holds `text`; returns its text. */
async function toast(page, text, timeout = 30_000) {
  const t = page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
  await t.waitFor({ state: 'visible', timeout });
  await page.waitForTimeout(700); // let the toast finish sliding in, so the screenshot shows it whole
  return (await t.innerText()).replace(/\s+/g, ' ').trim();
}

async function recordDecision(page, title) {
  await runCommand(page, 'llmgenie: Record Decision');
  for (const [i, text] of [title, 'context', 'decision', 'consequences'].entries()) {
    await page.locator('.quick-input-widget', { hasText: `(${i + 1}/4)` }).waitFor({ state: 'visible', timeout: 10_000 });
    await page.locator('.quick-input-widget input').fill(text);
    await page.keyboard.press('Enter');
  }
}

function assertOneLine(text, setting) {
  assert.match(text, new RegExp(`llmgenie: ${setting.replace(/\./g, '\\.')} "`), text);
  assert.match(text, /use a path inside the workspace/, text);
  assert.doesNotMatch(text, /\bat .*\(|Error:|ENOENT|EACCES/, `no trace or raw error: ${text}`);
}

for (const variant of ['outside by path', 'outside through symbolic links']) {
  describe(`path settings ${variant} are refused in a real editor`, function () {
    this.timeout(240_000);
    let editor;
    let browser;
    let page;
    let home;
    const shot = variant.startsWith('outside by') ? 'trust-01-paths' : 'trust-02-links';

    before(async () => {
      home = outsideHome();
      const ws =
        variant === 'outside by path'
          ? hostileWorkspace({
              'llmgenie.decisionLog.path': `${home}/.profile`,
              'llmgenie.lessons.dir': `../${basename(home)}/lessons`,
              'llmgenie.lessons.docsDir': `${home}/docs`,
              'llmgenie.sessions.directory': '/proc/self',
            })
          : hostileWorkspace(
              {
                'llmgenie.decisionLog.path': 'docs/decision-log.md',
                'llmgenie.lessons.dir': 'notes/lessons',
                'llmgenie.lessons.docsDir': 'handbook',
                'llmgenie.sessions.directory': '.llmgenie/sessions',
              },
              { 'docs/decision-log.md': join(home, '.profile'), 'notes/lessons': join(home, 'lessons'), handbook: join(home, 'docs'), '.llmgenie/sessions': join(home, 'sessions') },
            );
      editor = await startEditor({ workspace: ws });
      browser = await launchBrowser();
      page = await openWorkbench(browser, editor);
    });
    after(async () => {
      await browser?.close();
      await editor?.stop();
      if (home) rmSync(home, { recursive: true, force: true });
    });

    it('lessons.dir / lessons.docsDir and sessions.directory: one message naming the setting, nothing from outside listed', async () => {
      await openSidebar(page);
      const lessons = await toast(page, 'llmgenie.lessons.');
      assertOneLine(lessons, /llmgenie\.lessons\.docsDir/.test(lessons) ? 'llmgenie.lessons.docsDir' : 'llmgenie.lessons.dir');
      const sessions = await toast(page, 'llmgenie.sessions.directory');
      assertOneLine(sessions, 'llmgenie.sessions.directory');
      await screenshot(page, `${shot}-views`);
      assert.equal(await page.getByText('Read from outside the workspace').count(), 0, 'a lesson outside the workspace is not listed');
    });

    it('decisionLog.path: Record Decision is refused with one message naming the setting; the outside file is unchanged', async () => {
      await recordDecision(page, 'Append to the shell profile');
      const text = await toast(page, 'llmgenie.decisionLog.path');
      assertOneLine(text, 'llmgenie.decisionLog.path');
      await screenshot(page, `${shot}-decision`);
      assert.equal(readFileSync(join(home, '.profile'), 'utf8'), PROFILE);
      assert.deepEqual(readdirSync(join(home, 'sessions')), [], 'no session log written outside');
      assert.deepEqual(readdirSync(join(home, 'lessons')), ['stolen.md']);
      assert.equal(existsSync(join(home, 'docs', 'lessons_learned.md')), false);
    });
  });
}

/** A server that accepts connections and never answers: an Ollama wedged while loading, or a proxy in front of one. */
async function hungServer() {
  const { createServer } = await import('node:http');
  const sockets = new Set();
  const server = createServer(() => {});
  server.on('connection', (s) => (sockets.add(s), s.on('close', () => sockets.delete(s))));
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((r) => (sockets.forEach((s) => s.destroy()), server.close(() => r()))),
  };
}

describe('a hung Ollama in a real editor', function () {
  this.timeout(240_000);
  let editor;
  let browser;
  let page;
  let hung;
  let servers;

  before(async () => {
    const { startFakeLlmServers } = await import('./fakeLlmServers.mjs');
    hung = await hungServer();
    servers = await startFakeLlmServers();
    editor = await startEditor({
      workspace: copyWorkspace('demo-workspace'),
      settings: { 'llmgenie.ollama.host': hung.url, 'llmgenie.claude.baseUrl': servers.anthropic, 'llmgenie.router.firstTokenTimeoutMs': 1500, 'git.openRepositoryInParentFolders': 'never' },
      env: { ANTHROPIC_API_KEY: 'test-key' }, // llmgenie-allow(400)
    });
    browser = await launchBrowser();
    page = await openWorkbench(browser, editor);
    await page.locator('.statusbar-item', { hasText: 'llmgenie: Auto' }).waitFor({ state: 'visible', timeout: 60_000 });
  });
  after(async () => {
    await browser?.close();
    await editor?.stop();
    await servers?.stop();
    await hung?.close();
  });

  it('a local task falls back to Claude within the first-token deadline, and says why', async () => {
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').fill('src/billing.ts');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'billing.ts' }).first().waitFor({ state: 'visible', timeout: 10_000 });
    await page.keyboard.press('Enter');
    await page.locator('.tab.active', { hasText: 'billing.ts' }).first().waitFor({ state: 'visible', timeout: 10_000 });
    await page.locator('.monaco-editor .view-lines').first().click();
    const started = Date.now();
    await runCommand(page, 'llmgenie: Explain');
    const frame = await resultsFrame(page);
    await frame.locator('main#app[data-status="done"]').waitFor({ state: 'visible', timeout: 30_000 });
    const took = Date.now() - started;
    const text = (await frame.locator('main#app').innerText()).replace(/\s+/g, ' ');
    await page.waitForTimeout(500);
    await screenshot(page, 'trust-03-hung-ollama-fallback');
    assert.match(text, /no first token within 1\.5 s/, text.slice(0, 600));
    assert.match(await frame.locator('.model').textContent(), /claude/i);
    assert.ok(took < 15_000, `answered after ${took} ms`);
    const { anthropic } = await servers.dump();
    assert.equal(anthropic.length, 1, 'Claude answered the task');
  });
});
