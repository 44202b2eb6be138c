import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectGitChanges, parsePorcelainZ } from '../../../src/core/handoff/git';
import { nodeGitRunner, type GitRunner } from '../../../src/core/platform/git';

/** Answers each git command from a table keyed by its arguments; records the calls. */
function fakeGit(answers: Record<string, string | Error>): GitRunner & { calls: string[] } {
  const calls: string[] = [];
  const runner = async (args: readonly string[]): Promise<string> => {
    const key = args.join(' ');
    calls.push(key);
    const a = answers[key] ?? answers[args[0]];
    if (a === undefined) throw new Error(`unexpected git ${key}`);
    if (a instanceof Error) throw a;
    return a;
  };
  return Object.assign(runner, { calls });
}

describe('parsePorcelainZ', () => {
  it('reads modified, added, untracked, renamed and deleted entries', () => {
    const out = [' M src/a.ts', 'A  src/new file.ts', '?? notes/x.md', 'R  src/renamed.ts', 'src/old.ts', ' D src/gone.ts', 'D  src/staged-gone.ts', ''].join('\0');
    assert.deepEqual(parsePorcelainZ(out), {
      present: ['src/a.ts', 'src/new file.ts', 'notes/x.md', 'src/renamed.ts'],
      deleted: ['src/gone.ts', 'src/staged-gone.ts'],
    });
  });
});

describe('collectGitChanges', () => {
  it('merges status and the diff since base, drops deleted files, relative to a sub-folder cwd', async () => {
    const git = fakeGit({
      'status --porcelain=v1 -z --untracked-files=all': [' M app/src/a.ts', '?? app/b.md', ' D app/src/c.ts', ' M other/x.ts', ''].join('\0'),
      'diff --name-only -z --diff-filter=d main...HEAD': ['app/src/c.ts', 'app/src/d.ts', ''].join('\0'),
      'rev-parse --show-prefix': 'app/\n',
      'rev-parse --abbrev-ref HEAD': 'feature/x\n',
      'config user.name': 'Anna\n',
    });
    const r = await collectGitChanges('/repo/app', git, { base: 'main' });
    assert.deepEqual(r, { available: true, branch: 'feature/x', user: 'Anna', files: ['b.md', 'src/a.ts', 'src/d.ts'] });
  });

  it('reports a folder that is not a work tree instead of throwing', async () => {
    const r = await collectGitChanges('/tmp', fakeGit({ status: new Error('fatal: not a git repository') }));
    assert.deepEqual(r, { available: false, error: 'fatal: not a git repository', files: [] });
  });

  it('leaves out the branch when HEAD is detached or unborn, and a missing user name', async () => {
    const git = fakeGit({ status: '', 'rev-parse --show-prefix': '', 'rev-parse --abbrev-ref HEAD': 'HEAD\n', config: new Error('no') });
    assert.deepEqual(await collectGitChanges('/r', git), { available: true, files: [] });
  });

  it('works against a real repository', async function () {
    try {
      execFileSync('git', ['--version'], { stdio: 'ignore' });
    } catch {
      this.skip();
    }
    const dir = mkdtempSync(join(tmpdir(), 'llmgenie-handoff-git-'));
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
    try {
      git('init', '-q', '-b', 'main');
      git('config', 'user.name', 'Test');
      git('config', 'user.email', 't@example.invalid');
      mkdirSync(join(dir, 'src'));
      writeFileSync(join(dir, 'src/kept.ts'), '1');
      writeFileSync(join(dir, 'src/removed.ts'), '1');
      git('add', '.');
      git('commit', '-q', '-m', 'init');
      git('checkout', '-q', '-b', 'feature/y');
      writeFileSync(join(dir, 'src/committed.ts'), '1');
      git('add', '.');
      git('commit', '-q', '-m', 'feature');
      writeFileSync(join(dir, 'src/kept.ts'), '2');
      writeFileSync(join(dir, 'untracked with space.md'), 'x');
      rmSync(join(dir, 'src/removed.ts'));
      assert.deepEqual(await collectGitChanges(dir, nodeGitRunner, { base: 'main' }), {
        available: true,
        branch: 'feature/y',
        user: 'Test',
        files: ['src/committed.ts', 'src/kept.ts', 'untracked with space.md'],
      });
      assert.deepEqual((await collectGitChanges(join(dir, 'src'), nodeGitRunner)).files, ['kept.ts'], 'relative to a sub-folder');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
