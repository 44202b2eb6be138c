// A multi-root workspace in the real editor (#16 point 12): each folder keeps its own lessons and the Lessons
// view shows them grouped by folder; a search finds lessons in both; a lesson added on disk in one folder shows
// under that folder.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser, openWorkbench, screenshot, startEditor } from './harness.mjs';

const lesson = (id, title, tags, body) => `---\nid: ${id}\ntitle: ${title}\ntags: [${tags.join(', ')}]\nkind: lesson\ncreated: 2026-01-0${id.length % 9 || 1}\n---\n\n${body}\n`;

function multiRootWorkspace() {
  const dir = mkdtempSync(join(tmpdir(), 'llmgenie-ws-multiroot-'));
  const files = {
    'api/docs/lessons/paging.md': lesson('paging', 'Page with cursors, not offsets', ['http'], 'Offsets skip rows when rows are inserted between pages.'),
    'api/docs/lessons/retries.md': lesson('retries', 'Retry POSTs with an idempotency key', ['http', 'payments'], 'A retried payment without a key charges twice.'),
    'api/src/server.ts': 'export const port = 8080;\n',
    // The web folder keeps its lessons elsewhere (its own folder setting) and reuses an id the api folder has.
    'web/.vscode/settings.json': '{ "llmgenie.lessons.dir": "notes/lessons" }\n',
    'web/notes/lessons/paging.md': lesson('paging', 'Paging buttons stay where they were', ['ui'], 'Moving the pager under the thumb makes people click twice; cursors come from the API.'),
    'web/src/app.ts': 'export const app = 1;\n',
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

describe('lessons in a multi-root workspace', function () {
  this.timeout(240_000);
  let ws;
  let editor;
  let browser;
  let page;
  let frame;

  before(async () => {
    ws = multiRootWorkspace();
    editor = await startEditor({ workspace: ws.file });
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
    if (ws) rmSync(ws.dir, { recursive: true, force: true });
  });

  it('shows each folder’s lessons under the folder’s name, each from where that folder keeps them', async () => {
    await page.locator('.activitybar .action-item a[aria-label^="llmgenie"], .activitybar .action-label[aria-label^="llmgenie"]').first().click({ force: true });
    // Room for the lessons: fold the Sessions view below them.
    const sessions = page.locator('.sidebar .pane-header[aria-expanded="true"]', { hasText: /Sessions/i });
    if (await sessions.count()) await sessions.first().click();
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
});
