// The Lessons sidebar in a real editor: fixture lessons, English and Russian search with highlights, the
// malformed-file badge and diagnostic (in words, not the YAML parser's), capturing a lesson from a selection and
// finding it again, a line of code titled by what it calls, and the search box cleared of a deleted lesson's title.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { copyWorkspace, launchBrowser, llmgenieMenuItem, openWorkbench, runCommand, screenshot, startEditor } from './harness.mjs';

const CAPTURED_TITLE = 'Half away from zero, as the tax office expects';

/** The frame holding the lessons webview (webviews nest: iframe.webview > iframe#active-frame). */
async function lessonsFrame(page, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      try {
        if (frame.isDetached()) continue;
        if (await frame.locator('main#app.lessons input.search').isVisible()) return frame;
      } catch {
        // a frame that went away mid-look
      }
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no lessons webview within ${timeoutMs} ms`);
}

async function cardTitles(frame) {
  return frame.locator('.group:not(.related) .card .title').allInnerTexts();
}

/** Types a query and waits until the results show `firstTitle` on top (earlier results linger until then). */
async function search(frame, query, firstTitle) {
  await frame.locator('input.search').fill(query);
  await frame.locator('.group.results .card:first-child .title', { hasText: firstTitle }).waitFor({ state: 'visible', timeout: 10_000 });
}

/** A stand-in for Ollama's /api/embed: the query and "Reproduce the bug…" point one way, everything else another. */
async function startFakeEmbedder() {
  const seen = { requests: 0 };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      if (req.url !== '/api/embed') {
        res.writeHead(404).end('{"error":"not found"}');
        return;
      }
      seen.requests++;
      const { input } = JSON.parse(body);
      const embeddings = input.map((t, i) => (i === 0 || /Reproduce the bug/.test(t) ? [1, 0] : [0, 1]));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ model: 'nomic-embed-text', embeddings }));
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    seen,
    stop: () => new Promise((r) => {
      server.close(r);
      server.closeAllConnections();
    }),
  };
}

async function openLessonsContainer(page) {
  if (await page.locator('.sidebar .pane-header', { hasText: /Lessons/i }).isVisible()) return;
  // The related-lessons badge sits on top of the icon and takes the pointer events.
  await page.locator('.activitybar .action-item a[aria-label^="llmgenie"], .activitybar .action-label[aria-label^="llmgenie"]').first().click({ force: true });
}

async function quickInputValue(page) {
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  return input.inputValue();
}

/** Opens `file` through Go to File and puts the cursor at `at` (`:line` or `:line:column`). */
async function openAt(page, file, at) {
  await runCommand(page, 'Go to File');
  await page.locator('.quick-input-widget input').fill(file);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: file }).first().waitFor({ state: 'visible', timeout: 15_000 });
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: file }).waitFor({ state: 'visible', timeout: 10_000 });
  await runCommand(page, 'Go to Line/Column');
  await page.locator('.quick-input-widget input').fill(at);
  await page.keyboard.press('Enter');
}

describe('lessons sidebar in a real editor', function () {
  this.timeout(240_000);
  let editor;
  let browser;
  let page;
  let frame;
  let embedder;

  before(async () => {
    embedder = await startFakeEmbedder();
    editor = await startEditor({ workspace: copyWorkspace('demo-workspace'), env: { OLLAMA_HOST: embedder.url } });
    browser = await launchBrowser();
    page = await openWorkbench(browser, editor);
    await page.locator('.statusbar-item', { hasText: 'llmgenie' }).first().waitFor({ state: 'visible', timeout: 60_000 });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) await screenshot(page, `failed-lessons-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });

  after(async () => {
    await browser?.close();
    await editor?.stop();
    await embedder?.stop();
  });

  it('lists the fixture lessons with kinds, tag chips and a problems badge for the malformed file', async () => {
    await openLessonsContainer(page);
    // Room for the lessons: fold the Sessions view below them.
    const sessions = page.locator('.sidebar .pane-header[aria-expanded="true"]', { hasText: /Sessions/i });
    if (await sessions.count()) await sessions.first().click();
    frame = await lessonsFrame(page);
    await frame.locator('.group.all .card').nth(8).waitFor({ state: 'visible', timeout: 20_000 });
    assert.equal(await frame.locator('.group.all .card').count(), 9);
    assert.match(await frame.locator('.group.all h2').innerText(), /9 lessons/i);
    const titles = await cardTitles(frame);
    assert.equal(titles[0], 'Генерацию тестов отправляем в Claude');
    assert.ok(titles.includes('Retry payments only with an idempotency key'), 'a malformed lesson stays listed');
    assert.match(await frame.locator('.problems summary').innerText(), /1 problem in 1 lesson file/);
    assert.match(await frame.locator('.chip', { hasText: 'router' }).innerText(), /router\s*4/);
    assert.equal(await frame.locator('.chip').count(), 8);
    assert.match(await frame.locator('.chips .more').innerText(), /^\+\d+ more$/);
    await screenshot(page, 'lessons-01-list');

    await frame.locator('.problems summary').click();
    const problem = frame.locator('.problems li', { hasText: 'retry-payments-with-idempotency-keys.md:6' });
    await problem.waitFor({ state: 'visible' });
    // Said in words (#16.10), not the YAML parser's own sentence ("Flow sequence in block collection must be…").
    const said = await problem.locator('.message').innerText();
    assert.match(said, /^front matter: not valid YAML: a \[list\] or \{map\} is never closed/);
    assert.doesNotMatch(said, /flow sequence|flow collection|sufficiently indented|BAD_INDENT|at line \d+/i);
    await screenshot(page, 'lessons-02-problems');
  });

  it('reports the malformed lesson in the Problems panel on its front matter line', async () => {
    await runCommand(page, 'View: Focus Problems');
    const panel = page.locator('.markers-panel');
    const problem = panel.getByText(/a \[list\] or \{map\} is never closed/).first();
    await problem.waitFor({ state: 'visible', timeout: 20_000 });
    assert.match(await panel.locator('.monaco-list-row', { hasText: 'is never closed' }).first().innerText(), /\[Ln 6/);
    await screenshot(page, 'lessons-03-problems-panel');
  });

  it('searches in English: ranked results with the match highlighted', async () => {
    // "Search Lessons" puts the cursor in the box: typing goes straight there.
    await runCommand(page, 'llmgenie: Search Lessons');
    await frame.locator('input.search:focus').waitFor({ state: 'visible', timeout: 10_000 });
    await page.keyboard.type('rounding cents');
    await frame.locator('.group.results .card:first-child .title', { hasText: 'Keep money in integer cents' }).waitFor({ state: 'visible', timeout: 10_000 });
    const titles = await frame.locator('.group.results .card .title').allInnerTexts();
    assert.equal(titles[0], 'Keep money in integer cents');
    assert.deepEqual(await frame.locator('.group.results .card').first().locator('.title mark').allInnerTexts(), ['cents']);
    const marks = await frame.locator('.group.results .card').first().locator('.snippet mark').allInnerTexts();
    assert.ok(marks.some((m) => /^cents$/i.test(m)), marks.join(','));
    await screenshot(page, 'lessons-04-search-english');
  });

  it('searches in Russian: an inflected query finds and highlights the Russian lesson', async () => {
    await search(frame, 'утечки памяти', 'Утечка памяти из-за неотписанных обработчиков');
    const first = frame.locator('.group.results .card').first();
    assert.equal(await first.locator('.title').innerText(), 'Утечка памяти из-за неотписанных обработчиков');
    assert.deepEqual(await first.locator('.title mark').allInnerTexts(), ['Утечка', 'памяти']);
    await screenshot(page, 'lessons-05-search-russian');

    await frame.locator('input.search').fill('qwzx');
    await frame.getByText('No lessons match “qwzx”.').waitFor({ state: 'visible', timeout: 10_000 });
    await screenshot(page, 'lessons-06-no-matches');
  });

  it('captures a lesson from a selection and finds it in the sidebar search', async () => {
    await openAt(page, 'rounding.ts', ':3');
    for (let i = 0; i < 2; i++) await page.keyboard.press('Shift+ArrowDown');
    // The editor's context menu offers it for a selection, in its llmgenie submenu.
    await llmgenieMenuItem(page, page.locator('.monaco-editor .view-lines .view-line', { hasText: 'return Math.sign' }), 'Capture Lesson from Selection');
    await screenshot(page, 'lessons-07-selection');
    await page.keyboard.press('Escape');

    await runCommand(page, 'llmgenie: Capture Lesson from Selection');
    await page.locator('.quick-input-widget', { hasText: 'Capture Lesson (1/3)' }).waitFor({ state: 'visible', timeout: 15_000 });
    assert.equal(await quickInputValue(page), CAPTURED_TITLE);
    await screenshot(page, 'lessons-08-capture-title');
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget', { hasText: 'Capture Lesson (2/3)' }).waitFor({ state: 'visible' });
    assert.equal(await quickInputValue(page), 'typescript, rounding');
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget', { hasText: 'Capture Lesson (3/3)' }).waitFor({ state: 'visible' });
    await page.keyboard.press('Enter');

    await frame.locator('.group.results .card .title', { hasText: CAPTURED_TITLE }).first().waitFor({ state: 'visible', timeout: 15_000 });
    assert.equal(await frame.locator('input.search').inputValue(), CAPTURED_TITLE);
    const card = frame.locator('.group.results .card').first();
    assert.equal(await card.locator('.title').innerText(), CAPTURED_TITLE);
    assert.match(await card.locator('.source').innerText(), /^src\/handoff-demo\/rounding\.ts:3$/);
    await screenshot(page, 'lessons-09-captured-in-sidebar');

    const dir = join(editor.workspace, 'docs', 'lessons');
    const file = readdirSync(dir).find((f) => f.endsWith('-half-away-from-zero-as-the-tax-office-expects.md'));
    assert.ok(file, readdirSync(dir).join(', '));
    const text = readFileSync(join(dir, file), 'utf8');
    assert.match(text, /^source: src\/handoff-demo\/rounding\.ts:3$/m);
    assert.match(text, /^tags: \[typescript, ?rounding\]$/m);
    assert.match(text, /```typescript\n\/\/ Half away from zero[^\n]*\nreturn Math\.sign\(amount\)/);
  });

  it('shows lessons related to the open file, with the count as the view badge', async () => {
    await frame.locator('input.search').fill('');
    const related = frame.locator('.group.related');
    await related.waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(await related.locator('h2').innerText(), /related to rounding\.ts/i);
    // Best first: the new lesson's glob and tags, the cents lesson's glob, then lessons of rules covering the file.
    await related.locator('.card .title', { hasText: CAPTURED_TITLE }).waitFor({ state: 'visible', timeout: 10_000 });
    assert.deepEqual(await related.locator('.card .title').allInnerTexts(), [
      CAPTURED_TITLE,
      'Keep money in integer cents',
      'Use the logger, not console.log',
      'API keys leak through prompts, not only through commits',
    ]);
    const badge = page.locator('.activitybar .action-item', { has: page.locator('[aria-label^="llmgenie"]') }).locator('.badge-content');
    await badge.waitFor({ state: 'visible', timeout: 10_000 });
    assert.equal(await badge.innerText(), '4');
    await screenshot(page, 'lessons-10-related');
  });

  it('opens a lesson at its line and its source file from the card', async () => {
    const related = frame.locator('.group.related');
    await related.locator('.card', { hasText: CAPTURED_TITLE }).locator('button.source').click();
    await page.locator('.statusbar-item', { hasText: /^Ln 3, Col 1$/ }).waitFor({ state: 'visible', timeout: 10_000 });
    assert.match((await page.locator('.tab.active').innerText()).replace(/\s+/g, ''), /rounding\.ts/);
    // Opening a lesson makes its file the active one: the related section follows it, and nothing else in the
    // demo is about money, while a lesson is never related to itself.
    await related.locator('.card', { hasText: 'Keep money in integer cents' }).locator('button', { hasText: /^Open$/ }).click();
    await page.locator('.tab.active', { hasText: '2025-03-14-keep-money-in-integer-cents.md' }).waitFor({ state: 'visible', timeout: 10_000 });
    await related.waitFor({ state: 'detached', timeout: 10_000 });
    await screenshot(page, 'lessons-10b-opened-lesson');
  });

  it('keeps the query and tag filter when the view is hidden and after a window reload', async () => {
    await frame.locator('input.search').fill('ollama');
    await frame.locator('.chip', { hasText: 'router' }).click();
    await frame.locator('.chip.selected', { hasText: 'router' }).waitFor({ state: 'visible', timeout: 10_000 });
    const titles = await frame.locator('.group.results .card .title').allInnerTexts();
    assert.deepEqual(titles.slice().sort(), ['Warm up the local model before timing it', 'Генерацию тестов отправляем в Claude', 'Кэш ответов сбрасываем при смене модели'].sort());

    await page.locator('.activitybar .action-label[aria-label^="Explorer"]').first().click();
    await page.locator('.sidebar .pane-header', { hasText: /Lessons/i }).waitFor({ state: 'hidden' });
    await openLessonsContainer(page);
    frame = await lessonsFrame(page);
    await frame.locator('.chip.selected', { hasText: 'router' }).waitFor({ state: 'visible', timeout: 15_000 });
    assert.equal(await frame.locator('input.search').inputValue(), 'ollama');
    assert.deepEqual(await frame.locator('.group.results .card .title').allInnerTexts(), titles);

    await page.reload();
    await page.locator('.statusbar-item', { hasText: 'llmgenie' }).first().waitFor({ state: 'visible', timeout: 60_000 });
    await openLessonsContainer(page);
    frame = await lessonsFrame(page);
    await frame.locator('.chip.selected', { hasText: 'router' }).waitFor({ state: 'visible', timeout: 20_000 });
    assert.equal(await frame.locator('input.search').inputValue(), 'ollama');
    await screenshot(page, 'lessons-11-restored-after-reload');
    await frame.locator('.chip.selected', { hasText: 'router' }).click();
  });

  it('re-ranks by Ollama embeddings when enabled, and falls back to the text ranking with a note', async () => {
    frame = await lessonsFrame(page);
    mkdirSync(join(editor.workspace, '.vscode'), { recursive: true });
    writeFileSync(join(editor.workspace, '.vscode', 'settings.json'), JSON.stringify({ 'llmgenie.lessons.rerank.enabled': true }));
    const top = frame.locator('.group.results .card:first-child .title');
    // The setting reaches the extension host a moment after the file is written: type until it applies.
    const deadline = Date.now() + 20_000;
    for (let q = 0; !(await top.innerText().catch(() => '')).startsWith('Reproduce the bug'); q++) {
      assert.ok(Date.now() < deadline, `not re-ranked; ${embedder.seen.requests} embed requests`);
      await frame.locator('input.search').fill(q % 2 ? 'rounding cents' : 'cents rounding');
      await new Promise((r) => setTimeout(r, 1000));
    }
    assert.ok(embedder.seen.requests > 0);
    assert.equal(await frame.locator('.note').count(), 0);
    await screenshot(page, 'lessons-12-reranked');

    await embedder.stop();
    await frame.locator('input.search').fill('integer cents');
    const note = frame.locator('.note');
    await note.waitFor({ state: 'visible', timeout: 15_000 });
    assert.match(await note.innerText(), /^not re-ranked: Ollama not running at http:\/\/127\.0\.0\.1:\d+/);
    assert.equal(await top.innerText(), 'Keep money in integer cents');
    await screenshot(page, 'lessons-13-rerank-fallback');
  });

  it('follows lesson files changed outside the editor and deletes a lesson after a modal confirm', async () => {
    writeFileSync(join(editor.workspace, '.vscode', 'settings.json'), '{}');
    const dir = join(editor.workspace, 'docs', 'lessons');
    const added = join(dir, '2026-11-25-pin-the-node-version.md');
    writeFileSync(added, '---\ntitle: Pin the Node version in CI\nkind: best-practice\ntags: [ci, node]\n---\n\nThe build broke when the runner image moved to Node 22. Pin it in .nvmrc and in the CI config.\n');
    await frame.locator('input.search').fill('node version');
    await frame.locator('.group.results .card:first-child .title', { hasText: 'Pin the Node version in CI' }).waitFor({ state: 'visible', timeout: 15_000 });

    const broken = join(dir, '2026-08-05-retry-payments-with-idempotency-keys.md');
    writeFileSync(broken, readFileSync(broken, 'utf8').replace('tags: [payments, retries\n', 'tags: [payments, retries]\n'));
    await frame.locator('.problems').waitFor({ state: 'detached', timeout: 15_000 });
    await page.locator('.markers-panel').getByText(/a \[list\] or \{map\} is never closed/).waitFor({ state: 'detached', timeout: 15_000 });
    await screenshot(page, 'lessons-14-external-changes');

    await frame.locator('.group.results .card:first-child button', { hasText: 'Delete' }).click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(await dialog.innerText(), /Delete the lesson "Pin the Node version in CI"\?/);
    await screenshot(page, 'lessons-15-delete-confirm');
    await dialog.locator('.monaco-button', { hasText: /^Delete$/ }).click();
    // The search box held the deleted lesson's title: it is cleared, and the whole list shows without that lesson.
    await frame.locator('.group.results .card .title', { hasText: 'Pin the Node version in CI' }).waitFor({ state: 'detached', timeout: 10_000 });
    for (const until = Date.now() + 10_000; (await frame.locator('input.search').inputValue()) !== ''; await new Promise((r) => setTimeout(r, 200)))
      assert.ok(Date.now() < until, 'the search box is cleared of the deleted title');
    // The other lessons come back once the cleared query has been answered.
    await frame.locator('.card .title', { hasText: 'Keep money in integer cents' }).first().waitFor({ state: 'visible', timeout: 10_000 });
    assert.equal(await frame.getByText(/No lessons match/).count(), 0);
    await page.locator('.notifications-toasts', { hasText: 'Deleted the lesson "Pin the Node version in CI"' }).waitFor({ state: 'visible', timeout: 10_000 });
    assert.equal(existsSync(added), false);
    await screenshot(page, 'lessons-15b-deleted');
  });

  it('explains an empty lessons folder and adds the first lesson from its button', async () => {
    writeFileSync(join(editor.workspace, '.vscode', 'settings.json'), JSON.stringify({ 'llmgenie.lessons.dir': 'team/lessons', 'llmgenie.lessons.docsDir': 'team' }));
    await frame.getByText('No lessons yet.').waitFor({ state: 'visible', timeout: 20_000 });
    assert.match(await frame.locator('.empty').innerText(), /team\/lessons\//);
    await screenshot(page, 'lessons-16-empty');

    await frame.locator('.empty button', { hasText: 'New Lesson' }).click();
    await page.locator('.quick-input-widget', { hasText: 'New Lesson (1/2)' }).waitFor({ state: 'visible', timeout: 10_000 });
    await page.locator('.quick-input-widget input').fill('Pin the Node version in CI');
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget', { hasText: 'New Lesson (2/2)' }).waitFor({ state: 'visible' });
    await page.locator('.quick-input-widget input').fill('ci, node');
    await page.keyboard.press('Enter');
    await page.locator('.tab.active', { hasText: /pin-the-node-version-in-ci\.md/ }).waitFor({ state: 'visible', timeout: 10_000 });
    await frame.locator('.group.results .card .title', { hasText: 'Pin the Node version in CI' }).waitFor({ state: 'visible', timeout: 10_000 });
    const files = readdirSync(join(editor.workspace, 'team', 'lessons'));
    assert.equal(files.length, 1);
    assert.match(readFileSync(join(editor.workspace, 'team', 'lessons', files[0]), 'utf8'), /^title: Pin the Node version in CI\nkind: lesson\ntags: \[ci, node\]$/m);
    await screenshot(page, 'lessons-17-first-lesson');
  });

  it('titles a lesson captured from a line of code by what the code does, and clears that title from the search on delete', async () => {
    // A selection with no comment: the proposed title names the call, it is not the line itself (#16.10).
    // The demo's src/payments.ts, line 15: `const res = await fetch('https://api.acquirer.example/v1/charges', {`.
    await openAt(page, 'payments.ts', ':15:3');
    await page.keyboard.press('Shift+End');
    await runCommand(page, 'llmgenie: Capture Lesson from Selection');
    await page.locator('.quick-input-widget', { hasText: 'Capture Lesson (1/3)' }).waitFor({ state: 'visible', timeout: 15_000 });
    const title = await quickInputValue(page);
    assert.equal(title, 'Calling fetch in payments.ts');
    assert.doesNotMatch(title, /const|await|=|\(/i);
    await screenshot(page, 'lessons-18-capture-code-title');
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget', { hasText: 'Capture Lesson (2/3)' }).waitFor({ state: 'visible' });
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget', { hasText: 'Capture Lesson (3/3)' }).waitFor({ state: 'visible' });
    await page.keyboard.press('Enter');

    // Capturing shows the new lesson by putting its exact title in the search box; deleting it must not leave that behind.
    const card = frame.locator('.group.results .card', { has: frame.locator('.title', { hasText: title }) }).first();
    await card.waitFor({ state: 'visible', timeout: 15_000 });
    assert.equal(await frame.locator('input.search').inputValue(), title);
    await card.locator('button', { hasText: 'Delete' }).click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(await dialog.innerText(), /Delete the lesson "Calling fetch in payments\.ts"\?/);
    await dialog.locator('.monaco-button', { hasText: /^Delete$/ }).click();
    await page.locator('.notifications-toasts', { hasText: 'Deleted the lesson "Calling fetch in payments.ts"' }).waitFor({ state: 'visible', timeout: 10_000 });
    for (const until = Date.now() + 10_000; (await frame.locator('input.search').inputValue()) !== ''; await new Promise((r) => setTimeout(r, 200)))
      assert.ok(Date.now() < until, `the search box still holds "${await frame.locator('input.search').inputValue()}"`);
    await frame.locator('.card .title', { hasText: 'Pin the Node version in CI' }).first().waitFor({ state: 'visible', timeout: 10_000 });
    assert.equal(await frame.locator('.card .title', { hasText: title }).count(), 0);
    assert.equal(await frame.getByText(/No lessons match/).count(), 0);
    assert.deepEqual(readdirSync(join(editor.workspace, 'team', 'lessons')).filter((f) => /calling-fetch/.test(f)), []);
    await screenshot(page, 'lessons-19-deleted-search-cleared');
  });
});
