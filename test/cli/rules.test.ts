import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from '../../src/cli/main';
import type { CliIO } from '../../src/cli/command';

function io(cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const value: CliIO = { cwd, env: {}, out: (t) => out.push(t), err: (t) => err.push(t), readStdin: async () => '' };
  return { io: value, out: () => out.join(''), err: () => err.join('') };
}

const made: string[] = [];
after(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'llmgenie-cli-'));
  made.push(dir);
  for (const [p, t] of Object.entries(files)) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), t);
  }
  return dir;
}

describe('llmgenie rules', () => {
  it('lint --json lists the rules and exits 0 when clean', async () => {
    const ws = workspace({ '.cursor/rules/001-a.mdc': '---\ndescription: A\nglobs: **/*.ts\n---\nx' });
    const t = io(ws);
    assert.equal(await runCli(['rules', 'lint', '--json'], t.io), 0);
    assert.deepEqual(JSON.parse(t.out()), { rules: [{ file: '.cursor/rules/001-a.mdc', id: '001', description: 'A', globs: ['**/*.ts'], alwaysApply: false }], problems: [] });
  });

  it('lint exits 1 with problems as file:line: severity lines', async () => {
    const ws = workspace({ '.cursor/rules/b.mdc': '---\nglobs: src/{a\n---\n' });
    const t = io(ws);
    assert.equal(await runCli(['rules', 'lint'], t.io), 1);
    assert.match(t.out(), /^\.cursor\/rules\/b\.mdc:2:8: error: glob "src\/\{a" has unbalanced braces \[bad-glob\]$/m);
  });

  it('lint exits 2 on a path that does not exist, with one clear line', async () => {
    const t = io(tmpdir());
    assert.equal(await runCli(['rules', 'lint', '/no/such/dir'], t.io), 2);
    assert.equal(t.err().trim().split('\n').length, 1);
    assert.match(t.err(), /no such file or folder/);
  });

  it('lint of a folder argument lists all 257 corpus rules', async function () {
    const corpus = resolve(process.cwd(), '../shared/corpora/cursor-rules');
    if (!existsSync(corpus)) this.skip();
    const t = io(process.cwd());
    const code = await runCli(['rules', 'lint', corpus, '--json'], t.io);
    assert.ok(code === 0 || code === 1);
    assert.equal(JSON.parse(t.out()).rules.length, 257);
  });

  it('manifest writes rules_manifest.json from the rule files', async () => {
    const ws = workspace({ '.cursor/rules/400-secrets.mdc': '---\ndescription: No secrets\n---\n' });
    const t = io(ws);
    assert.equal(await runCli(['rules', 'manifest'], t.io), 0);
    const m = JSON.parse(readFileSync(join(ws, 'rules_manifest.json'), 'utf8'));
    assert.deepEqual(m.rules, [{ id: '400', name: 'secrets', file: '.cursor/rules/400-secrets.mdc', kind: 'security', severity: 'error', description: 'No secrets' }]);
    assert.equal(await runCli(['rules', 'lint'], io(ws).io), 0);
  });

  it('unknown flags are usage errors (exit 2)', async () => {
    const t = io(tmpdir());
    assert.equal(await runCli(['rules', 'lint', '--nope'], t.io), 2);
    assert.match(t.err(), /Usage: llmgenie rules lint/);
  });
});
