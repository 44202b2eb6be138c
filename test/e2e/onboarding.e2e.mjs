// Onboarding in a real editor, as a new user meets it in a fresh repository with no rules: the one quiet
// starter-rules offer, the walkthrough ticking its steps off from real events (Ollama answered, the first task, the
// first rule, the key), the llmgenie submenu in the editor's context menu and the Ask/Explain keybindings, the
// .gitignore offer for .llmgenie/ state, and a markdown-wrapped commit message cleaned before it reaches the box.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeLlmServers } from './fakeLlmServers.mjs';
import { launchBrowser, llmgenieMenuItem, openWorkbench, reloadWindow, runCommand, screenshot, startEditor } from './harness.mjs';

const git = (cwd, ...args) => execFileSync('git', ['-c', 'user.name=llmgenie e2e', '-c', 'user.email=e2e@llmgenie.test', ...args], { cwd, encoding: 'utf8' });
const LOG_MESSAGE = 'console.log() left in production code';

/** A small repository with no llmgenie rules at all: one source file with debugging left in it. */
function bareRepository() {
  const dir = mkdtempSync(join(tmpdir(), 'llmgenie-ws-onboarding-'));
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src', 'app.ts'), 'export function greet(name: string): string {\n  console.log("greeting", name);\n  return `Hello, ${name}!`;\n}\n');
  writeFileSync(join(dir, '.gitignore'), 'node_modules/\n');
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'start');
  return dir;
}

describe('onboarding in a real editor', function () {
  this.timeout(300_000);
  let servers;
  let editor;
  let browser;
  let page;
  let workspace;

  const toast = (text) => page.locator('.notification-toast', { hasText: text });
  const step = (title) => page.locator('.getting-started-step', { hasText: title }).first();
  const problems = () => page.locator('.markers-panel');

  async function openFile(name) {
    const base = name.split('/').pop();
    const tab = page.locator('.tab', { hasText: base }).first();
    if (await tab.count()) {
      await tab.click();
      await page.locator('.tab.active', { hasText: base }).waitFor({ state: 'visible', timeout: 10_000 });
      return;
    }
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').fill(name);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: name.split('/').pop() }).first().waitFor({ state: 'visible', timeout: 10_000 });
    await page.keyboard.press('Enter');
    await page.locator('.tab.active', { hasText: name.split('/').pop() }).waitFor({ state: 'visible', timeout: 10_000 });
  }

  before(async () => {
    servers = await startFakeLlmServers();
    workspace = bareRepository();
    editor = await startEditor({
      workspace,
      settings: { 'llmgenie.ollama.host': servers.ollama, 'llmgenie.claude.baseUrl': servers.anthropic, 'git.openRepositoryInParentFolders': 'never' },
    });
    browser = await launchBrowser();
    page = await openWorkbench(browser, editor);
    await page.locator('.statusbar-item', { hasText: 'llmgenie: Auto' }).waitFor({ state: 'visible', timeout: 60_000 });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) await screenshot(page, `failed-onboarding-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });

  after(async () => {
    if (editor && process.env.LLMGENIE_E2E_TRACE) {
      const out = execFileSync('grep', ['-rh', '--include=*llmgenie*.log', 'setup:\\|gitignore:\\|starter rules:', editor.extensionLogDir], { encoding: 'utf8', maxBuffer: 1 << 24 }).trim();
      console.log(out);
    }
    await browser?.close();
    await editor?.stop();
    await servers?.stop();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  it('offers the starter rules once, quietly, and runs only the secrets pack until then', async () => {
    const offer = toast('This repository has no llmgenie rules: add the starter set?');
    await offer.waitFor({ state: 'visible', timeout: 30_000 });
    await offer.getByRole('button', { name: 'Add Starter Rules' }).waitFor({ state: 'visible' });
    await openFile('src/app.ts');
    await runCommand(page, 'View: Toggle Problems');
    await problems().waitFor({ state: 'visible', timeout: 10_000 });
    // No rule enables the logging pack yet: the console.log is not a warning nobody asked for.
    await page.waitForTimeout(2500);
    assert.equal(await problems().getByText(LOG_MESSAGE).count(), 0);
    await screenshot(page, 'onboarding-01-starter-offer');
  });

  it('ticks the steps done before the walkthrough was ever opened, and keeps them ticked after a reload', async () => {
    // Ollama checked from the palette, before this window ever showed the walkthrough: VS Code's walkthrough service
    // does not exist yet, and a context key already true when it registers the steps would never tick them.
    await runCommand(page, 'llmgenie: Check Ollama Connection');
    await toast('is reachable and has qwen2.5-coder:7b').waitFor({ state: 'visible', timeout: 20_000 });
    await runCommand(page, 'llmgenie: Get Started');
    await page.locator('.gettingStartedContainer', { hasText: 'Get started with llmgenie' }).waitFor({ state: 'visible', timeout: 20_000 });
    await step('Connect to Ollama').waitFor({ state: 'visible' });
    for (const title of ['Connect to Ollama', 'Pick or pull the local model']) {
      await page.locator('.getting-started-step[aria-checked="true"]', { hasText: title }).waitFor({ state: 'visible', timeout: 10_000 });
    }
    for (const title of ['Store your Anthropic API key', 'Route a first task', 'Give the repository its first rules']) {
      assert.equal(await step(title).getAttribute('aria-checked'), 'false', `${title} is not done yet`);
    }
    await screenshot(page, 'onboarding-02-walkthrough-ticked-before-open');
    await reloadWindow(page);
    await runCommand(page, 'llmgenie: Get Started');
    await page.locator('.gettingStartedContainer', { hasText: 'Get started with llmgenie' }).waitFor({ state: 'visible', timeout: 20_000 });
    await page.locator('.getting-started-step[aria-checked="true"]', { hasText: 'Connect to Ollama' }).waitFor({ state: 'visible', timeout: 10_000 });
    assert.equal(await step('Pick or pull the local model').getAttribute('aria-checked'), 'true');
    assert.equal(await step('Give the repository its first rules').getAttribute('aria-checked'), 'false');
    await screenshot(page, 'onboarding-03-walkthrough-ticked-after-reload');
  });

  it('the walkthrough buttons do the real thing: adding the starter rules ticks its step', async () => {
    // The rules step's button runs the same starter set as the offer.
    await step('Give the repository its first rules').click();
    await page.locator('.getting-started-step.expanded a, .getting-started-step.expanded .button-link', { hasText: 'Add Starter Rules' }).first().click();
    await toast('Added 3 starter rules').waitFor({ state: 'visible', timeout: 20_000 });
    for (const f of ['001-logging.mdc', '009-branch-policy.mdc', '400-security.mdc']) assert.ok(existsSync(join(workspace, '.cursor', 'rules', f)), f);
    const manifest = JSON.parse(readFileSync(join(workspace, 'rules_manifest.json'), 'utf8'));
    assert.deepEqual(manifest.rules.map((r) => [r.id, r.enforce?.pack]), [['001', 'logging'], ['009', 'branch'], ['400', 'security']]);
    await page.locator('.getting-started-step[aria-checked="true"]', { hasText: 'Give the repository its first rules' }).waitFor({ state: 'visible', timeout: 15_000 });
    await screenshot(page, 'onboarding-04-walkthrough-rules-ticked');
    // Now a rule enables the logging pack, and the console.log is reported.
    await openFile('src/app.ts');
    await problems().getByText(LOG_MESSAGE).first().waitFor({ state: 'visible', timeout: 20_000 });
    await screenshot(page, 'onboarding-04b-logging-reported');
  });

  it('puts the editor tasks in an llmgenie submenu; Explain from it routes the first task and ticks that step', async () => {
    await openFile('src/app.ts');
    const line = page.locator('.editor-instance .monaco-editor .view-lines .view-line', { hasText: 'return `Hello' }).first();
    const explain = await llmgenieMenuItem(page, line, 'Explain');
    for (const title of ['Ask…', 'Refactor', 'Write Tests', 'Review']) await page.locator('.monaco-menu .action-label', { hasText: title }).first().waitFor({ state: 'visible' });
    // The top level keeps the built-in "Refactor..." only: ours is inside the submenu.
    const topLevel = await page.locator('.monaco-menu').first().evaluate((menu) => [...menu.querySelectorAll('.action-label')].filter((l) => l.closest('.monaco-menu') === menu).map((l) => l.textContent.trim()));
    assert.ok(topLevel.includes('llmgenie'), topLevel.join(' | '));
    assert.ok(!topLevel.some((t) => t.trim() === 'Refactor' || t.trim() === 'Explain'), topLevel.join(' | '));
    await screenshot(page, 'onboarding-05-context-submenu');
    await explain.click();
    await page.locator('.tab', { hasText: 'llmgenie' }).first().waitFor({ state: 'visible', timeout: 30_000 });
    await page.locator('.statusbar-item[aria-label*="llmgenie"], .statusbar-item', { hasText: 'llmgenie: Auto' }).first().waitFor({ state: 'visible' });
    await runCommand(page, 'llmgenie: Get Started');
    await page.locator('.getting-started-step[aria-checked="true"]', { hasText: 'Route a first task' }).waitFor({ state: 'visible', timeout: 20_000 });
    await screenshot(page, 'onboarding-06-walkthrough-task-ticked');
  });

  it('storing the Anthropic key ticks its step', async () => {
    await runCommand(page, 'llmgenie: Set Anthropic API Key');
    // The palette's input turns into the key's password box: wait for that one, not the palette.
    const input = page.locator('.quick-input-widget input[type="password"]');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill('sk-ant-onboarding-test'); // llmgenie-allow(400)
    await page.keyboard.press('Enter');
    await toast('Anthropic API key saved').waitFor({ state: 'visible', timeout: 10_000 });
    await runCommand(page, 'llmgenie: Get Started');
    await page.locator('.getting-started-step[aria-checked="true"]', { hasText: 'Store your Anthropic API key' }).waitFor({ state: 'visible', timeout: 15_000 });
    await screenshot(page, 'onboarding-06b-walkthrough-key-ticked');
  });

  it('binds Ask and Explain to keys no built-in uses', async () => {
    await openFile('src/app.ts');
    await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+S');
    const search = page.locator('.keybindings-header .search-container input, .keybindings-header .search-container textarea').first();
    await search.waitFor({ state: 'visible', timeout: 15_000 });
    for (const [key, command] of [['ctrl+shift+alt+a', 'llmgenie: Ask…'], ['ctrl+shift+alt+e', 'llmgenie: Explain']]) {
      await search.fill(`"${key}"`);
      const rows = page.locator('.keybindings-editor .monaco-list-row');
      await rows.filter({ hasText: command }).first().waitFor({ state: 'visible', timeout: 10_000 });
      await page.waitForTimeout(500);
      assert.deepEqual((await rows.allInnerTexts()).map((t) => t.split('\n')[0]), [command], `only llmgenie on ${key}`);
      if (key.endsWith('e')) await screenshot(page, 'onboarding-07-keybinding');
    }
    await page.keyboard.press('Control+W');
    await openFile('src/app.ts');
    await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+Shift+Alt+A');
    await page.locator('.quick-input-widget', { hasText: 'Ask' }).waitFor({ state: 'visible', timeout: 10_000 });
    await page.keyboard.press('Escape');
  });

  it('offers once to leave the .llmgenie/ state out of git, keeping the team files tracked', async () => {
    const offer = toast('Add it to .gitignore?');
    await offer.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await offer.innerText(), /session logs, exports, caches, routing feedback/);
    await screenshot(page, 'onboarding-08-gitignore-offer');
    await offer.getByRole('button', { name: 'Add to .gitignore' }).click();
    await toast('.gitignore now leaves out the .llmgenie/ state').waitFor({ state: 'visible', timeout: 10_000 });
    const text = readFileSync(join(workspace, '.gitignore'), 'utf8');
    assert.match(text, /^node_modules\/\n\n# llmgenie: local state/);
    const untracked = git(workspace, 'status', '--porcelain', '--untracked-files=all');
    assert.ok(!/\.llmgenie\/sessions\//.test(untracked), untracked);
    assert.match(untracked, /rules_manifest\.json/);
  });

  it('cleans a markdown-wrapped commit message to a subject and body before it reaches the commit box', async () => {
    writeFileSync(join(workspace, 'src', 'app.ts'), 'export function greet(name: string): string {\n  // fencedCommitDemo\n  return `Hello, ${name}!`;\n}\n');
    git(workspace, 'add', 'src/app.ts');
    await page.locator('.activitybar .action-item a[aria-label^="Source Control"], .activitybar .action-label[aria-label^="Source Control"]').first().click({ force: true });
    const button = page.locator('.part.sidebar .action-label[aria-label="Generate Commit Message"]').first();
    await button.waitFor({ state: 'visible', timeout: 30_000 });
    await button.click();
    const lines = page.locator('.scm-editor .view-lines').first().locator('.view-line');
    const expected = ['feat(greeting): say hello by name', '', '- Add greet(name) to src/app.ts', '- Drop the console.log debugging'];
    const deadline = Date.now() + 30_000;
    let shown = [];
    while (Date.now() < deadline && shown.length < expected.length) {
      shown = (await lines.allInnerTexts()).map((l) => l.replace(/\u00a0/g, ' ').trim());
      await page.waitForTimeout(200);
    }
    await screenshot(page, 'onboarding-09-commit-message');
    assert.deepEqual(shown, expected);
  });
});
