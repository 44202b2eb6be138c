// The official MCP conformance runner against `llmgenie mcp --http PORT --no-auth` (the built dist/cli.js), for the
// server scenarios that apply to llmgenie. The runner (a devDependency, pinned) needs Node 22+: it runs on the E2E
// cache's Node 24. Usage: node test/mcp/conformance.mjs [scenario...]
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureToolCache, node24 } from '../e2e/toolCache.mjs';

export const CONFORMANCE_VERSION = '0.1.16';

/** Scenarios of @modelcontextprotocol/conformance@0.1.16 that test llmgenie itself. */
export const APPLICABLE = [
  'server-initialize',
  'ping',
  'logging-set-level',
  'tools-list',
  'resources-list',
  'prompts-list',
  'server-sse-multiple-streams',
  'dns-rebinding-protection',
];

/** The rest call the reference "everything" server's own fixtures, or features llmgenie does not offer. */
export const NOT_APPLICABLE = {
  'completion-complete': 'completes argument arg1 of the fixture prompt test_prompt_with_arguments (llmgenie completes its own handoff_startup path, rule ids and lesson ids)',
  'tools-call-simple-text': 'calls the fixture tool test_simple_text',
  'tools-call-image': 'calls the fixture tool test_image_content',
  'tools-call-audio': 'calls the fixture tool test_audio_content',
  'tools-call-embedded-resource': 'calls the fixture tool test_embedded_resource',
  'tools-call-mixed-content': 'calls the fixture tool test_multiple_content_types',
  'tools-call-with-logging': 'calls the fixture tool test_tool_with_logging',
  'tools-call-error': 'calls the fixture tool test_error_handling',
  'tools-call-with-progress': 'calls the fixture tool test_tool_with_progress',
  'tools-call-sampling': 'calls the fixture tool test_sampling (llmgenie never asks the client to sample)',
  'tools-call-elicitation': 'calls the fixture tool test_elicitation (llmgenie never elicits input)',
  'elicitation-sep1034-defaults': 'calls the fixture tool test_elicitation_sep1034_defaults',
  'elicitation-sep1330-enums': 'calls the fixture tool test_elicitation_sep1330_enums',
  'json-schema-2020-12': 'looks for the fixture tool json_schema_2020_12_tool',
  'server-sse-polling': 'calls the fixture tool test_reconnection',
  'resources-read-text': 'reads the fixture resource test://static-text',
  'resources-read-binary': 'reads the fixture resource test://static-binary',
  'resources-templates-read': 'reads the fixture template test://template/{id}/data',
  'resources-subscribe': 'subscribes to the fixture test://watched-resource; llmgenie offers no subscriptions (resources are read fresh from disk)',
  'resources-unsubscribe': 'unsubscribes from the fixture test://watched-resource; no subscriptions, as above',
  'prompts-get-simple': 'gets the fixture prompt test_simple_prompt',
  'prompts-get-with-args': 'gets the fixture prompt test_prompt_with_arguments',
  'prompts-get-embedded-resource': 'gets the fixture prompt test_prompt_with_embedded_resource',
  'prompts-get-with-image': 'gets the fixture prompt test_prompt_with_image',
};

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(repoRoot, 'dist', 'cli.js');

function log(msg) {
  process.stdout.write(`${msg}\n`);
}

function record(passed, failed, skipped) {
  const out = process.env.LLMGENIE_TEST_SUMMARY;
  if (out) appendFileSync(out, `${JSON.stringify({ suite: 'mcp-conformance', passed, failed, skipped })}\n`);
}

/** A small workspace so every list the runner asks for has entries. */
function workspace() {
  const dir = mkdtempSync(join(tmpdir(), 'llmgenie-conformance-'));
  const files = {
    '.cursor/rules/001-logging.mdc': '---\ndescription: No debug logging in production code.\nglobs: src/**/*.ts\n---\n# Logging\n\nUse the logger.\n',
    'docs/lessons/2025-01-10-integer-cents.md': '---\ntitle: Keep money in integer cents\ntags: [billing]\n---\n\nFloats drift by a cent.\n',
    'docs/handoff/demo/HANDOFF.md': '---\ntitle: Demo\n---\n\n# Demo\n\n## Startup prompt\n\nContinue the demo.\n\n## Files\n\n- `src/app.ts`\n',
    'src/app.ts': 'export const app = 1;\n',
  };
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

function startServer(root) {
  return new Promise((resolveStart, reject) => {
    const child = spawn(process.execPath, [cli, 'mcp', '--http', '0', '--no-auth', '--root', root], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, LLMGENIE_SESSION_LOG: 'off' },
    });
    let err = '';
    const timer = setTimeout(() => reject(new Error(`server did not start in 20 s: ${err.trim()}`)), 20_000);
    child.stderr.on('data', (d) => {
      err += d;
      const m = /on (http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolveStart({ child, url: m[1] });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}: ${err.trim()}`));
    });
  });
}

function runScenario(url, scenario, outDir) {
  return new Promise((done) => {
    const runner = join(repoRoot, 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js');
    const args = [runner, 'server', '--url', url, '--scenario', scenario, '-o', outDir];
    const child = spawn(node24, args, { env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
    child.once('close', (code) => {
      clearTimeout(timer);
      const dir = existsSync(outDir) ? readdirSync(outDir).find((d) => d.startsWith(`server-${scenario}-`)) : undefined;
      let checks = [];
      if (dir) {
        try {
          checks = JSON.parse(readFileSync(join(outDir, dir, 'checks.json'), 'utf8'));
        } catch {
          checks = [];
        }
      }
      done({ code, checks, output });
    });
  });
}

async function main() {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((s) => !APPLICABLE.includes(s));
  if (unknown.length) {
    log(`mcp-conformance: not an applicable scenario: ${unknown.join(', ')} (applicable: ${APPLICABLE.join(', ')})`);
    process.exit(2);
  }
  const scenarios = wanted.length ? wanted : APPLICABLE;
  const skipped = wanted.length ? 0 : Object.keys(NOT_APPLICABLE).length;
  if (!existsSync(cli)) {
    log('mcp-conformance: dist/cli.js is missing; run "npm run build" first');
    record(0, scenarios.length, skipped);
    process.exit(1);
  }
  try {
    ensureToolCache();
  } catch (e) {
    log(`mcp-conformance: no Node 24 for the runner: ${e.message}`);
    record(0, scenarios.length, skipped);
    process.exit(1);
  }

  const root = workspace();
  const outDir = mkdtempSync(join(tmpdir(), 'llmgenie-conformance-results-'));
  let server;
  let passed = 0;
  let failed = 0;
  try {
    server = await startServer(root);
    log(`mcp-conformance: @modelcontextprotocol/conformance@${CONFORMANCE_VERSION} against ${server.url}`);
    for (const scenario of scenarios) {
      const { code, checks, output } = await runScenario(server.url, scenario, outDir);
      const bad = checks.filter((c) => c.status === 'FAILURE');
      const warnings = checks.filter((c) => c.status === 'WARNING').length;
      if (code === 0 && checks.length && !bad.length) {
        passed++;
        log(`  ✔ ${scenario} (${checks.length} check${checks.length === 1 ? '' : 's'}${warnings ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : ''})`);
      } else {
        failed++;
        const why = bad[0]?.errorMessage ?? (checks.length ? `runner exited with ${code}` : output.trim().split('\n').slice(-3).join(' | '));
        log(`  ✘ ${scenario}: ${why}`);
      }
    }
    if (skipped) {
      log(`  ${skipped} scenarios do not apply (they exercise the reference server's fixtures):`);
      for (const [name, why] of Object.entries(NOT_APPLICABLE)) log(`    - ${name}: ${why}`);
    }
  } catch (e) {
    log(`mcp-conformance: ${e.message}`);
    failed = scenarios.length - passed;
  } finally {
    server?.child.kill('SIGTERM');
    rmSync(root, { recursive: true, force: true });
    rmSync(outDir, { recursive: true, force: true });
  }
  log(`mcp-conformance: ${passed} passed, ${failed} failed, ${skipped} not applicable`);
  record(passed, failed, skipped);
  process.exit(failed ? 1 : 0);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
