import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { ignoresLlmgenieState, LLMGENIE_IGNORE_LINES, withLlmgenieIgnores } from '../../../src/core/onboarding/gitignore';

describe('onboarding/gitignore', () => {
  it('appends the block after a blank line, keeps CRLF, and adds it only once', () => {
    assert.equal(withLlmgenieIgnores(''), `${LLMGENIE_IGNORE_LINES.join('\n')}\n`);
    assert.equal(withLlmgenieIgnores('node_modules/\n\n'), `node_modules/\n\n${LLMGENIE_IGNORE_LINES.join('\n')}\n`);
    assert.equal(withLlmgenieIgnores('dist\r\n'), `dist\r\n\r\n${LLMGENIE_IGNORE_LINES.join('\r\n')}\r\n`);
    const once = withLlmgenieIgnores('dist\n');
    assert.equal(withLlmgenieIgnores(once), once);
  });

  it("respects the user's own choice: any line ignoring .llmgenie or a part of it counts", () => {
    for (const l of ['.llmgenie/', '/.llmgenie', '.llmgenie/sessions/', '**/.llmgenie/', '.llmgenie']) assert.ok(ignoresLlmgenieState(`x\n${l}\n`), l);
    for (const l of ['# .llmgenie/', '!.llmgenie/handoff.json', '.llmgeniex', 'docs/.llmgenie']) assert.ok(!ignoresLlmgenieState(`${l}\n`), l);
  });

  it('fuzz: never throws, and the result always ignores the state', () => {
    fc.assert(fc.property(fc.string(), (text) => assert.ok(ignoresLlmgenieState(withLlmgenieIgnores(text)))), { numRuns: 500 });
  });

  it('git itself ignores the state and keeps the shared files tracked', function () {
    if (spawnSync('git', ['--version']).status !== 0) this.skip();
    const dir = mkdtempSync(join(tmpdir(), 'llmgenie-gitignore-'));
    try {
      spawnSync('git', ['init', '-q'], { cwd: dir });
      writeFileSync(join(dir, '.gitignore'), withLlmgenieIgnores('node_modules/\n'));
      const files = {
        ignored: ['.llmgenie/sessions/s1.jsonl', '.llmgenie/routing-feedback.jsonl', '.llmgenie/cache/embeddings.json', '.llmgenie/mcp-token', '.llmgenie/exports/a.md', '.llmgenie/agents/runs/r1/journal.jsonl', '.llmgenie/team/run/x'],
        tracked: ['.llmgenie/policy-baseline.json', '.llmgenie/handoff.json', '.llmgenie/agents/reviewer.md', 'rules_manifest.json', '.cursor/rules/001-logging.mdc', 'docs/lessons/a.md', 'docs/decision-log.md', 'docs/handoff/x/HANDOFF.md'],
      };
      for (const f of [...files.ignored, ...files.tracked]) {
        mkdirSync(join(dir, dirname(f)), { recursive: true });
        writeFileSync(join(dir, f), 'x');
      }
      const status = spawnSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: dir, encoding: 'utf8' }).stdout;
      const untracked = status.split('\n').filter(Boolean).map((l) => l.slice(3)).sort();
      assert.deepEqual(untracked, ['.gitignore', ...files.tracked].sort());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
