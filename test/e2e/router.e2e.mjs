// The router in a real editor against fake Ollama + Anthropic servers: status-bar mode, Explain on a selection
// streamed into the results panel, a weak local answer escalated to Claude, apply-as-diff, the commit message
// written into the SCM input box, and the panel restored after a reload.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeLlmServers } from './fakeLlmServers.mjs';
import { copyWorkspace, launchBrowser, openWorkbench, runCommand, screenshot, startEditor } from './harness.mjs';

/** The results panel's frame (webviews nest: iframe.webview > iframe#active-frame), found by its content. */
async function resultsFrame(page, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      try {
        if (await frame.locator('main#app.results').count()) return frame;
      } catch {
        // a frame that went away mid-look
      }
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no results panel within ${timeoutMs} ms`);
}

async function waitForText(locator, pattern, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    // Monaco renders spaces as no-break spaces.
    last = (await locator.textContent({ timeout: 1000 }).catch(() => undefined))?.replace(/\u00a0/g, ' ');
    if (last !== undefined && last !== null && pattern.test(last)) return last;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`text stayed ${JSON.stringify(last)}, expected ${pattern}`);
}

async function switchMode(page, from, rowText, to) {
  await page.locator('.statusbar-item', { hasText: `llmgenie: ${from}` }).click();
  await page.locator('.quick-input-widget', { hasText: 'llmgenie: Router Mode' }).waitFor({ state: 'visible' });
  await page.locator('.quick-input-list .monaco-list-row', { hasText: rowText }).first().click();
  await page.locator('.statusbar-item', { hasText: `llmgenie: ${to}` }).waitFor({ state: 'visible', timeout: 10_000 });
}

/** Opens a file through Quick Open and selects whole lines `from`..`to` with the keyboard, as a person would. */
async function selectLines(page, file, from, to) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(file);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: file.split('/').pop() }).first().waitFor({ state: 'visible', timeout: 10_000 });
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: file.split('/').pop() }).waitFor({ state: 'visible', timeout: 10_000 });
  await page.keyboard.press('F1');
  await input.fill(`:${from}`);
  await page.keyboard.press('Enter');
  // The keys must reach the editor, not the closing quick input.
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  await page.locator('.statusbar-item', { hasText: `Ln ${from}, Col 1` }).waitFor({ state: 'visible', timeout: 10_000 });
  for (let i = from; i <= to; i++) await page.keyboard.press('Shift+ArrowDown');
  await page.locator('.statusbar-item', { hasText: /\(\d+ selected\)/ }).waitFor({ state: 'visible', timeout: 10_000 });
}

const sessionsDir = (workspace) => join(workspace, '.llmgenie', 'sessions');
const sessionFiles = (workspace) => (existsSync(sessionsDir(workspace)) ? readdirSync(sessionsDir(workspace)).filter((n) => n.endsWith('.jsonl')) : []);

/** Events in session files this run wrote (the fixture ships older sessions of its own). */
function sessionEvents(workspace, fixtureFiles) {
  const dir = sessionsDir(workspace);
  return sessionFiles(workspace)
    .filter((n) => !fixtureFiles.includes(n))
    .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l)));
}

async function waitFor(check, what, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = await check();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const git = (cwd, ...args) => execFileSync('git', ['-c', 'user.name=llmgenie e2e', '-c', 'user.email=e2e@llmgenie.test', ...args], { cwd, stdio: 'pipe' });

describe('router in a real editor', function () {
  this.timeout(240_000);
  let servers;
  let editor;
  let browser;
  let page;
  let fixtureSessions;

  before(async () => {
    servers = await startFakeLlmServers();
    const workspace = copyWorkspace('demo-workspace');
    fixtureSessions = sessionFiles(workspace);
    // A repository with one staged change, for the commit message.
    git(workspace, 'init', '-q', '-b', 'main');
    git(workspace, 'add', '-A');
    git(workspace, 'commit', '-q', '-m', 'demo workspace');
    const logger = join(workspace, 'src', 'logger.ts');
    // Each log line gets its level as a prefix.
    writeFileSync(logger, readFileSync(logger, 'utf8').replace(/(\w+): (\(\.\.\.args: unknown\[\]\) => .*?)write\(`\$\{/g, (_m, level, head) => `${level}: ${head}write(\`[${level}] \${`));
    git(workspace, 'add', 'src/logger.ts');
    editor = await startEditor({
      workspace,
      settings: { 'llmgenie.ollama.host': servers.ollama, 'llmgenie.claude.baseUrl': servers.anthropic, 'git.openRepositoryInParentFolders': 'never' },
      env: { ANTHROPIC_API_KEY: 'test-key' },
    });
    browser = await launchBrowser();
    page = await openWorkbench(browser, editor);
    await page.locator('.statusbar-item', { hasText: 'llmgenie: Auto' }).waitFor({ state: 'visible', timeout: 60_000 });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) await screenshot(page, `failed-router-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });

  after(async () => {
    await browser?.close();
    await editor?.stop();
    await servers?.stop();
  });

  it('toggles the status bar to Local and explains a selection: the answer streams in with its route and model', async () => {
    await switchMode(page, 'Auto', 'Every task goes to the local', 'Local');
    await selectLines(page, 'src/billing.ts', 3, 7);
    await runCommand(page, 'llmgenie: Explain');
    // While it streams, the status bar spins.
    await page.locator('.statusbar-item .codicon-loading', {}).first().waitFor({ state: 'visible', timeout: 15_000 });
    const frame = await resultsFrame(page);
    await waitForText(frame.locator('.status.running'), /^Streaming from qwen2\.5-coder:7b/, 20_000);
    assert.equal(await frame.locator('.badge').textContent(), 'Local');
    assert.equal(await frame.locator('.model').textContent(), 'qwen2.5-coder:7b');
    await screenshot(page, 'router-01-streaming');
    const metrics = await waitForText(frame.locator('.metrics'), /in \/ .* out · \$0 \(Claude: \$[\d.]+\) · first token .* · total /, 30_000);
    assert.match(metrics, /^\d+ in \/ \d+ out/);
    assert.equal(await frame.locator('h1').textContent(), 'Explain src/billing.ts:3–7');
    assert.deepEqual(await frame.locator('.reasons li').allTextContents(), ['mode: Local (forced)', 'classifier alone: local (0.06)']);
    assert.equal(await frame.locator('.answer .md-heading').textContent(), 'What invoiceTotal does');
    assert.equal(await frame.locator('.answer .md-heading code').textContent(), 'invoiceTotal');
    assert.equal(await frame.locator('.answer li').count(), 2);
    assert.equal(await frame.locator('.answer strong').textContent(), 'quantity × price');
    assert.equal(await frame.locator('.answer .code-block pre').textContent(), 'invoiceTotal([{ qty: 2, price: 9.99 }]); // 19.98');
    assert.equal(await frame.locator('.banner').count(), 0);
    await page.locator('.statusbar-item', { hasText: 'llmgenie: Local' }).locator('.codicon-device-desktop').waitFor({ state: 'visible', timeout: 10_000 });
    await screenshot(page, 'router-02-explained-local');
  });

  it('shows the last decision and provider health in the status-bar tooltip', async () => {
    await page.locator('.statusbar-item', { hasText: 'llmgenie: Local' }).hover();
    const hover = page.locator('.monaco-hover, .workbench-hover', { hasText: 'Last decision' }).first();
    await hover.waitFor({ state: 'visible', timeout: 10_000 });
    const text = await hover.innerText();
    assert.match(text, /Last decision: Explain → Local \(qwen2\.5-coder:7b\): mode: Local \(forced\) · [\d.]+ (ms|s)/);
    assert.match(text, /Ollama: reachable at http:\/\/127\.0\.0\.1:\d+ \(qwen2\.5-coder:7b\)/);
    assert.match(text, /Claude: API key set \(ANTHROPIC_API_KEY\)/);
    await screenshot(page, 'router-03-status-tooltip');
    await page.mouse.move(700, 400);
  });

  it('in Auto mode escalates a weak local answer to Claude, says why, and logs the task', async () => {
    await switchMode(page, 'Local', 'Routine tasks go to the local', 'Auto');
    await runCommand(page, 'llmgenie: Explain');
    const frame = await resultsFrame(page);
    await waitForText(frame.locator('.badge'), /^Cloud$/, 30_000);
    await waitForText(frame.locator('.metrics'), /total/, 30_000);
    assert.equal(await frame.locator('.model').textContent(), 'claude-sonnet-5-5');
    assert.equal(await frame.locator('.switched').textContent(), 'escalated from Local');
    const banner = await frame.locator('.banner.warning').first().textContent();
    assert.equal(banner, 'Local answer failed checks (answer too short for explain (16 characters, expected at least 80)); escalating to Claude.');
    await frame.locator('details.draft summary').click();
    assert.match(await frame.locator('details.draft summary').textContent(), /^Superseded local answer \(qwen2\.5-coder:7b\): answer too short for explain/);
    assert.equal(await frame.locator('details.draft .md p').textContent(), 'It adds numbers.');
    assert.equal(await frame.locator('.answer .md-heading').textContent(), 'invoiceTotal, step by step');
    assert.equal(await frame.locator('.answer ol li').count(), 2);
    assert.equal(await frame.locator('.answer a').getAttribute('href'), 'https://en.wikipedia.org/wiki/Floating-point_arithmetic');
    await screenshot(page, 'router-04-escalated');

    // Claude got the whole conversation: the request, the local draft, and why it was rejected.
    const { anthropic } = await servers.dump();
    const msgs = anthropic.at(-1).messages;
    const text = (m) => (typeof m.content === 'string' ? m.content : m.content.map((b) => b.text ?? '').join(''));
    assert.match(text(msgs[0]), /^Explain this code from src\/billing\.ts \(lines 3–7\)\./);
    assert.equal(text(msgs[1]), 'It adds numbers.');
    assert.match(text(msgs[2]), /failed automatic checks: answer too short for explain/);

    const event = await waitFor(() => sessionEvents(editor.workspace, fixtureSessions).find((e) => e.type === 'task' && e.payload.escalated), 'an escalated task in the session log');
    assert.equal(event.payload.command, 'explain');
    assert.equal(event.payload.route, 'local');
    assert.equal(event.payload.provider, 'anthropic');
    assert.match(event.payload.escalationReason, /^answer too short for explain/);
    assert.ok(event.payload.costUsd > 0 && event.payload.tokensOut > 0);
  });

  it('applies a code block as a diff and accepts it into the file', async () => {
    const frame = await resultsFrame(page);
    await frame.locator('.code-block[data-block="0"] button.code-apply').click();
    await page.locator('.tab', { hasText: 'billing.ts ↔ llmgenie proposal' }).waitFor({ state: 'visible', timeout: 15_000 });
    const toast = page.locator('.notification-toast', { hasText: 'Apply the proposed change to billing.ts?' });
    await toast.waitFor({ state: 'visible', timeout: 10_000 });
    await screenshot(page, 'router-05-apply-diff');
    await toast.getByRole('button', { name: 'Accept' }).click();
    await page.locator('.tab', { hasText: 'billing.ts ↔ llmgenie proposal' }).waitFor({ state: 'detached', timeout: 10_000 });
    await page.keyboard.press('Control+S');
    const file = join(editor.workspace, 'src', 'billing.ts');
    await waitFor(() => readFileSync(file, 'utf8').includes('Math.round'), 'the accepted change on disk');
    assert.equal(
      readFileSync(file, 'utf8'),
      [
        "import { logger } from './logger';",
        '',
        'export function invoiceTotal(lines: { qty: number; price: number }[]): number {',
        '  const cents = lines.reduce((sum, l) => sum + Math.round(l.qty * l.price * 100), 0);',
        "  logger.info('invoice total', cents / 100);",
        '  return cents / 100;',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('writes a commit message for the staged change into the Source Control input box', async () => {
    await page.locator('.activitybar .action-item a[aria-label^="Source Control"], .activitybar .action-label[aria-label^="Source Control"]').first().click({ force: true });
    const button = page.locator('.part.sidebar .action-label[aria-label="Generate Commit Message"]').first();
    await button.waitFor({ state: 'visible', timeout: 30_000 });
    await button.click();
    const input = page.locator('.scm-editor .view-lines').first();
    await waitForText(input, /^Log with a level prefix/, 30_000);
    await screenshot(page, 'router-06-commit-message');
    const { ollama, anthropic } = await servers.dump();
    const asked = [...ollama, ...anthropic].map((b) => JSON.stringify(b.messages)).find((s) => s.includes('Write a commit message for this staged change.'));
    assert.ok(asked?.includes('+  info: (...args: unknown[]) => process.stdout.write(`[info] ${'), 'the staged diff was sent');
  });

  it('restores the last answer after a window reload', async () => {
    await runCommand(page, 'Developer: Reload Window');
    await page.waitForTimeout(1500);
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    const frame = await resultsFrame(page, 60_000);
    await waitForText(frame.locator('.answer .md-heading'), /^invoiceTotal, step by step$/, 30_000);
    assert.equal(await frame.locator('.badge').textContent(), 'Cloud');
    assert.match(await frame.locator('.metrics').textContent(), /total/);
    await screenshot(page, 'router-07-restored');
  });
});
