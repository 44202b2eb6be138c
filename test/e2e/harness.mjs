// Starts the real editor (code-server's VS Code) with the packaged llmgenie installed, and a Chromium page on it.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumPath, codeServerBin, ensureToolCache, node24 } from './toolCache.mjs';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const screenshotsDir = join(repoRoot, 'test', 'e2e', 'screenshots');
export const fixturesDir = join(repoRoot, 'test', 'e2e', 'fixtures');

export function vsixPath() {
  const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  return join(repoRoot, `llmgenie-${version}.vsix`);
}

/** Builds the .vsix unless LLMGENIE_VSIX_FRESH says the caller just did. */
export function ensureVsix() {
  if (process.env.LLMGENIE_VSIX_FRESH === '1' && existsSync(vsixPath())) return vsixPath();
  const r = spawnSync('npm', ['run', '-s', 'package'], { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error('npm run package failed');
  process.env.LLMGENIE_VSIX_FRESH = '1';
  return vsixPath();
}

export async function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
    srv.on('error', rej);
  });
}

/** Copies a fixture workspace to a temp folder, so tests never change the committed one. */
export function copyWorkspace(name) {
  const dir = mkdtempSync(join(tmpdir(), `llmgenie-ws-${name}-`));
  cpSync(join(fixturesDir, name), dir, { recursive: true });
  scratchWorkspaces.add(dir);
  return dir;
}
const scratchWorkspaces = new Set();

/**
 * Installs the .vsix into a fresh extensions dir and starts code-server on a free loopback port.
 * Returns { url, workspace, stop() }. The server runs in its own process group so stop() ends its children too.
 */
export async function startEditor({ workspace, settings = {}, env = {}, port } = {}) {
  ensureToolCache();
  const vsix = ensureVsix();
  const base = mkdtempSync(join(tmpdir(), 'llmgenie-cs-'));
  const extDir = join(base, 'extensions');
  const userData = join(base, 'user-data');
  mkdirSync(join(userData, 'User'), { recursive: true });
  writeFileSync(
    join(userData, 'User', 'settings.json'),
    JSON.stringify({
      'security.workspace.trust.enabled': false,
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'workbench.welcomePage.walkthroughs.openOnInstall': false,
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'telemetry.telemetryLevel': 'off',
      'chat.disableAIFeatures': true,
      'workbench.secondarySideBar.defaultVisibility': 'hidden',
      ...settings,
    }),
  );
  const csEnv = { ...process.env, ...env, HOME: base, XDG_CONFIG_HOME: join(base, 'config'), XDG_DATA_HOME: join(base, 'data') };
  const install = spawnSync(node24, [codeServerBin, '--extensions-dir', extDir, '--user-data-dir', userData, '--install-extension', vsix], { env: csEnv, encoding: 'utf8' });
  if (install.status !== 0) throw new Error(`installing the .vsix into code-server failed:\n${install.stdout}\n${install.stderr}`);
  port ??= await freePort();
  const logFile = join(base, 'code-server.log');
  const child = spawn(
    node24,
    [codeServerBin, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--extensions-dir', extDir, '--user-data-dir', userData, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', workspace],
    { env: csEnv, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  // A .code-workspace file opens a multi-root workspace; anything else is one folder.
  const url = `http://127.0.0.1:${port}/?${workspace.endsWith('.code-workspace') ? 'workspace' : 'folder'}=${encodeURIComponent(workspace)}`;
  await waitForHttp(`http://127.0.0.1:${port}/healthz`, 30_000, () => output);
  return {
    url,
    port,
    workspace,
    logs: () => output,
    extensionLogDir: userData,
    async stop() {
      writeFileSync(logFile, output);
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {}
      await new Promise((r) => setTimeout(r, 300));
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
      rmSync(base, { recursive: true, force: true });
      if (scratchWorkspaces.delete(workspace)) rmSync(workspace, { recursive: true, force: true });
    },
  };
}

async function waitForHttp(url, timeoutMs, logs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`code-server did not answer at ${url} within ${timeoutMs} ms:\n${logs()}`);
}

export async function launchBrowser() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

export async function screenshot(page, name) {
  mkdirSync(screenshotsDir, { recursive: true });
  const file = join(screenshotsDir, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Runs a command through the command palette, as a person would. */
export async function runCommand(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ state: 'visible', timeout: 10_000 });
  await page.keyboard.press('Enter');
}

/** The session log files (names) of a workspace folder, as the extension writes them. */
export function sessionFiles(folder) {
  const dir = join(folder, '.llmgenie', 'sessions');
  return existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith('.jsonl')) : [];
}

/** Every event in a folder's session logs, file by file, except the files named (a fixture's own sessions). */
export function sessionEvents(folder, except = []) {
  const dir = join(folder, '.llmgenie', 'sessions');
  return sessionFiles(folder)
    .filter((n) => !except.includes(n))
    .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l)));
}

/**
 * Polls `check` (sync or async) until it gives a truthy value, which it returns; a check that throws (a frame
 * reloading mid-look) is tried again, and its last error is part of the timeout message.
 */
export async function waitFor(check, what, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  let error;
  while (Date.now() < deadline) {
    try {
      const v = await check();
      if (v) return v;
    } catch (e) {
      error = e;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}${error ? ` (last: ${error.message ?? error})` : ''}`);
}

/**
 * Reloads the window as a person does (from the palette) and waits for the new workbench: the old page keeps
 * its status bar for a moment on the way down, so waiting on the status bar alone can find frames about to go.
 */
export async function reloadWindow(page) {
  const loaded = page.waitForEvent('load', { timeout: 60_000 });
  await runCommand(page, 'Developer: Reload Window');
  await loaded;
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
  await page.locator('.statusbar-item', { hasText: 'llmgenie' }).first().waitFor({ state: 'visible', timeout: 60_000 });
}

/** Opens the editor page and waits until the workbench and our status-bar item are up. */
export async function openWorkbench(browser, editor) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(editor.url);
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
  return page;
}

/**
 * Ctrl+. at the cursor and the named quick fix. The menu waits for every code action provider (TypeScript's too),
 * which can take long on a loaded machine, so the shortcut is tried up to three times.
 */
export async function quickFix(page, title) {
  const item = page.locator('.action-widget').getByText(title, { exact: true });
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Control+.');
    try {
      await item.waitFor({ state: 'visible', timeout: 20_000 });
      return item;
    } catch (e) {
      if (attempt === 3) throw e;
      await page.keyboard.press('Escape');
    }
  }
}

/**
 * Right-clicks `target` (a locator in the editor), opens the context menu's llmgenie submenu, and returns the
 * submenu's item `title` once it is visible.
 */
export async function llmgenieMenuItem(page, target, title) {
  await target.click({ button: 'right' });
  const sub = page.locator('.monaco-menu .action-label', { hasText: /^llmgenie$/ }).first();
  await sub.waitFor({ state: 'visible', timeout: 10_000 });
  await sub.hover();
  const item = page.locator('.monaco-menu .action-label', { hasText: title }).first();
  try {
    await item.waitFor({ state: 'visible', timeout: 3_000 });
  } catch {
    await sub.click();
    await item.waitFor({ state: 'visible', timeout: 10_000 });
  }
  return item;
}
