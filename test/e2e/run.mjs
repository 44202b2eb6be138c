// `npm run test:e2e`: prepares the tool cache, packages the .vsix once, and runs the real-editor suites.
import { spawnSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { ensureToolCache } from './toolCache.mjs';
import { ensureVsix, repoRoot } from './harness.mjs';

try {
  ensureToolCache();
  ensureVsix();
} catch (e) {
  process.stderr.write(`e2e: cannot prepare the real editor: ${e.message}\n`);
  // Counted as a failed suite, so the CI summary line cannot read as green.
  if (process.env.LLMGENIE_TEST_SUMMARY) appendFileSync(process.env.LLMGENIE_TEST_SUMMARY, `${JSON.stringify({ suite: 'e2e', passed: 0, failed: 1, skipped: 0 })}\n`);
  process.exit(1);
}
// Spec files given on the command line run alone; with none, every real-editor suite runs.
const specs = process.argv.slice(2).length ? process.argv.slice(2) : ['test/e2e/**/*.e2e.mjs'];
const r = spawnSync('npx', ['mocha', '--config', 'test/e2e/.mocharc.json', ...specs], {
  cwd: repoRoot,
  stdio: 'inherit',
  env: { ...process.env, LLMGENIE_SUITE: 'e2e', LLMGENIE_VSIX_FRESH: '1' },
});
process.exit(r.status ?? 1);
