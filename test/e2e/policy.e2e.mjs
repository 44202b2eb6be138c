// Policy in a real editor: a planted secret and a console.log underlined as you open the file, quick fixes from
// Ctrl+., branch policy in the status bar, and the workspace scan with "accept into baseline".
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyWorkspace, fixturesDir, launchBrowser, openWorkbench, quickFix as quickFixAt, runCommand, screenshot, startEditor, waitFor } from './harness.mjs';

// Read from the fixture rather than repeated here, so this file holds no secret-shaped literal of its own.
const SECRET = /ACQUIRER_API_SECRET = '([^']+)'/.exec(readFileSync(join(fixturesDir, 'demo-workspace', 'src', 'payments.ts'), 'utf8'))[1];
const SECRET_MESSAGE = 'High-entropy value assigned to a secret-looking name';
const LOG_MESSAGE = 'console.log() left in production code';

function git(cwd, ...args) {
  return execFileSync('git', ['-c', 'user.name=Demo', '-c', 'user.email=demo@example.invalid', '-c', 'init.defaultBranch=main', ...args], { cwd, encoding: 'utf8' });
}

function logText(dir) {
  return readdirSync(dir, { recursive: true })
    .filter((f) => /llmgenie\.log$/.test(String(f)))
    .map((f) => readFileSync(join(dir, String(f)), 'utf8'))
    .join('\n');
}

/** Events of the sessions written since the test started (the fixture's own sessions are `old`). */
function sessionEvents(dir, old) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl') && !old.includes(f))
    .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)));
}

describe('policy in a real editor', function () {
  this.timeout(240_000);
  let editor;
  let browser;
  let page;
  let workspace;
  let fixtureSessions;

  before(async () => {
    workspace = copyWorkspace('demo-workspace');
    fixtureSessions = readdirSync(join(workspace, '.llmgenie', 'sessions'));
    // A repository on main with an uncommitted change: the branch policy has something to say.
    git(workspace, 'init', '-q');
    git(workspace, 'add', '-A');
    git(workspace, 'commit', '-q', '-m', 'demo');
    appendFileSync(join(workspace, 'README.md'), '\nWork in progress.\n');
    editor = await startEditor({ workspace });
    browser = await launchBrowser();
    page = await openWorkbench(browser, editor);
    await page.locator('.statusbar-item', { hasText: 'llmgenie' }).first().waitFor({ state: 'visible', timeout: 60_000 });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) await screenshot(page, `failed-policy-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });

  after(async () => {
    await browser?.close();
    await editor?.stop();
  });

  const problems = () => page.locator('.markers-panel');
  const editorArea = () => page.locator('.editor-instance .monaco-editor').first();

  async function openFile(name) {
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(name);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ state: 'visible', timeout: 10_000 });
    await page.keyboard.press('Enter');
    await page.locator('.tab.active', { hasText: name }).waitFor({ state: 'visible', timeout: 15_000 });
    await editorArea().waitFor({ state: 'visible' });
  }

  async function goTo(lineColumn) {
    await page.keyboard.press('Control+G');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`:${lineColumn}`);
    await page.keyboard.press('Enter');
    await input.waitFor({ state: 'hidden' });
  }

  const quickFix = (title) => quickFixAt(page, title);

  it('underlines the planted secret and the console.log as the file opens, masked in the Problems panel', async () => {
    await openFile('payments.ts');
    await editorArea().locator('.squiggly-error').first().waitFor({ state: 'visible', timeout: 30_000 });
    await editorArea().locator('.squiggly-warning').first().waitFor({ state: 'visible', timeout: 10_000 });
    await runCommand(page, 'View: Focus Problems');
    await problems().waitFor({ state: 'visible', timeout: 15_000 });
    await problems().getByText(SECRET_MESSAGE).first().waitFor({ state: 'visible', timeout: 15_000 });
    await problems().getByText(LOG_MESSAGE).first().waitFor({ state: 'visible', timeout: 10_000 });
    // The rule id is the diagnostic's code, linked to the rule file.
    const secretRow = problems().locator('.monaco-list-row', { hasText: SECRET_MESSAGE }).first();
    assert.match(await secretRow.innerText(), /llmgenie\s*\(?400/);
    assert.ok(!(await problems().innerText()).includes(SECRET), 'the secret is masked in the Problems panel');
    await screenshot(page, 'policy-01-underlined');
  });

  it('replaces console.log with the configured logger from Ctrl+., and the warning goes', async () => {
    await editorArea().click({ position: { x: 300, y: 100 } });
    await goTo('14:5');
    const fix = await quickFix('Replace console.log with logger.debug');
    await screenshot(page, 'policy-02-quick-fix-menu');
    await fix.click();
    await editorArea().locator('.view-lines', { hasText: "logger.debug('charging card'" }).waitFor({ state: 'visible', timeout: 10_000 });
    await problems().getByText(LOG_MESSAGE).first().waitFor({ state: 'detached', timeout: 15_000 });
    await waitFor(async () => (await editorArea().locator('.squiggly-warning').count()) === 0, 'the warning squiggle to go');
    assert.ok(await problems().getByText(SECRET_MESSAGE).first().isVisible(), 'the secret is still reported');
    await screenshot(page, 'policy-03-console-log-fixed');
  });

  it('allows the secret line with an llmgenie-allow comment, and the error goes', async () => {
    await goTo('6:35');
    const allow = await quickFix('Allow this line (llmgenie-allow)');
    assert.ok(await page.locator('.action-widget').getByText('Accept into baseline').first().isVisible());
    assert.ok(await page.locator('.action-widget').getByText('Open rule 400').first().isVisible());
    await allow.click();
    await editorArea().locator('.view-lines', { hasText: '// llmgenie-allow(400)' }).waitFor({ state: 'visible', timeout: 10_000 });
    await problems().getByText(SECRET_MESSAGE).first().waitFor({ state: 'detached', timeout: 15_000 });
    await waitFor(async () => (await editorArea().locator('.squiggly-error').count()) === 0, 'the error squiggle to go');
    await page.keyboard.press('Control+S');
    const file = join(workspace, 'src', 'payments.ts');
    await waitFor(() => readFileSync(file, 'utf8').includes("// llmgenie-allow(400)\nconst ACQUIRER_API_SECRET"), 'the saved file');
    assert.match(readFileSync(file, 'utf8'), /^ {2}logger\.debug\('charging card', cardToken, amountCents\);$/m);
    await screenshot(page, 'policy-04-secret-allowed');
  });

  it('warns about changes on main in the status bar and the Problems panel; the warning goes on a feature branch', async () => {
    const item = page.locator('.statusbar-item', { hasText: 'main: protected' });
    await item.waitFor({ state: 'visible', timeout: 30_000 });
    await problems().getByText('Uncommitted changes on protected branch "main"').first().waitFor({ state: 'visible', timeout: 15_000 });
    await item.hover();
    const tip = page.locator('.monaco-hover, .workbench-hover', { hasText: 'llmgenie branch policy' }).first();
    await tip.waitFor({ state: 'visible', timeout: 10_000 });
    // Markdown rendering may use non-breaking spaces: compare with whitespace folded.
    assert.match((await tip.innerText()).replace(/\s+/g, ' '), /rule 009 \(branch-policy\) Uncommitted changes on protected branch "main".* Click to open the rule/);
    await screenshot(page, 'policy-05-branch-protected');
    await item.click();
    await page.locator('.tab.active', { hasText: '009-branch-policy.mdc' }).waitFor({ state: 'visible', timeout: 15_000 });
    git(workspace, 'switch', '-q', '-c', 'feature/payments-logging');
    await item.waitFor({ state: 'hidden', timeout: 30_000 });
    await problems().getByText('Uncommitted changes on protected branch').first().waitFor({ state: 'detached', timeout: 15_000 });
    await screenshot(page, 'policy-06-feature-branch');
  });

  it('scans the workspace on command (a closed file too) and accepts its findings into the baseline', async () => {
    const token = ['npm', 'R7kQ2mXv9LpT4wZc8NbY3HsJ6fDg1Ea5KuVo'].join('_');
    writeFileSync(join(workspace, 'src', 'registry.ts'), `export const registryToken = '${token}';\n`);
    mkdirSync(join(workspace, 'assets'));
    writeFileSync(join(workspace, 'assets', 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d]));
    await runCommand(page, 'llmgenie: Check Workspace Policy');
    await page.locator('.notifications-toasts', { hasText: /llmgenie policy: \d+ files checked, 1 error, 0 warnings, 1 skipped/ }).waitFor({ state: 'visible', timeout: 60_000 });
    const row = problems().getByText('npm access token').first();
    await row.waitFor({ state: 'visible', timeout: 10_000 });
    assert.ok(!(await problems().innerText()).includes(token), 'the token is masked');
    await screenshot(page, 'policy-07-workspace-scan');
    // The skipped file is listed in the output channel, and the scan is logged in this window's session.
    await waitFor(() => logText(editor.extensionLogDir).includes('policy: skipped'), 'the skipped-file log line');
    assert.match(logText(editor.extensionLogDir), /policy: skipped [^\n]*assets\/logo\.png: binary/);
    const sessionsDir = join(workspace, '.llmgenie', 'sessions');
    const isScan = (e) => e.type === 'policy' && e.payload.source === 'editor';
    await waitFor(() => sessionEvents(sessionsDir, fixtureSessions).some(isScan), 'a policy event from the editor');
    const event = sessionEvents(sessionsDir, fixtureSessions).find(isScan);
    assert.equal(event.payload.findings, 1);
    assert.deepEqual(event.payload.byRule, { 400: 1 });

    await runCommand(page, 'llmgenie: Accept Policy Findings into Baseline');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(await dialog.innerText(), /Accept the 1 policy finding \(1 error\)/);
    await dialog.getByRole('button', { name: 'Accept' }).click();
    await row.waitFor({ state: 'detached', timeout: 20_000 });
    const baselineFile = join(workspace, '.llmgenie', 'policy-baseline.json');
    assert.ok(existsSync(baselineFile));
    const baseline = JSON.parse(readFileSync(baselineFile, 'utf8'));
    assert.deepEqual(baseline.findings.map((f) => [f.ruleId, f.file]), [['400', 'src/registry.ts']]);
    assert.ok(!readFileSync(baselineFile, 'utf8').includes(token), 'the baseline holds a fingerprint, not the token');
    await screenshot(page, 'policy-08-baseline-accepted');
  });

  it('follows the disk: a file written outside the editor is checked, and its finding goes when it is deleted', async () => {
    const token = ['npm', 'Q3wE5rT7yU9iO1pA2sD4fG6hJ8kL0zXcVbNm'].join('_');
    const file = join(workspace, 'src', 'legacy.ts');
    writeFileSync(file, `export const legacyToken = '${token}';\n`);
    const row = problems().getByText('npm access token').first();
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, 'policy-09-written-outside');
    rmSync(file);
    await row.waitFor({ state: 'detached', timeout: 20_000 });
  });
});
