// The results panel as E2E specs see it: its frame, and the answer a command starts (never the one on screen).
import { runCommand } from './harness.mjs';

/** The results panel's frame (webviews nest: iframe.webview > iframe#active-frame), found by its content. */
export async function resultsFrame(page, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  do {
    for (const frame of page.frames()) {
      try {
        if (await frame.locator('main#app.results').count()) return frame;
      } catch {
        // a frame that went away mid-look
      }
    }
    await new Promise((r) => setTimeout(r, 250));
  } while (Date.now() < deadline);
  throw new Error(`no results panel within ${timeoutMs} ms`);
}

/**
 * Runs a command and waits until the task it started has finished in the panel. The previous answer stays "done"
 * until the new task's first render, so waiting on "done" alone can read the old answer's banners: the panel names
 * its task (data-task), and a different one is waited for.
 */
export async function nextAnswer(page, command, timeoutMs = 30_000) {
  // No panel yet is fine: any finished task is then the new one.
  const open = await resultsFrame(page, 0).catch(() => undefined);
  const previous = open ? await open.locator('main#app.results').getAttribute('data-task', { timeout: 2_000 }).catch(() => null) : null;
  await runCommand(page, command);
  const frame = await resultsFrame(page);
  await frame
    .locator('main#app.results[data-status="done"][data-task]')
    .and(frame.locator(previous ? `main#app:not([data-task="${previous}"])` : 'main#app'))
    .waitFor({ state: 'visible', timeout: timeoutMs });
  return frame;
}
