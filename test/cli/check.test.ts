import assert from 'node:assert/strict';
import { fakeSecret, makeRng } from '../../bench/fixtures/policy/fakeSecrets';
import { createCheckCommand } from '../../src/cli/commands/check';
import type { CliIO } from '../../src/cli/command';
import type { GitRunner } from '../../src/core/platform/git';
import type { SessionEventInput } from '../../src/core/sessions/sink';
import { MemoryFileSystem } from '../support/memoryFileSystem';

const rng = makeRng(21);
const HF = fakeSecret('huggingface-token', rng);

function io(cwd = '/w') {
  const out: string[] = [];
  const err: string[] = [];
  const value: CliIO = { cwd, env: {}, out: (t) => void out.push(t), err: (t) => void err.push(t), readStdin: async () => '' };
  return { io: value, out: () => out.join(''), err: () => err.join('') };
}

const noGit: GitRunner = async () => {
  throw new Error('fatal: not a git repository');
};
const onMainWithChanges: GitRunner = async () => '# branch.head main\n? x\n';

function setup(files: Record<string, string> = {}, git = noGit) {
  const fs = new MemoryFileSystem({
    '/w/src/model.py': `from huggingface_hub import login\nlogin(token="${HF}")\n`,
    '/w/src/util.ts': 'export const f = (x: number) => {\n  console.log(x);\n  return x;\n};\n',
    ...files,
  });
  const events: SessionEventInput[] = [];
  const cmd = createCheckCommand({ fs, git, sink: { append: async (e) => void events.push(e) } });
  return { fs, events, cmd };
}

describe('cli: llmgenie check', () => {
  it('exits 1 when an error-level finding exists, with masked text output', async () => {
    const { cmd, events } = setup();
    const t = io();
    assert.equal(await cmd.run([], t.io), 1);
    assert.match(t.out(), /^src\/model\.py:2:14: error \[400\] Hugging Face token/m);
    assert.match(t.out(), /^src\/util\.ts:2:3: warning \[001\]/m);
    assert.ok(!t.out().includes(HF));
    assert.deepEqual(events, [{ type: 'policy', payload: { source: 'cli', files: 2, findings: 2, byRule: { '400': 1, '001': 1 }, bySeverity: { error: 1, warning: 1, info: 0, hint: 0 } } }]);
  });

  it('exits 0 when only warnings remain (--no-pack security)', async () => {
    const { cmd } = setup();
    const t = io();
    assert.equal(await cmd.run(['--no-pack', 'security'], t.io), 0);
    assert.match(t.out(), /1 warning/);
  });

  it('checks only the given paths', async () => {
    const { cmd } = setup();
    const t = io();
    assert.equal(await cmd.run(['src/util.ts', '--format', 'json'], t.io), 0);
    const json = JSON.parse(t.out());
    assert.deepEqual(json.findings.map((f: { file: string }) => f.file), ['src/util.ts']);
    assert.equal(json.summary.files, 1);
  });

  it('prints SARIF 2.1.0 on stdout', async () => {
    const { cmd } = setup();
    const t = io();
    assert.equal(await cmd.run(['--format', 'sarif'], t.io), 1);
    const sarif = JSON.parse(t.out());
    assert.equal(sarif.version, '2.1.0');
    assert.deepEqual(sarif.runs[0].results.map((r: { ruleId: string; level: string }) => [r.ruleId, r.level]), [['400', 'error'], ['001', 'warning']]);
    assert.ok(!t.out().includes(HF));
  });

  it('reports the branch policy from git', async () => {
    const { cmd } = setup({}, onMainWithChanges);
    const t = io();
    await cmd.run(['--no-pack', 'security', '--no-pack', 'logging'], t.io);
    assert.match(t.out(), /^\(repository\): warning \[009\] Uncommitted changes on protected branch "main"/m);
  });

  it('enforces manifest rules from --rules, with their severities', async () => {
    const manifest = {
      version: 1,
      rules: [
        { id: '001', name: 'No debug logs', file: '.cursor/rules/001.mdc', kind: 'logging', severity: 'error', enforce: { options: { replacement: 'log.debug' } } },
        { id: 'imp', name: 'No lodash', file: '.cursor/rules/imp.mdc', kind: 'style', severity: 'warning', enforce: { forbiddenImports: ['lodash'], globs: ['src/**'] } },
      ],
    };
    const { cmd } = setup({ '/w/rules.json': JSON.stringify(manifest), '/w/src/a.ts': 'import _ from "lodash";\n' });
    const t = io();
    assert.equal(await cmd.run(['--rules', 'rules.json', '--no-pack', 'security', '--format', 'json'], t.io), 1);
    const json = JSON.parse(t.out());
    assert.deepEqual(json.findings.map((f: { ruleId: string; severity: string }) => [f.ruleId, f.severity]), [['imp', 'warning'], ['001', 'error']]);
    assert.equal(json.findings[1].fix.edits[0].newText, 'log.debug');
  });

  it('keeps a pack\'s default severity when the manifest entry does not write one', async () => {
    const manifest = { version: 1, rules: [{ id: 'SEC', name: 'No secrets', file: '.cursor/rules/sec.mdc', kind: 'security' }] };
    const { cmd } = setup({ '/w/rules_manifest.json': JSON.stringify(manifest) });
    const t = io();
    assert.equal(await cmd.run(['--no-pack', 'logging', '--format', 'json'], t.io), 1, 'the workspace manifest is found without --rules');
    assert.deepEqual(JSON.parse(t.out()).findings.map((f: { ruleId: string; severity: string }) => [f.ruleId, f.severity]), [['SEC', 'error']]);
  });

  it('a typo in one manifest entry leaves only that entry out: the other team rules still fail the run', async () => {
    const manifest = {
      version: 1,
      rules: [
        { id: 'typo', name: 'No moment', file: '.cursor/rules/t.mdc', kind: 'stlye', enforce: { forbiddenImports: ['moment'] } },
        { id: 'imp', name: 'No lodash', file: '.cursor/rules/imp.mdc', kind: 'style', severity: 'error', enforce: { forbiddenImports: ['lodash'] } },
      ],
    };
    const { cmd } = setup({ '/w/rules_manifest.json': JSON.stringify(manifest, null, 2), '/w/src/a.ts': 'import _ from "lodash";\nimport m from "moment";\n' });
    const t = io();
    assert.equal(await cmd.run(['--no-pack', 'security', '--no-pack', 'logging', '--format', 'json'], t.io), 1);
    assert.deepEqual(JSON.parse(t.out()).findings.map((f: { ruleId: string; severity: string }) => `${f.ruleId}:${f.severity}`), ['imp:error']);
    assert.match(t.err(), /^warning: rules_manifest\.json:\d+:\d+: .*kind/m, 'the bad entry is named on stderr');
  });

  it('exits 2 when the workspace manifest is not JSON, rather than checking without its rules', async () => {
    const { cmd } = setup({ '/w/rules_manifest.json': '{"rules": [' });
    await assert.rejects(cmd.run([], io().io), (e: Error & { exitCode?: number }) => {
      assert.equal(e.exitCode, 2);
      assert.match(e.message, /^unusable rules file: rules_manifest\.json:1:\d+: JSON syntax error/);
      return true;
    });
  });

  it('writes a baseline that later runs honour, without the secret in it', async () => {
    const { cmd, fs } = setup();
    const t = io();
    assert.equal(await cmd.run(['--update-baseline'], t.io), 0);
    const written = fs.files.get('/w/.llmgenie/policy-baseline.json')!;
    assert.ok(written && !written.includes(HF));
    const t2 = io();
    assert.equal(await cmd.run([], t2.io), 0);
    assert.match(t2.out(), /0 errors, 0 warnings, 2 in baseline/);
  });

  for (const [name, args, files, pattern] of [
    ['an unknown format', ['--format', 'xml'], {}, /--format must be one of/],
    ['an unknown pack', ['--no-pack', 'style'], {}, /--no-pack takes/],
    ['a missing path', ['nope/'], {}, /no such file or directory: nope/],
    ['a missing rules file', ['--rules', 'x.json'], {}, /rules file not found/],
    ['an invalid rules file', ['--rules', 'bad.json'], { '/w/bad.json': '{"rules": [' }, /unusable rules file/],
    ['a rule with a broken regex', ['--rules', 'r.json'], { '/w/r.json': JSON.stringify({ rules: [{ id: 'x', name: 'x', file: 'x.mdc', kind: 'other', enforce: { patterns: [{ regex: '(' }] } }] }) }, /invalid regex|unusable/],
    ['a corrupt baseline', [], { '/w/.llmgenie/policy-baseline.json': '{"version":1}' }, /baseline/],
    ['an unknown flag', ['--frobnicate'], {}, /frobnicate/],
  ] as const) {
    it(`exits 2 on ${name}`, async () => {
      const { cmd } = setup(files as Record<string, string>);
      await assert.rejects(cmd.run([...args], io().io), (e: Error & { exitCode?: number }) => {
        assert.equal(e.exitCode, 2);
        assert.match(e.message, pattern);
        return true;
      });
    });
  }
});
