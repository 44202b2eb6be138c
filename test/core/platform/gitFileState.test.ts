import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeGitRunner } from '../../../src/core/platform/git';
import { deleteConsequence, gitFileState } from '../../../src/core/platform/gitFileState';

describe('platform/gitFileState (real git)', () => {
  let dir: string;
  const git = (...args: string[]): void => void execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t.test', ...args], { cwd: dir, stdio: 'pipe' });
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'llmgenie-gitstate-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('tells committed, edited, never committed and no repository apart', async () => {
    writeFileSync(join(dir, 'a.md'), 'a');
    assert.equal(await gitFileState(nodeGitRunner, dir, 'a.md'), 'no-git');
    git('init', '-q');
    assert.equal(await gitFileState(nodeGitRunner, dir, 'a.md'), 'uncommitted');
    git('add', 'a.md');
    assert.equal(await gitFileState(nodeGitRunner, dir, 'a.md'), 'uncommitted', 'staged only is not in history');
    git('commit', '-q', '-m', 'a');
    assert.equal(await gitFileState(nodeGitRunner, dir, 'a.md'), 'committed');
    writeFileSync(join(dir, 'a.md'), 'a, edited');
    assert.equal(await gitFileState(nodeGitRunner, dir, 'a.md'), 'modified');
  });

  it('never promises git history for a file git does not have', () => {
    assert.match(deleteConsequence('uncommitted', 'docs/lessons/x.md'), /never committed .* gone for good/);
    assert.doesNotMatch(deleteConsequence('uncommitted', 'x.md'), /git restore/);
    assert.match(deleteConsequence('committed', 'x.md'), /git restore x\.md/);
    assert.match(deleteConsequence('modified', 'x.md'), /edits since then are lost/);
  });
});
