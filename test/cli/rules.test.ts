import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fakeSecret, makeRng } from '../../bench/fixtures/policy/fakeSecrets';
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

  it('manifest never writes a severity into an entry that had none: secrets stay errors and check still fails', async () => {
    const entry = { id: '400', name: 's', file: '.cursor/rules/400-secrets.mdc', kind: 'security', enforce: { pack: 'security' } };
    const ws = workspace({
      '.cursor/rules/400-secrets.mdc': '---\ndescription: No secrets\n---\n',
      '.cursor/rules/010-style.mdc': '---\ndescription: Naming style\n---\n',
      'rules_manifest.json': JSON.stringify({ version: 1, rules: [entry] }, null, 2),
      'src/pay.ts': `export const key = "${fakeSecret('stripe-secret-key', makeRng(5))}";\n`,
    });
    const check = ['check', '--no-pack', 'branch', '--format', 'json'];
    assert.equal(await runCli(check, io(ws).io), 1, 'before: the secret is an error');
    assert.equal(await runCli(['rules', 'manifest'], io(ws).io), 0);
    const m = JSON.parse(readFileSync(join(ws, 'rules_manifest.json'), 'utf8'));
    assert.deepEqual(m.rules.find((r: { id: string }) => r.id === '400'), entry, 'the existing entry is kept byte for byte');
    assert.equal(m.rules.length, 2, 'the new rule was added');
    const after = io(ws);
    assert.equal(await runCli(check, after.io), 1, 'after: still an error');
    assert.deepEqual(JSON.parse(after.out()).findings.map((f: { ruleId: string; severity: string }) => `${f.ruleId}:${f.severity}`), ['400:error']);
  });

  it('manifest exits 2 on a manifest with errors and leaves it alone', async () => {
    const broken = '{"version": 1, "rules": [{"id": "1", "name": "a", "file": ".cursor/rules/a.mdc", "kind": "stlye"}]}';
    const ws = workspace({ '.cursor/rules/a.mdc': '---\ndescription: a\n---\n', 'rules_manifest.json': broken });
    const t = io(ws);
    assert.equal(await runCli(['rules', 'manifest'], t.io), 2);
    assert.match(t.err(), /rules_manifest\.json has errors/);
    assert.equal(readFileSync(join(ws, 'rules_manifest.json'), 'utf8'), broken);
  });

  it('unknown flags are usage errors (exit 2)', async () => {
    const t = io(tmpdir());
    assert.equal(await runCli(['rules', 'lint', '--nope'], t.io), 2);
    assert.match(t.err(), /Usage: llmgenie rules lint/);
  });
});
