// A multi-root workspace in the real editor (#16 point 12): each folder keeps its own lessons, sessions and rules.
// The Lessons view groups lessons by folder, a search finds lessons in both, a lesson added on disk in one folder
// shows under that folder; a task on a file is logged in its folder's sessions and the Sessions view shows each
// folder; a rule only one folder has flags that folder's file and not the other's.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeLlmServers } from './fakeLlmServers.mjs';
import { launchBrowser, openWorkbench, runCommand, screenshot, sessionEvents, startEditor, waitFor } from './harness.mjs';
import { nextAnswer } from './resultsPanel.mjs';

const lesson = (id, title, tags, body) => `---\nid: ${id}\ntitle: ${title}\ntags: [${tags.join(', ')}]\nkind: lesson\ncreated: 2026-01-0${id.length % 9 || 1}\n---\n\n${body}\n`;

function multiRootWorkspace() {
  const dir = mkdtempSync(join(tmpdir(), 'llmgenie-ws-multiroot-'));
  const files = {
    'api/docs/lessons/paging.md': lesson('paging', 'Page with cursors, not offsets', ['http'], 'Offsets skip rows when rows are inserted between pages.'),
    'api/docs/lessons/retries.md': lesson('retries', 'Retry POSTs with an idempotency key', ['http', 'payments'], 'A retried payment without a key charges twice.'),
    'api/src/server.ts': "export const port = 8080;\nconsole.log('listening');\n",
    // The web folder keeps its lessons elsewhere (its own folder setting) and reuses an id the api folder has.
    'web/.vscode/settings.json': '{ "llmgenie.lessons.dir": "notes/lessons" }\n',
    'web/notes/lessons/paging.md': lesson('paging', 'Paging buttons stay where they were', ['ui'], 'Moving the pager under the thumb makes people click twice; cursors come from the API.'),
    'web/src/app.ts': "export const app = 1;\nconsole.log('ready');\n",
    // Only web enforces the logging rule: api has no rules, so its console.log is its own business.
    'web/rules_manifest.json': `${JSON.stringify({ version: 1, rules: [{ id: '001', name: 'logging-policy', file: '.cursor/rules/001-logging.mdc', kind: 'logging', severity: 'warning', enforce: { pack: 'logging' } }] }, null, 2)}\n`,
    'web/.cursor/rules/001-logging.mdc': '---\ndescription: No debugging output in production code.\nglobs: src/**/*.ts\nalwaysApply: false\n---\n# Logging (001)\n\nUse the logger, not console.log.\n',
  };
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  const file = join(dir, 'team.code-workspace');
  writeFileSync(file, JSON.stringify({ folders: [{ path: 'api' }, { path: 'web' }], settings: {} }, null, 2));
  return { dir, file };
}

async function lessonsFrame(page, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      try {
        if (!frame.isDetached() && (await frame.locator('main#app.lessons input.search').isVisible())) return frame;
      } catch {
        // a frame that went away mid-look
      }
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no lessons webview within ${timeoutMs} ms`);
}

/** Folder headings and the card titles under each, in the order drawn. */
async function groups(frame, section) {
  return frame.locator(`.group.${section} .cards`).evaluate((el) => {
    const out = [];
    for (const child of el.children) {
      if (child.classList.contains('folder')) out.push({ folder: child.textContent, titles: [] });
      else if (child.classList.contains('card')) out.at(-1)?.titles.push(child.querySelector('.title')?.textContent);
    }
    return out;
  });
}


/** Opens a file through Quick Open and puts the cursor in it. */
async function openFile(page, name) {
  await runCommand(page, 'View: Focus First Editor Group');
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(name);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ state: 'visible', timeout: 15_000 });
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: name }).first().waitFor({ state: 'visible', timeout: 15_000 });
  await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
}

describe('a multi-root workspace', function () {
  this.timeout(240_000);
  let servers;
  let ws;
  let editor;
  let browser;
  let page;
  let frame;

  before(async () => {
    ws = multiRootWorkspace();
    servers = await startFakeLlmServers();
    editor = await startEditor({
      workspace: ws.file,
      settings: { 'llmgenie.ollama.host': servers.ollama, 'llmgenie.claude.baseUrl': servers.anthropic, 'llmgenie.router.mode': 'local' },
      env: { ANTHROPIC_API_KEY: 'test-key' }, // llmgenie-allow(400)
    });
    browser = await launchBrowser();
    page = await openWorkbench(browser, editor);
    await page.locator('.statusbar-item', { hasText: 'llmgenie' }).first().waitFor({ state: 'visible', timeout: 60_000 });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) await screenshot(page, `failed-multiroot-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });

  after(async () => {
    await browser?.close();
    await editor?.stop();
    await servers?.stop();
    if (ws) rmSync(ws.dir, { recursive: true, force: true });
  });

  it('shows each folder’s lessons under the folder’s name, each from where that folder keeps them', async () => {
    await page.locator('.activitybar .action-item a[aria-label^="llmgenie"], .activitybar .action-label[aria-label^="llmgenie"]').first().click({ force: true });
    // Room for the lessons: fold the Sessions view below them.
    const sessions = page.locator('.sidebar .pane-header[aria-expanded="true"]', { hasText: /Sessions/i });
    if (await sessions.count()) await sessions.first().locator('.title').first().click();
    frame = await lessonsFrame(page);
    await frame.locator('.group.all .cards .folder').nth(1).waitFor({ state: 'visible', timeout: 20_000 });
    const drawn = await groups(frame, 'all');
    assert.deepEqual(drawn.map((g) => g.folder), ['api', 'web']);
    assert.deepEqual([...drawn[0].titles].sort(), ['Page with cursors, not offsets', 'Retry POSTs with an idempotency key']);
    assert.deepEqual(drawn[1].titles, ['Paging buttons stay where they were'], 'web reads its own lessons folder setting');
    assert.match(await frame.locator('.group.all h2').innerText(), /3 lessons/i);
    await screenshot(page, 'lessons-multiroot-01-grouped');
  });

  it('searches every folder, keeps results grouped, and opens the right one of two lessons sharing an id', async () => {
    await frame.locator('input.search').fill('paging cursors');
    await frame.locator('.group.results .cards .folder', { hasText: 'web' }).waitFor({ state: 'visible', timeout: 10_000 });
    const drawn = await groups(frame, 'results');
    assert.deepEqual(drawn.map((g) => g.folder), ['api', 'web']);
    assert.deepEqual(drawn[1].titles, ['Paging buttons stay where they were']);
    await screenshot(page, 'lessons-multiroot-02-search');
    await frame.locator('.card', { hasText: 'Paging buttons stay where they were' }).getByRole('button', { name: 'Open' }).click();
    await page.locator('.tab', { hasText: 'paging.md' }).waitFor({ state: 'visible', timeout: 10_000 });
    await page.locator('.monaco-editor .view-lines', { hasText: 'Paging buttons stay where they were' }).waitFor({ state: 'visible', timeout: 10_000 });
  });

  it('a lesson written on disk in one folder appears under that folder', async () => {
    await frame.locator('input.search').fill('');
    writeFileSync(join(ws.dir, 'web/notes/lessons/focus.md'), lesson('focus-ring', 'Never remove the focus ring', ['ui', 'a11y'], 'Keyboard users lose their place without it.'));
    await frame.locator('.group.all .card', { hasText: 'Never remove the focus ring' }).waitFor({ state: 'visible', timeout: 15_000 });
    const drawn = await groups(frame, 'all');
    assert.ok(drawn.find((g) => g.folder === 'web').titles.includes('Never remove the focus ring'));
    assert.ok(!drawn.find((g) => g.folder === 'api').titles.includes('Never remove the focus ring'));
    await screenshot(page, 'lessons-multiroot-03-external-add');
  });

  it('logs a task in the session log of the folder its file is in, and the Sessions view shows each folder', async () => {
    await openFile(page, 'server.ts');
    let frame = await nextAnswer(page, 'llmgenie: Explain');
    await frame.locator('.metrics').waitFor({ state: 'visible', timeout: 10_000 });
    await openFile(page, 'app.ts');
    frame = await nextAnswer(page, 'llmgenie: Explain');
    await frame.locator('.metrics').waitFor({ state: 'visible', timeout: 10_000 });
    const tasks = (folder) => sessionEvents(join(ws.dir, folder)).filter((e) => e.type === 'task');
    await waitFor(() => tasks('web').length === 1 && tasks('api').length === 1, 'one task logged in each folder');
    assert.deepEqual(tasks('api')[0].payload.files, ['src/server.ts'], 'paths in a folder\'s log are relative to that folder');
    assert.deepEqual(tasks('web')[0].payload.files, ['src/app.ts']);
    assert.ok(!existsSync(join(ws.dir, '.llmgenie')), 'nothing is written above the folders');

    // The Sessions view: one group per folder, each with this window's session in it.
    await runCommand(page, 'Focus on Sessions View');
    const header = page.locator('.sidebar .pane-header', { hasText: /^Sessions/i }).first();
    await header.waitFor({ state: 'visible', timeout: 15_000 });
    if ((await header.getAttribute('aria-expanded')) !== 'true') await header.locator('.title').first().click();
    const lessonsHeader = page.locator('.sidebar .pane-header[aria-expanded="true"]', { hasText: /Lessons/i });
    if (await lessonsHeader.count()) await lessonsHeader.first().locator('.title').first().click();
    const tree = page.locator('.sidebar .pane', { has: page.locator('.pane-header', { hasText: /Sessions/i }) }).first();
    const row = (name) => tree.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${name}$`) }) });
    await row('api').waitFor({ state: 'visible', timeout: 15_000 });
    await row('web').waitFor({ state: 'visible', timeout: 15_000 });
    assert.match(await row('api').innerText(), /1 session/);
    assert.match(await row('web').innerText(), /1 session/);
    // Each group holds this window's session in that folder, one task each.
    for (const name of ['api', 'web']) if ((await row(name).getAttribute('aria-expanded')) !== 'true') await row(name).click();
    const sessionRows = tree.locator('.monaco-list-row', { hasText: 'this window' });
    await waitFor(async () => (await sessionRows.count()) === 2, 'this window’s session under both folders');
    for (const text of await sessionRows.allInnerTexts()) assert.match(text, /1 task/);
    // #16 point 11: the container is titled "llmgenie"; the capital on screen is the modern UI's text-transform on
    // every part title (it shows "Source Control" and "Llmgenie" alike), not a second spelling of ours.
    const title = page.locator('.sidebar .composite.title .title-label h2').first();
    assert.equal(await title.textContent(), 'llmgenie');
    assert.equal(await title.evaluate((el) => getComputedStyle(el).textTransform), 'capitalize');
    await screenshot(page, 'multiroot-04-sessions-by-folder');
  });

  it('a rule only one folder has flags that folder’s file and not the other’s', async () => {
    await runCommand(page, 'View: Focus Problems');
    const problems = page.locator('.markers-panel');
    await problems.waitFor({ state: 'visible', timeout: 15_000 });
    await problems.getByText('console.log() left in production code').first().waitFor({ state: 'visible', timeout: 30_000 });
    const text = await problems.innerText();
    assert.match(text, /app\.ts/);
    assert.doesNotMatch(text, /server\.ts/, 'api has no logging rule: its console.log is not flagged');
    await screenshot(page, 'multiroot-05-rules-per-folder');
  });
});
