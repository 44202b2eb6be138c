// Agent runs in a real editor against the stand-in models (fakeLlmServersMain.ts): the "stand-in models" label,
// "Run Agents on Task…" with two tasks typed into input boxes, the check command accepted once, progress, the
// run's notification, both branches in the Sessions tree (run → branch → step → handoff / verdict), one package
// opened in the handoff panel, and a branch's diff.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeLlmServers } from './fakeLlmServers.mjs';
import { copyWorkspace, launchBrowser, openWorkbench, runCommand, screenshot, startEditor } from './harness.mjs';

const TASKS = ['Add a clamp helper with tests', 'Add a slugify helper with tests'];

const git = (cwd, ...args) => execFileSync('git', ['-c', 'user.name=e2e', '-c', 'user.email=e2e@llmgenie.invalid', ...args], { cwd, encoding: 'utf8' }).trim();

/** The frame of the handoff panel whose title contains `title` (webviews nest: iframe.webview > iframe#active-frame). */
async function panelFrame(page, title, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      const h1 = frame.locator('main#app.handoff h1').first();
      try {
        if ((await h1.count()) && (await h1.textContent({ timeout: 500 }))?.includes(title)) return frame;
      } catch {
        // a frame that went away mid-look
      }
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no handoff panel titled "${title}" within ${timeoutMs} ms`);
}

describe('agent runs in a real editor', function () {
  this.timeout(300_000);
  let servers;
  let editor;
  let browser;
  let page;
  let workspace;

  before(async () => {
    // Latency long enough that the run lasts several seconds, so the tree can be looked at while it runs.
    servers = await startFakeLlmServers({ agentLatencyMs: 400 });
    workspace = copyWorkspace('demo-workspace');
    // The stand-in coder writes node:test files; the workspace's check command runs them.
    mkdirSync(join(workspace, '.vscode'), { recursive: true });
    writeFileSync(join(workspace, '.vscode', 'settings.json'), `${JSON.stringify({ 'llmgenie.agents.checkCommand': 'node --test' }, null, 2)}\n`);
    git(workspace, 'init', '-q', '-b', 'main');
    git(workspace, 'add', '-A');
    git(workspace, 'commit', '-q', '-m', 'demo workspace');
    editor = await startEditor({
      workspace,
      settings: { 'llmgenie.ollama.host': servers.ollama, 'llmgenie.claude.baseUrl': servers.anthropic, 'git.openRepositoryInParentFolders': 'never' },
      env: { ANTHROPIC_API_KEY: 'test-key', LLMGENIE_STAND_IN_MODELS: '1' },
    });
    browser = await launchBrowser();
    page = await openWorkbench(browser, editor);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) await screenshot(page, `failed-agents-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });

  after(async () => {
    await browser?.close();
    await editor?.stop();
    await servers?.stop();
  });

  const sessionsPane = () => page.locator('.sidebar .pane', { has: page.locator('.pane-header', { hasText: /^Sessions/i }) });
  const row = (text) => sessionsPane().locator('.monaco-list-row', { hasText: text });

  it('says in the status bar that the models are stand-ins', async () => {
    const item = page.locator('.statusbar-item', { hasText: 'stand-in models' });
    await item.waitFor({ state: 'visible', timeout: 60_000 });
    await item.hover();
    const hover = page.locator('.monaco-hover, .workbench-hover', { hasText: 'Stand-in models, not real ones' }).first();
    await hover.waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(await hover.innerText(), /scripted servers of npm run fake-models/);
    await screenshot(page, 'agents-01-stand-in-status');
    await page.mouse.move(600, 400);
  });

  it('runs two tasks from input boxes, accepts the check command once, and reports the end', async () => {
    await page.locator('.activitybar .action-item a[aria-label^="llmgenie"], .activitybar .action-label[aria-label^="llmgenie"]').first().click();
    const lessonsHeader = page.locator('.sidebar .pane-header', { hasText: /Lessons/i });
    await lessonsHeader.waitFor({ state: 'visible', timeout: 30_000 });
    if ((await lessonsHeader.getAttribute('aria-expanded')) === 'true') await lessonsHeader.click();

    await runCommand(page, 'llmgenie: Run Agents on Task…');
    const input = page.locator('.quick-input-widget input');
    for (const [i, task] of TASKS.entries()) {
      await page.locator('.quick-input-widget', { hasText: `task ${i + 1}` }).waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill(task);
      await page.keyboard.press('Enter');
    }
    await page.locator('.quick-input-widget', { hasText: 'task 3, 2 so far' }).waitFor({ state: 'visible', timeout: 10_000 });
    await page.keyboard.press('Enter'); // empty: start

    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 15_000 });
    assert.match(await dialog.innerText(), /Let the coder agent run "node --test"/);
    await screenshot(page, 'agents-02-accept-check-command');
    await dialog.locator('.monaco-button', { hasText: /^Accept and Run$/ }).click();

    const progress = page.locator('.notification-toast', { hasText: 'llmgenie agents (2 tasks)' });
    await progress.waitFor({ state: 'visible', timeout: 20_000 });
    await progress.filter({ hasText: /add-a-clamp-helper-with-tests: (coder|policy|librarian|reviewer)/ }).waitFor({ state: 'visible', timeout: 60_000 });
    await screenshot(page, 'agents-03-progress');

    // While it runs, the Sessions tree already lists the run and each branch at its current step (live refresh).
    const liveBranch = row(TASKS[0]).filter({ hasText: /running: (coder|policy|librarian|reviewer)/ });
    await liveBranch.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await liveBranch.innerText(), /llmgenie\/\S+\/add-a-clamp-helper-with-tests/);
    assert.equal(await page.locator('.notification-toast', { hasText: /agent run \S+ ended/ }).count(), 0, 'seen mid-run, before the run ended');
    const liveRun = sessionsPane().locator('.monaco-list-row[aria-level="2"]').first();
    await liveRun.filter({ hasText: /running · 2 branches/ }).waitFor({ state: 'visible', timeout: 10_000 });
    assert.doesNotMatch(await liveRun.innerText(), /interrupted/);
    await screenshot(page, 'agents-03b-tree-mid-run');

    const done = page.locator('.notification-toast', { hasText: /agent run \S+ ended: 2\/2 approved/ });
    await done.waitFor({ state: 'visible', timeout: 180_000 });
    assert.match(await done.innerText(), /add-a-clamp-helper-with-tests: approved, package \d+/);
    await screenshot(page, 'agents-04-run-ended');

    // Two branches with commits beyond main, nothing merged.
    const branches = git(workspace, 'branch', '--list', 'llmgenie/*', '--format=%(refname:short)').split('\n').filter(Boolean);
    assert.equal(branches.length, 2, branches.join(', '));
    for (const b of branches) assert.ok(Number(git(workspace, 'rev-list', '--count', `main..${b}`)) >= 2, `${b} has the coder's and the librarian's commits`);
    assert.equal(git(workspace, 'rev-list', '--count', 'main'), '1', 'main is untouched');
  });

  it('shows the run in the Sessions tree: run → both branches → steps → handoff and verdict', async () => {
    await row('Agent runs').waitFor({ state: 'visible', timeout: 15_000 });
    const run = sessionsPane().locator('.monaco-list-row[aria-level="2"]').first();
    assert.match(await run.innerText(), /2\/2 approved · 2 branches/);
    for (const task of TASKS) {
      const branch = row(task);
      await branch.waitFor({ state: 'visible', timeout: 15_000 });
      assert.match(await branch.innerText(), /approved · package \d+ · llmgenie\/\S+\/add-a-/);
    }
    await row(TASKS[0]).locator('.monaco-tl-twistie').click();
    for (const step of ['Coder', 'Policy check', 'Librarian', 'Reviewer']) await row(step).first().waitFor({ state: 'visible', timeout: 10_000 });
    await row('Handoff package:').first().waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(await row('Handoff package:').first().innerText(), /passed the minimum 80/);
    assert.match(await row('Verdict: approve').first().innerText(), /Small, tested and within scope/);
    await screenshot(page, 'agents-05-sessions-tree');
  });

  it('opens the branch package in the handoff panel from the tree', async () => {
    const treeScore = Number(/package (\d+)/.exec(await row(TASKS[0]).innerText())?.[1]);
    await row('Handoff package:').first().click();
    const frame = await panelFrame(page, TASKS[0]);
    await frame.locator('.score-value').waitFor({ state: 'visible' });
    // The panel checks the package against the branch's worktree, so it scores what the run scored.
    assert.equal(Number(await frame.locator('.score-value').innerText()), treeScore, 'the panel score equals the tree\'s');
    assert.ok(treeScore >= 80);
    const panelText = await frame.locator('main#app').innerText();
    assert.doesNotMatch(panelText, /not found/i);
    assert.doesNotMatch(panelText, /FAILED/);
    // ... against the run's minimum (llmgenie.agents.minScore), as the tree says, not the workspace's handoff 70.
    assert.match(panelText, /minimum 80/);
    assert.match(await frame.locator('pre.prompt').innerText(), /Review the clamp helper added on this branch/);
    await screenshot(page, 'agents-06-package-panel');
  });

  it("opens a branch's diff against its base", async () => {
    const branch = row(TASKS[1]);
    await branch.hover();
    await branch.locator('.action-label[aria-label="Open Diff"]').click();
    const pick = page.locator('.quick-input-widget', { hasText: 'vs its base' });
    await pick.waitFor({ state: 'visible', timeout: 10_000 });
    await pick.locator('.monaco-list-row', { hasText: 'src/slugify.mjs' }).click();
    await page.locator('.tab', { hasText: 'src/slugify.mjs (llmgenie/' }).waitFor({ state: 'visible', timeout: 15_000 });
    await page.locator('.monaco-diff-editor .modified .view-lines', { hasText: 'export function slugify' }).first().waitFor({ state: 'visible', timeout: 15_000 });
    await screenshot(page, 'agents-07-branch-diff');
  });
});
