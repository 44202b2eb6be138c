import assert from 'node:assert/strict';
import { createCheckCommand } from '../../src/cli/commands/check';
import type { CliIO } from '../../src/cli/command';
import { lessonSettingsFrom } from '../../src/core/lessons/settings';
import { inProcess, memoryWorkspace, result, ROOT, type InProcess } from './fixture';

type Graded = { ruleId: string; severity: string };

describe('mcp workspace config (same as the CLI and the editor)', () => {
  let s: InProcess | undefined;
  afterEach(async () => s?.close());

  it('check_policy grades a secret exactly as `llmgenie check` does when the manifest writes no severity, and keeps valid entries beside a typo', async () => {
    const fs = memoryWorkspace();
    fs.files.set(
      `${ROOT}/rules_manifest.json`,
      JSON.stringify(
        {
          version: 1,
          rules: [
            { id: '001', name: 'logging-policy', file: '.cursor/rules/001-logging.mdc', kind: 'logging', enforce: { pack: 'logging' } },
            { id: '400', name: 'security-secrets', file: '.cursor/rules/400-security.mdc', kind: 'security', enforce: { pack: 'security' } },
            { id: '500', name: 'typo', file: '.cursor/rules/500.mdc', kind: 'stlye', enforce: { forbiddenImports: ['moment'] } },
          ],
        },
        null,
        2,
      ),
    );
    s = await inProcess({ fs });
    const mcp = result<{ findings: Graded[]; passed: boolean; warnings: string[] }>(await s.call('check_policy', { path: 'src' }));

    const out: string[] = [];
    const err: string[] = [];
    const io: CliIO = { cwd: ROOT, env: {}, out: (t) => void out.push(t), err: (t) => void err.push(t), readStdin: async () => '' };
    const code = await createCheckCommand({ fs }).run(['src', '--no-pack', 'branch', '--format', 'json'], io);
    const cli = (JSON.parse(out.join('')) as { findings: Graded[] }).findings;

    const graded = (f: Graded[]) => f.map((x) => `${x.ruleId}:${x.severity}`);
    assert.deepEqual(graded(mcp.findings), ['400:error', '001:warning']);
    assert.deepEqual(graded(mcp.findings), graded(cli));
    assert.equal(mcp.passed, false);
    assert.equal(code, 1);
    assert.equal(mcp.warnings.length, 1);
    assert.match(mcp.warnings[0], /^rules_manifest\.json:\d+:\d+: .*kind.*not enforced/);
    assert.match(err.join(''), /rules_manifest\.json:\d+:\d+: .*kind/);
  });

  it('add_lesson writes into llmgenie.lessons.dir from .vscode/settings.json, and search reads llmgenie.lessons.docsDir', async () => {
    const fs = memoryWorkspace();
    fs.files.set(`${ROOT}/.vscode/settings.json`, '{\n  // team layout\n  "llmgenie.lessons.dir": "knowledge/lessons",\n  "llmgenie.lessons.docsDir": "handbook",\n}\n');
    fs.files.set(`${ROOT}/handbook/lessons_learned.md`, '# Lessons learned\n\n## Wombat burrows\n\nWombat tunnels collapse.\n');
    s = await inProcess({ fs });
    const added = result<{ id: string; file: string }>(await s.call('add_lesson', { title: 'Pin the Ollama model tag', body: 'Unpinned tags changed answers.' }));
    assert.equal(added.file, `knowledge/lessons/${added.id}.md`);
    assert.match(await fs.readText(`${ROOT}/${added.file}`), /Unpinned tags changed answers/);
    const hits = async (q: string) => result<{ hits: { file: string }[] }>(await s!.call('search_lessons', { query: q })).hits.map((h) => h.file);
    assert.deepEqual(await hits('unpinned ollama tag'), [added.file]);
    assert.deepEqual(await hits('wombat tunnels'), ['handbook/lessons_learned.md']);
    assert.deepEqual(await hits('integer cents'), [], 'docs/lessons is no longer the lessons folder');
  });

  it('resolves lesson folders like the editor: relative under the root, absolute kept, bad values default', () => {
    assert.deepEqual(lessonSettingsFrom('/ws/', {}), { dir: '/ws/docs/lessons', docsDir: '/ws/docs' });
    assert.deepEqual(lessonSettingsFrom('/ws', { 'llmgenie.lessons.dir': './kb/', 'llmgenie.lessons.docsDir': 'C:\\team\\docs' }), { dir: '/ws/kb', docsDir: 'C:/team/docs' });
    assert.deepEqual(lessonSettingsFrom('/ws', { 'llmgenie.lessons.dir': 42, 'llmgenie.lessons.docsDir': '  ' }), { dir: '/ws/docs/lessons', docsDir: '/ws/docs' });
  });
});
