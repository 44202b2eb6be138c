// The Chat view in a real editor against fake Ollama + Anthropic servers, as a person uses it: select code, ask in
// the llmgenie sidebar, two follow-ups (the third, harder one re-routes to Claude and says so, with the whole
// conversation sent), reload the window and find the thread again, re-run a turn on Claude, light and dark themes.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeLlmServers } from './fakeLlmServers.mjs';
import { copyWorkspace, launchBrowser, openWorkbench, reloadWindow, runCommand, screenshot, startEditor, waitFor } from './harness.mjs';

const Q1 = 'What does invoiceTotal do?';
const Q2 = 'What does it return for an empty list?';
const Q3 = 'Could two invoices be charged twice if the payment retries after a timeout? Walk me through the race and how to make it idempotent.';

/** The chat view's frame (webviews nest: iframe.webview > iframe#active-frame), found by its content. */
async function chatFrame(page, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      try {
        if (await frame.locator('main#app.chat .composer').count()) return frame;
      } catch {
        // a frame that went away mid-look
      }
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no chat view within ${timeoutMs} ms`);
}

/** Opens a file through Quick Open and selects whole lines `from`..`to` with the keyboard. */
async function selectLines(page, file, from, to) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(file);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: file.split('/').pop() }).first().waitFor({ state: 'visible', timeout: 10_000 });
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: file.split('/').pop() }).first().waitFor({ state: 'visible', timeout: 10_000 });
  await page.keyboard.press('F1');
  await input.fill(`:${from}`);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  await page.locator('.statusbar-item', { hasText: `Ln ${from}, Col 1` }).waitFor({ state: 'visible', timeout: 10_000 });
  for (let i = from; i <= to; i++) await page.keyboard.press('Shift+ArrowDown');
  await page.locator('.statusbar-item', { hasText: /\(\d+ selected\)/ }).waitFor({ state: 'visible', timeout: 10_000 });
}

/** Types a question in the composer and waits until its turn has finished; returns the turn's locator. */
async function ask(frame, question, n) {
  const box = frame.locator('textarea.question');
  await box.click();
  await box.fill(question);
  await box.press('Enter');
  const turn = frame.locator('article.turn').nth(n - 1);
  await turn.locator('.user .text', { hasText: question }).waitFor({ state: 'visible', timeout: 15_000 });
  await turn.locator('.metrics').waitFor({ state: 'visible', timeout: 40_000 });
  await waitFor(async () => (await turn.getAttribute('data-status')) === 'done', `turn ${n} to finish`, 10_000);
  return turn;
}

/** Collapses the Lessons and Sessions views so the Chat view gets the sidebar's height. */
async function foldOtherViews(page) {
  for (const name of ['Lessons', 'Sessions']) {
    const header = page.locator('.sidebar .pane-header', { hasText: new RegExp(`^${name}`) }).first();
    // After a reload the views come back one by one: wait for the header.
    await header.waitFor({ state: 'visible', timeout: 15_000 });
    // On its title: the middle of a header is where its action buttons (Refresh…) sit.
    for (let i = 0; i < 3 && (await header.getAttribute('aria-expanded')) === 'true'; i++) {
      await header.locator('.title').first().click();
      await page.waitForTimeout(500);
    }
    assert.equal(await header.getAttribute('aria-expanded'), 'false', `the ${name} view folds`);
  }
}

function conversationFiles(workspace) {
  const dir = join(workspace, '.llmgenie', 'conversations');
  return existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith('.jsonl')).map((n) => join(dir, n)) : [];
}

describe('chat view in a real editor', function () {
  this.timeout(300_000);
  let servers;
  let editor;
  let browser;
  let page;
  let workspace;

  before(async () => {
    servers = await startFakeLlmServers();
    workspace = copyWorkspace('demo-workspace');
    editor = await startEditor({
      workspace,
      settings: { 'llmgenie.ollama.host': servers.ollama, 'llmgenie.claude.baseUrl': servers.anthropic },
      env: { ANTHROPIC_API_KEY: 'test-key' }, // llmgenie-allow(400)
    });
    browser = await launchBrowser();
    page = await openWorkbench(browser, editor);
    await page.locator('.statusbar-item', { hasText: 'llmgenie: Auto' }).waitFor({ state: 'visible', timeout: 60_000 });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) await screenshot(page, `failed-chat-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });

  after(async () => {
    await browser?.close();
    await editor?.stop();
    await servers?.stop();
  });

  it('keeps a three-turn thread on the selection; the harder follow-up re-routes to Claude with the whole conversation', async () => {
    await selectLines(page, 'src/billing.ts', 3, 7);
    await runCommand(page, 'llmgenie: Open Chat');
    const frame = await chatFrame(page);
    // The selection goes with the question, as a chip the user can remove.
    await frame.locator('.context-row .chip.selection', { hasText: 'src/billing.ts:3–7' }).waitFor({ state: 'visible', timeout: 10_000 });
    // Opened by the user: the cursor is in the question box.
    await waitFor(async () => frame.locator('textarea.question').evaluate((el) => document.activeElement === el), 'the question box to have focus', 20_000);

    const t1 = await ask(frame, Q1, 1);
    assert.equal(await t1.locator('.badge').textContent(), 'Local');
    assert.equal(await t1.locator('.model').textContent(), 'qwen2.5-coder:7b');
    assert.match(await t1.locator('.why').textContent(), /→ local model/);
    assert.equal((await t1.locator('.user .chips .chip').allTextContents()).join('|'), 'src/billing.ts:3–7');
    assert.match(await t1.locator('.answer').textContent(), /multiplies quantity by price/);
    assert.match(await t1.locator('.metrics').textContent(), /\$0 \(Claude: \$/);
    await t1.locator('button.rerun', { hasText: 'Re-run on Claude' }).waitFor({ state: 'visible' });

    const t2 = await ask(frame, Q2, 2);
    assert.equal(await t2.locator('.badge').textContent(), 'Local');
    assert.match(await t2.locator('.answer').textContent(), /returns its initial value/);
    assert.equal(await t2.locator('.reroute').count(), 0);

    const t3 = await ask(frame, Q3, 3);
    assert.equal(await t3.locator('.badge').textContent(), 'Cloud');
    assert.match(await t3.locator('.reroute').textContent(), /^Re-routed to Claude: this follow-up makes the conversation harder than the 2 earlier local turns/);
    assert.match(await t3.locator('.answer h3, .answer h2').first().textContent(), /Why a retry can charge twice/);
    assert.match(await t3.locator('.metrics').textContent(), /\$0\.\d+/);
    await t3.locator('button.rerun', { hasText: 'Try locally' }).waitFor({ state: 'visible' });

    // What the models read: the local model had turn 1 before turn 2; Claude had the whole conversation.
    const { ollama, anthropic } = await servers.dump();
    const second = ollama.find((b) => b.messages.at(-1).content === Q2);
    assert.deepEqual(second.messages.map((m) => m.role), ['system', 'user', 'assistant', 'user']);
    assert.match(second.messages[1].content, /What does invoiceTotal do\?[\s\S]*export function invoiceTotal/);
    const claude = anthropic.at(-1);
    assert.deepEqual(claude.messages.map((m) => m.role), ['user', 'assistant', 'user', 'assistant', 'user']);
    assert.match(String(claude.messages[3].content), /returns its initial value/);

    // The thread is a reviewable file: a header and three turns.
    const files = conversationFiles(workspace);
    assert.equal(files.length, 1);
    const records = readFileSync(files[0], 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(records.map((r) => r.kind), ['thread', 'turn', 'turn', 'turn']);
    assert.equal(records[0].title, Q1);
    // Room to read the conversation: fold the two views above it, as a person would.
    await foldOtherViews(page);
    await t3.scrollIntoViewIfNeeded();
    await screenshot(page, 'chat-three-turns-light');
  });

  it('finds the thread again after a window reload, without taking focus, and re-runs a turn on Claude', async () => {
    await reloadWindow(page);
    await page.locator('.statusbar-item', { hasText: 'llmgenie: Auto' }).waitFor({ state: 'visible', timeout: 60_000 });
    // The view came back by itself (it was open): the command palette still gets F1.
    const frame = await chatFrame(page, 60_000);
    await frame.locator('article.turn').nth(2).waitFor({ state: 'visible', timeout: 20_000 });
    assert.equal(await frame.locator('.thread-title').textContent(), Q1);
    assert.deepEqual(await frame.locator('article.turn .user .text').allTextContents(), [Q1, Q2, Q3]);
    assert.deepEqual(await frame.locator('article.turn .badge').allTextContents(), ['Local', 'Local', 'Cloud']);
    assert.equal(await frame.locator('textarea.question').evaluate((el) => document.activeElement === el), false);
    await page.keyboard.press('F1');
    await page.locator('.quick-input-widget input').waitFor({ state: 'visible', timeout: 10_000 });
    await page.keyboard.press('Escape');

    const first = frame.locator('article.turn').first();
    await first.locator('button.rerun', { hasText: 'Re-run on Claude' }).click();
    await waitFor(async () => (await first.locator('.badge').textContent()) === 'Cloud' && (await first.getAttribute('data-status')) === 'done', 'turn 1 re-run on Claude', 40_000);
    assert.match(await first.locator('.answer').textContent(), /Claude on invoiceTotal/);
    assert.match(await first.locator('details.draft summary').textContent(), /Superseded local answer \(qwen2\.5-coder:7b\): replaced at your request/);
    assert.match(await first.locator('.banners').textContent(), /Re-run on Claude at your request/);
    // Re-running a local answer on Claude teaches this workspace's routing.
    const feedback = readFileSync(join(workspace, '.llmgenie', 'routing-feedback.jsonl'), 'utf8');
    assert.match(feedback, /"outcome":"rerun-cloud"/);
    // Still one thread of three turns (the re-run replaced turn 1 in place).
    assert.equal(await frame.locator('article.turn').count(), 3);
    await foldOtherViews(page);
    await first.scrollIntoViewIfNeeded();
    await screenshot(page, 'chat-after-reload-rerun-light');
  });

  it('starts a new thread and lists the old one; reads well in a dark theme', async () => {
    await runCommand(page, 'llmgenie: New Conversation');
    const frame = await chatFrame(page);
    await frame.locator('.welcome .recent button', { hasText: Q1 }).waitFor({ state: 'visible', timeout: 10_000 });
    await screenshot(page, 'chat-new-thread-light');
    // The editor starts in its light theme; the toggle goes to the dark one.
    assert.equal(await page.locator('.monaco-workbench.vs').count(), 1);
    await runCommand(page, 'Preferences: Toggle between Light/Dark Themes');
    await page.locator('.monaco-workbench.vs-dark').waitFor({ state: 'attached', timeout: 10_000 });
    await frame.locator('.welcome .recent button', { hasText: Q1 }).click();
    await frame.locator('article.turn').nth(2).waitFor({ state: 'visible', timeout: 10_000 });
    await foldOtherViews(page);
    await frame.locator('article.turn').first().scrollIntoViewIfNeeded();
    await page.waitForTimeout(500);
    await screenshot(page, 'chat-thread-dark');
  });
});
