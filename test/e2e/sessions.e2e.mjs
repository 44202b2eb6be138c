// Sessions tree, event documents, Record Decision and the analytics dashboard in a real VS Code (code-server).
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyWorkspace, launchBrowser, openWorkbench, reloadWindow, runCommand, screenshot, startEditor } from './harness.mjs';

/** The committed fixture sessions (4 days of router, policy, handoff, decision, lesson and note events). */
const FIXTURE_SESSIONS = ['20261118-090412318-k3f9q2', '20261120-141002481-7hx0mb', '20261123-085233901-p2w8zd', '20261124-162008115-z4c1ra'];

/** The tree labels sessions with their local start time, like the extension host does on this machine. */
function localMinute(iso) {
  const d = new Date(iso);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** The analytics page is a nested iframe; find it by its content rather than by position. */
async function dashboardFrame(page, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const f of page.frames()) {
      try {
        if (await f.locator('#period').count()) return f;
      } catch {
        // frame navigated away while we looked
      }
    }
    await page.waitForTimeout(250);
  }
  throw new Error('the analytics webview did not appear');
}

async function kpi(frame, key) {
  return (await frame.locator(`[data-kpi="${key}"] .kpi-value`).innerText()).trim();
}

async function waitForKpi(frame, key, expected, timeoutMs = 15_000) {
  await frame.locator(`[data-kpi="${key}"] .kpi-value`, { hasText: new RegExp(`^${expected}$`) }).waitFor({ state: 'visible', timeout: timeoutMs });
}

describe('sessions and analytics in a real editor', function () {
  this.timeout(180_000);
  let editor;
  let browser;
  let page;
  let sessionsDir;
  let newest;
  let newestLabel;

  before(async () => {
    const workspace = copyWorkspace('demo-workspace');
    sessionsDir = join(workspace, '.llmgenie', 'sessions');
    // Running the CLI in the fixture folder leaves sessions there (it is gitignored): keep only the committed ones.
    for (const f of readdirSync(sessionsDir)) if (!FIXTURE_SESSIONS.some((id) => f.startsWith(`${id}.`))) rmSync(join(sessionsDir, f));
    newest = `${FIXTURE_SESSIONS.at(-1)}.jsonl`;
    editor = await startEditor({ workspace });
    browser = await launchBrowser();
    page = await openWorkbench(browser, editor);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) await screenshot(page, `failed-sessions-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });

  after(async () => {
    await browser?.close();
    await editor?.stop();
  });

  const sessionsPane = () => page.locator('.sidebar .pane', { has: page.locator('.pane-header', { hasText: /^Sessions/i }) });
  const row = (text) => sessionsPane().locator('.monaco-list-row', { hasText: text });

  it('lists the fixture sessions newest first and expands one into events and details', async () => {
    await page.locator('.activitybar .action-item a[aria-label^="llmgenie"], .activitybar .action-label[aria-label^="llmgenie"]').first().click();
    // Give the Sessions view the room: fold the Lessons and Chat views around it, as a person would (the tree only
    // renders the rows that fit, so an expanded task's last details would otherwise be below the fold).
    for (const name of ['Lessons', 'Chat']) {
      const header = page.locator('.sidebar .pane-header', { hasText: new RegExp(`^${name}`, 'i') }).first();
      await header.waitFor({ state: 'visible', timeout: 30_000 });
      if ((await header.getAttribute('aria-expanded')) === 'true') await header.locator('.title').first().click();
    }

    const first = JSON.parse(readFileSync(join(sessionsDir, newest), 'utf8').split('\n')[0]);
    newestLabel = localMinute(first.time);
    const newestRow = row(newestLabel);
    await newestRow.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await newestRow.innerText(), /3 tasks · \$0\.01/);

    const labels = await sessionsPane().locator('.monaco-list-row[aria-level="1"] .label-name').allInnerTexts();
    assert.equal(labels.length, 4, `four fixture sessions, got ${labels.join(' | ')}`);
    assert.deepEqual([...labels].sort().reverse(), labels, 'newest first');
    assert.ok(await row('cli').first().isVisible(), 'the CLI session is marked as such');

    await newestRow.click();
    await row('task · explain').waitFor({ state: 'visible', timeout: 10_000 });
    for (const label of ['task · tests', 'task · fix', 'policy · editor', 'note']) assert.ok(await row(label).first().isVisible(), `${label} is listed`);
    assert.match(await row('task · explain').innerText(), /Local · ollama\/qwen2\.5-coder:7b · 1760 ms/);

    // A click on a task opens its record as formatted JSON in a read-only document.
    await row('task · explain').click();
    await page.locator('.tab', { hasText: 'task · explain (e2).json' }).waitFor({ state: 'visible', timeout: 10_000 });
    await page.locator('.monaco-editor .view-lines', { hasText: '"command": "explain"' }).first().waitFor({ state: 'visible', timeout: 10_000 });

    // → key: value details.
    await row('task · explain').locator('.monaco-tl-twistie').click();
    await row('totalMs').waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(await row('model').first().innerText(), /qwen2\.5-coder:7b/);
    await screenshot(page, 'sessions-01-tree-expanded');
    await row('task · explain').locator('.monaco-tl-twistie').click();
  });

  it('filters sessions and events by type, shown in the view description', async () => {
    await runCommand(page, 'llmgenie: Filter Sessions by Event Type');
    const pick = page.locator('.quick-input-widget', { hasText: 'Filter Sessions by Event Type' });
    await pick.waitFor({ state: 'visible', timeout: 10_000 });
    const typeRow = (t) => pick.locator('.monaco-list-row').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${t}$`) }) });
    // All types start picked: untick every one but handoff.
    const others = ['task', 'policy', 'decision', 'lesson', 'note'];
    for (const t of others) await typeRow(t).click();
    await pick.getByText('1 Selected').waitFor({ state: 'visible', timeout: 5_000 });
    await page.keyboard.press('Enter');
    await sessionsPane().locator('.pane-header', { hasText: 'only handoff' }).waitFor({ state: 'visible', timeout: 10_000 });
    await sessionsPane().locator('.monaco-list-row[aria-level="1"]').first().waitFor({ state: 'visible' });
    await page.waitForFunction(() => document.querySelectorAll('.sidebar .monaco-list-row[aria-level="1"]').length === 1, null, { timeout: 10_000 });
    await sessionsPane().locator('.monaco-list-row[aria-level="1"]').first().click();
    await row('handoff · validate').first().waitFor({ state: 'visible', timeout: 10_000 });
    assert.equal(await sessionsPane().locator('.monaco-list-row[aria-level="2"]', { hasText: 'task ·' }).count(), 0, 'task events are filtered out');
    await screenshot(page, 'sessions-01b-filtered');
    await sessionsPane().locator('.monaco-list-row[aria-level="1"]').first().click();

    await runCommand(page, 'llmgenie: Filter Sessions by Event Type');
    await pick.waitFor({ state: 'visible', timeout: 10_000 });
    for (const t of others) await typeRow(t).click();
    await pick.getByText('6 Selected').waitFor({ state: 'visible', timeout: 5_000 });
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelectorAll('.sidebar .monaco-list-row[aria-level="1"]').length === 4, null, { timeout: 10_000 });
    assert.equal(await sessionsPane().locator('.pane-header', { hasText: 'only' }).count(), 0);
  });

  it('opens the analytics dashboard with KPI tiles and five charts', async () => {
    await runCommand(page, 'llmgenie: Show Analytics');
    const frame = await dashboardFrame(page);
    // First figures in (the page's script is listening), then switch the period.
    await frame.locator('body[data-period] [data-kpi="tasks"]').waitFor({ state: 'visible', timeout: 30_000 });
    await frame.locator('#period').selectOption('all');
    await frame.locator('body[data-period="all"]').waitFor({ state: 'attached', timeout: 15_000 });
    await waitForKpi(frame, 'tasks', '17');
    assert.equal(await kpi(frame, 'cost'), '$0.12');
    assert.equal(await kpi(frame, 'escalation'), '23%');
    assert.match(await kpi(frame, 'savings'), /^\$0\.04$/);
    assert.match(await frame.locator('[data-kpi="savings"] .kpi-sub').innerText(), /26% of \$0\.16/);
    // Every chart has data in the fixture, so every canvas is drawn with a real size.
    const sizes = await frame.locator('.card:not(.no-data) canvas').evaluateAll((cs) => cs.map((c) => [c.id, c.width, c.height]));
    assert.deepEqual(sizes.map((s) => s[0]).sort(), ['chart-cost', 'chart-escalations', 'chart-findings', 'chart-latency', 'chart-tasks']);
    for (const [id, w, h] of sizes) assert.ok(w > 100 && h > 100, `${id} is drawn (${w}×${h})`);
    await screenshot(page, 'sessions-02-analytics');
    await frame.locator('#chart-findings').scrollIntoViewIfNeeded();
    await screenshot(page, 'sessions-02b-analytics-charts');
    await frame.locator('#kpis').scrollIntoViewIfNeeded();
  });

  it('updates the tree and the dashboard when a routed task is appended to the log', async () => {
    const frame = await dashboardFrame(page);
    const event = {
      v: 1,
      id: 'e99',
      time: new Date().toISOString(),
      type: 'task',
      payload: {
        command: 'review',
        route: 'local',
        mode: 'auto',
        reasons: ['no complexity cues: routine task'],
        provider: 'ollama',
        model: 'qwen2.5-coder:7b',
        escalated: false,
        tokensIn: 900,
        tokensOut: 300,
        costUsd: 0,
        cloudCostUsd: 0.0048,
        ttftMs: 230,
        totalMs: 2100,
        ok: true,
        files: ['src/billing.ts'],
      },
    };
    // One write of one full line, as the router's store does.
    appendFileSync(join(sessionsDir, newest), `${JSON.stringify(event)}\n`);
    await waitForKpi(frame, 'tasks', '18');
    await sessionsPane().locator('.monaco-list-row', { hasText: newestLabel }).filter({ hasText: '4 tasks' }).waitFor({ state: 'visible', timeout: 15_000 });
    const newestRow = sessionsPane().locator('.monaco-list-row', { hasText: newestLabel });
    if ((await newestRow.getAttribute('aria-expanded')) !== 'true') await newestRow.click();
    await row('task · review').waitFor({ state: 'visible', timeout: 15_000 });
    await screenshot(page, 'sessions-03-live-update');
  });

  it('exports a session as markdown and the figures as CSV through save dialogs', async () => {
    const acceptSaveDialog = async (suffix) => {
      await page.waitForFunction((sfx) => document.querySelector('.quick-input-widget input')?.value.endsWith(sfx), suffix, { timeout: 10_000 });
      await page.keyboard.press('Enter');
    };
    const newestRow = sessionsPane().locator('.monaco-list-row', { hasText: newestLabel });
    await newestRow.hover();
    await newestRow.locator('.action-label[aria-label^="Export Session as Markdown"]').click();
    await acceptSaveDialog('.md');
    await page.locator('.notifications-toasts', { hasText: 'Session exported to' }).waitFor({ state: 'visible', timeout: 10_000 });
    const md = readFileSync(join(editor.workspace, `session-${FIXTURE_SESSIONS.at(-1)}.md`), 'utf8');
    assert.match(md, /^# Session 20261124-162008115-z4c1ra/);
    assert.match(md, /- Tasks: 4 \(local 3, cloud 1, escalated 0\)/);
    assert.match(md, /task · review/);

    const frame = await dashboardFrame(page);
    await frame.locator('#export-csv').click();
    await acceptSaveDialog('.csv');
    await page.locator('.notifications-toasts', { hasText: 'Analytics (all) exported to' }).waitFor({ state: 'visible', timeout: 10_000 });
    const csvName = readdirSync(editor.workspace).find((f) => /^llmgenie-stats-all-\d{4}-\d{2}-\d{2}\.csv$/.test(f));
    assert.ok(csvName, 'the CSV is written where the dialog proposed');
    const rows = readFileSync(join(editor.workspace, csvName), 'utf8').trim().split('\r\n');
    assert.match(rows[0], /^date,local,cloud,escalated,tasks,/);
    assert.match(rows.at(-1), /^total,11,4,3,18,/);
    await screenshot(page, 'sessions-03b-exported');
  });

  it('records a decision through input boxes into the decision log and this window’s session', async () => {
    await runCommand(page, 'llmgenie: Record Decision');
    const answers = ['Keep docstrings local', 'Local docstrings pass review', 'Route docstring to the local model', 'No cloud cost for docstrings'];
    for (const [i, text] of answers.entries()) {
      await page.locator('.quick-input-widget', { hasText: `(${i + 1}/4)` }).waitFor({ state: 'visible', timeout: 10_000 });
      await page.locator('.quick-input-widget input').fill(text);
      await page.keyboard.press('Enter');
    }
    await page.locator('.notifications-toasts', { hasText: 'Keep docstrings local' }).waitFor({ state: 'visible', timeout: 15_000 });
    const log = readFileSync(join(editor.workspace, 'docs', 'decision-log.md'), 'utf8');
    assert.match(log, /## \d{4}-\d{2}-\d{2} — Keep docstrings local/);
    assert.match(log, /- Session: \[\d{8}-\d{9}-[0-9a-z]{6}, event e2\]/);
    // The first event of this window opened its session: a fifth session, marked as this window's.
    await row('this window').waitFor({ state: 'visible', timeout: 15_000 });
    assert.equal(readdirSync(sessionsDir).filter((f) => f.endsWith('.jsonl')).length, 5);
    await screenshot(page, 'sessions-04-decision-recorded');
  });

  it('deletes a session after a modal confirmation', async () => {
    const live = row('this window');
    await live.hover();
    await live.locator('.action-label[aria-label^="Delete Session"]').click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(await dialog.innerText(), /Delete session \d{8}-\d{9}-[0-9a-z]{6}\?/);
    await screenshot(page, 'sessions-04b-delete-confirm');
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await live.waitFor({ state: 'detached', timeout: 10_000 });
    assert.deepEqual(readdirSync(sessionsDir).filter((f) => f.endsWith('.jsonl')).sort(), FIXTURE_SESSIONS.map((id) => `${id}.jsonl`));
  });

  it('restores the dashboard with its period after a reload', async () => {
    // The way a person reloads: the workbench saves its state (and the webview's) on the way down.
    await reloadWindow(page);
    const frame = await dashboardFrame(page, 60_000);
    await frame.locator('body[data-period="all"]').waitFor({ state: 'attached', timeout: 30_000 });
    await waitForKpi(frame, 'tasks', '18', 30_000);
    assert.equal(await frame.locator('#period').inputValue(), 'all');
    await screenshot(page, 'sessions-05-restored');
  });

  it('follows the sessions folder setting: an empty folder gives the empty states', async () => {
    mkdirSync(join(editor.workspace, '.vscode'), { recursive: true });
    writeFileSync(join(editor.workspace, '.vscode', 'settings.json'), JSON.stringify({ 'llmgenie.sessions.directory': '.llmgenie/none-yet' }));
    const frame = await dashboardFrame(page);
    await frame.locator('#empty', { hasText: 'No llmgenie activity yet' }).waitFor({ state: 'visible', timeout: 20_000 });
    assert.equal(await frame.locator('#empty-dir').innerText(), '.llmgenie/none-yet');
    assert.equal(await frame.locator('#dashboard').isVisible(), false);
    await sessionsPane().getByText('No session logs yet.').waitFor({ state: 'visible', timeout: 15_000 });
    await screenshot(page, 'sessions-06-empty-folder');
  });

  // #16 point 11: escalation reasons are the router's own sentences, different in every task; the chart counts
  // them by kind, and its label (what a screen reader reads of the canvas) says so.
  it('groups escalation reasons by kind: two different "too short" sentences are one bar of two', async () => {
    const dir = join(editor.workspace, '.llmgenie', 'escalated');
    mkdirSync(dir, { recursive: true });
    const now = Date.now();
    const at = (s) => new Date(now - 60_000 + s * 1000).toISOString();
    const escalated = (id, s, command, reason) => ({
      v: 1, id, time: at(s), type: 'task',
      payload: {
        command, route: 'local', mode: 'auto', reasons: ['no complexity cues: routine task'], provider: 'anthropic', model: 'claude-sonnet-5-5',
        escalated: true, escalationReason: reason, tokensIn: 800, tokensOut: 200, costUsd: 0.004, cloudCostUsd: 0.004, ttftMs: 300, totalMs: 2400, ok: true, files: ['src/billing.ts'],
      },
    });
    const lines = [
      { v: 1, id: 'e1', time: at(0), type: 'session-start', payload: { host: 'editor', workspace: 'demo-workspace', version: '0.1.0', pid: 1 } },
      escalated('e2', 1, 'explain', 'answer too short for explain (41 characters, expected at least 120)'),
      escalated('e3', 2, 'review', 'answer too short for review (12 characters, expected at least 80); code is not valid typescript'),
      escalated('e4', 3, 'refactor', 'no code block in a refactor answer'),
    ];
    const stamp = new Date(now - 60_000).toISOString().replace(/[-:T]/g, '').replace(/\..*/, '');
    writeFileSync(join(dir, `${stamp.slice(0, 8)}-${stamp.slice(8)}000-esc4la.jsonl`), `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
    writeFileSync(join(editor.workspace, '.vscode', 'settings.json'), JSON.stringify({ 'llmgenie.sessions.directory': '.llmgenie/escalated' }));
    const frame = await dashboardFrame(page);
    const canvas = frame.locator('#chart-escalations');
    await frame.locator('[data-chart="escalations"]:not(.no-data)').waitFor({ state: 'visible', timeout: 20_000 });
    let label = '';
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && !/too short/.test(label)) {
      label = (await canvas.getAttribute('aria-label')) ?? '';
      await new Promise((r) => setTimeout(r, 200));
    }
    // Three escalations, four checks failed: "too short" twice (two sentences), parse and code block once each.
    assert.equal(label, 'Escalation reasons: answer too short, 2 tasks; code block missing or broken, 1 task; code does not parse, 1 task');
    await frame.locator('[data-chart="escalations"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'sessions-07-escalations-by-kind');
  });
});
