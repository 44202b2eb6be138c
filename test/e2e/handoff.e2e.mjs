// The handoff panel in a real editor: score ring, gaps, quick fixes from the panel, Problems diagnostics, reload.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyWorkspace, launchBrowser, openWorkbench, quickFix, reloadWindow, runCommand, screenshot, sessionEvents, startEditor, waitFor } from './harness.mjs';

const PACKAGE = 'docs/handoff/2025-03-14-invoice-rounding/HANDOFF.md';
const TITLE = 'Invoice rounding in cents';

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

async function score(frame) {
  return Number(await frame.locator('.score-value').innerText());
}

async function waitForScore(frame, expected, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await score(frame).catch(() => undefined);
    if (last === expected) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`score stayed ${last}, expected ${expected}`);
}

describe('handoff panel in a real editor', function () {
  this.timeout(240_000);
  let editor;
  let browser;
  let page;

  before(async () => {
    // Unwrapped markdown, so Home / Shift+End in the editing test act on whole lines.
    editor = await startEditor({ workspace: copyWorkspace('demo-workspace'), settings: { '[markdown]': { 'editor.wordWrap': 'off' } } });
    browser = await launchBrowser();
    page = await openWorkbench(browser, editor);
    await page.locator('.statusbar-item', { hasText: 'llmgenie' }).first().waitFor({ state: 'visible', timeout: 60_000 });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) await screenshot(page, `failed-handoff-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });

  after(async () => {
    await browser?.close();
    await editor?.stop();
  });

  it('opens the package from the command palette: score ring, verdict, gaps, files, prompt, questions', async () => {
    await runCommand(page, 'llmgenie: Open Handoff Panel');
    const frame = await panelFrame(page, TITLE);
    await frame.locator('.score-value').waitFor({ state: 'visible' });
    assert.equal(await score(frame), 87);
    assert.equal((await frame.locator('.badge').innerText()).toLowerCase(), 'failed');
    assert.match(await frame.locator('li.gap[data-gap="missing-scope"]').innerText(), /no Scope section/);
    assert.match(await frame.locator('li.gap[data-gap="missing-file"]').innerText(), /src\/billing\.test\.ts/);
    assert.equal(await frame.locator('li.file.exists').count(), 6);
    assert.equal(await frame.locator('li.file.missing').count(), 1);
    assert.match(await frame.locator('pre.prompt').innerText(), /^You are taking over the invoice rounding fix/);
    assert.equal(await frame.locator('li.question').count(), 3);
    assert.match(await frame.locator('li.question').first().innerText(), /Expected: In invoiceTotal in src\/billing\.ts/);
    await screenshot(page, 'handoff-01-panel');
  });

  it('mirrors the gaps in the Problems panel', async () => {
    await runCommand(page, 'View: Focus Problems');
    const problems = page.locator('.markers-panel');
    await problems.waitFor({ state: 'visible', timeout: 15_000 });
    await problems.getByText('no Scope section').first().waitFor({ state: 'visible', timeout: 30_000 });
    await problems.getByText('listed file does not exist: src/billing.test.ts').first().waitFor({ state: 'visible', timeout: 10_000 });
    await screenshot(page, 'handoff-02-problems');
  });

  it('offers the same fix from the lightbulb in the editor', async () => {
    const frame = await panelFrame(page, TITLE);
    await frame.locator('li.gap[data-gap="missing-file"] button.line-link').click();
    await page.locator('.tab', { hasText: 'HANDOFF.md' }).first().waitFor({ state: 'visible', timeout: 15_000 });
    await page.locator('.editor-instance .monaco-editor').first().waitFor({ state: 'visible' });
    await page.waitForTimeout(500);
    const fix = await quickFix(page, 'Remove src/billing.test.ts from the list');
    await screenshot(page, 'handoff-03-lightbulb');
    await fix.click();
    // The error is gone, only the missing Scope (a warning) is left: 100 - 8, and the package passes.
    await waitForScore(frame, 92);
    assert.equal(await frame.locator('.badge').getAttribute('data-verdict'), 'passed');
    assert.equal(await frame.locator('li.file.missing').count(), 0);
    await page.keyboard.press('Control+S');
  });

  it('applies a quick fix from the panel; the score rises', async () => {
    const frame = await panelFrame(page, TITLE);
    const file = join(editor.workspace, PACKAGE);
    await waitFor(() => !readFileSync(file, 'utf8').includes('src/billing.test.ts'), 'the saved file without the missing entry');
    await frame.locator('li.gap[data-gap="missing-scope"] button.fix').click();
    // The Scope gap (-8) becomes a TODO placeholder (-3).
    await waitForScore(frame, 97);
    await waitFor(() => /\n## Scope\n\n- TODO: in scope: \.\.\.; out of scope: \.\.\.\n\n## Control questions\n/.test(readFileSync(file, 'utf8')), 'the Scope template saved before Control questions');
    await page.locator('.markers-panel').getByText('no Scope section').first().waitFor({ state: 'detached', timeout: 15_000 });
    assert.match(await frame.locator('li.gap').first().innerText(), /Scope still has a TODO placeholder/);
    await screenshot(page, 'handoff-04-scope-added');
  });

  it('goes to a gap line in HANDOFF.md, and re-validates as the document is edited', async () => {
    const frame = await panelFrame(page, TITLE);
    const link = frame.locator('li.gap[data-gap="placeholder"] button.line-link');
    const line = Number((await link.innerText()).replace(/\D+/g, ''));
    await link.click();
    // The editor reports the cursor at the start of the gap's line once the reveal has landed.
    await page.locator('.statusbar-item', { hasText: `Ln ${line}, Col 1` }).first().waitFor({ state: 'visible', timeout: 15_000 });
    // Replace the TODO line with real scope, unsaved at first.
    await page.keyboard.press('Shift+End');
    await page.locator('.statusbar-item', { hasText: /selected/ }).first().waitFor({ state: 'visible', timeout: 5_000 });
    await page.keyboard.type('- In scope: rounding in invoiceTotal. Out of scope: the importer.');
    await waitForScore(frame, 100);
    assert.equal(await frame.locator('li.gap').count(), 0);
    await screenshot(page, 'handoff-05-edited-live');
    await page.keyboard.press('Control+S');
    await waitFor(() => readFileSync(join(editor.workspace, PACKAGE), 'utf8').includes('\n## Scope\n\n- In scope: rounding in invoiceTotal. Out of scope: the importer.\n\n## Control questions\n'), 'the edit saved');
  });

  it('copies the startup prompt, unwrapped, to the clipboard', async () => {
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(editor.url).origin });
    const frame = await panelFrame(page, TITLE);
    await frame.locator('button.copy').click();
    await frame.locator('#notice', { hasText: 'copied' }).waitFor({ state: 'visible', timeout: 10_000 });
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.match(copied, /^You are taking over the invoice rounding fix on branch `fix\/invoice-rounding`\. Totals must be computed in integer cents/);
    assert.ok(!copied.includes('\n'), 'soft line breaks are joined');
  });

  it('restores the panel after a window reload', async () => {
    await reloadWindow(page);
    const frame = await panelFrame(page, TITLE, 60_000);
    await waitForScore(frame, 100, 30_000);
    await screenshot(page, 'handoff-06-restored');
  });

  it('validates a package from the command palette and logs it in the session', async () => {
    await focusWorkbench(page);
    await runCommand(page, 'llmgenie: Validate Handoff Package');
    await panelFrame(page, TITLE);
    const event = await waitForSessionEvent(editor.workspace, (e) => e.type === 'handoff' && e.payload.action === 'validate' && e.payload.path === PACKAGE);
    assert.deepEqual(event.payload, { path: PACKAGE, score: 100, passed: true, gaps: 0, action: 'validate' });
  });

  it('creates a package draft and opens it with its panel', async () => {
    await focusWorkbench(page);
    await runCommand(page, 'llmgenie: Create Handoff Package');
    await page.locator('.quick-input-widget', { hasText: 'Folder name under docs/handoff/' }).waitFor({ state: 'visible', timeout: 15_000 });
    const input = page.locator('.quick-input-widget input');
    await input.fill('demo-draft');
    await page.keyboard.press('Enter');
    // The draft is titled from what the session did (its latest decision, else the files it touched), never from
    // the folder name or the default branch; the panel shows that title.
    const draftFile = join(editor.workspace, 'docs/handoff/demo-draft/HANDOFF.md');
    await waitFor(() => existsSync(draftFile), 'the draft file', 30_000);
    const draft = readFileSync(draftFile, 'utf8');
    const title = /^# (.+)$/m.exec(draft)?.[1]?.trim() ?? '';
    assert.ok(title && title !== 'demo-draft' && !/^(main|master)$/.test(title), `a meaningful draft title: "${title}"`);
    const named = /^Work on (\S+?)(?: and |$)/.exec(title)?.[1];
    if (named) assert.ok(draft.split('\n').some((l) => l.startsWith('- ') && l.includes(named)), `"${named}" is among the draft's files`);
    const frame = await panelFrame(page, title, 30_000);
    await frame.locator('.score-value').waitFor({ state: 'visible' });
    // A template draft always asks its author to review the startup prompt.
    assert.equal(await frame.locator('li.gap[data-gap="unreviewed-prompt"]').count(), 1);
    await screenshot(page, 'handoff-07-created');
    const event = await waitForSessionEvent(editor.workspace, (e) => e.type === 'handoff' && e.payload.action === 'create' && e.payload.path === 'docs/handoff/demo-draft/HANDOFF.md');
    assert.equal(event.payload.path, 'docs/handoff/demo-draft/HANDOFF.md');
    assert.equal(event.payload.score, await score(frame));
  });

  it('shows an unreadable package as one line, in the panel and in Problems', async () => {
    const broken = join(editor.workspace, 'docs/handoff/broken');
    mkdirSync(broken, { recursive: true });
    writeFileSync(join(broken, 'HANDOFF.md'), '---\ntitle: [unclosed\nfrom: Anna\n---\n\n## Files\n');
    await focusWorkbench(page);
    await runCommand(page, 'llmgenie: Validate Handoff Package');
    const input = page.locator('.quick-input-widget input');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'broken' }).first().waitFor({ state: 'visible', timeout: 15_000 });
    await input.fill('broken');
    await page.keyboard.press('Enter');
    const frame = await panelFrame(page, 'cannot be read');
    const message = await frame.locator('.error-message').innerText();
    assert.match(message, /^malformed front matter on line 3: /);
    assert.equal(await frame.locator('.error-state .muted').innerText(), 'docs/handoff/broken/HANDOFF.md');
    assert.ok(!message.includes('\n') && !/\bat .*:\d+:\d+/.test(message), `one line, no stack: ${message}`);
    const marker = page.locator('.markers-panel .monaco-list-row', { hasText: 'malformed front matter' }).first();
    await marker.waitFor({ state: 'visible', timeout: 15_000 });
    assert.match(await marker.innerText(), /Ln 3, Col 1/);
    await screenshot(page, 'handoff-08-unreadable');
  });
});

/** Keyboard focus out of any webview, so F1 reaches the workbench. */
async function focusWorkbench(page) {
  await page.locator('.part.sidebar .composite.title').first().click();
  await page.keyboard.press('Escape');
}

/** The last event in the workspace's session logs that matches, once there is one. */
function waitForSessionEvent(workspace, match, timeoutMs = 15_000) {
  return waitFor(() => sessionEvents(workspace).filter(match).at(-1), 'a matching session event', timeoutMs);
}
