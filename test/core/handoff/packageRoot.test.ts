import assert from 'node:assert/strict';
import { packageRoot } from '../../../src/core/handoff/packageRoot';
import { MemoryFileSystem } from '../../support/memoryFileSystem';

describe('handoff package root', () => {
  const fs = new MemoryFileSystem({
    '/ws/.git/HEAD': 'ref: refs/heads/main\n',
    '/ws/docs/handoff/HANDOFF.md': '# p\n',
    // A linked worktree (an agent branch): `.git` is a file naming the main repository's git dir.
    '/ws/.llmgenie/agents/worktrees/r1/add-clamp/.git': 'gitdir: /ws/.git/worktrees/add-clamp\n',
    '/ws/.llmgenie/agents/worktrees/r1/add-clamp/.llmgenie/handoff/r1/HANDOFF.md': '# p\n',
  });

  it('is the agent worktree for a package inside it, not the workspace', async () => {
    assert.equal(await packageRoot(fs, '/ws/.llmgenie/agents/worktrees/r1/add-clamp/.llmgenie/handoff/r1', '/ws'), '/ws/.llmgenie/agents/worktrees/r1/add-clamp');
  });

  it('is the workspace folder for a package of the workspace itself', async () => {
    assert.equal(await packageRoot(fs, '/ws/docs/handoff', '/ws'), '/ws');
    assert.equal(await packageRoot(fs, '/ws', '/ws/'), '/ws');
  });

  it('never climbs above the workspace folder, nor leaves it', async () => {
    const sub = new MemoryFileSystem({ '/repo/.git/HEAD': 'x', '/repo/pkg/a/HANDOFF.md': '# p\n' });
    assert.equal(await packageRoot(sub, '/repo/pkg/a', '/repo/pkg'), '/repo/pkg');
    assert.equal(await packageRoot(sub, '/elsewhere/a', '/repo/pkg'), '/repo/pkg');
  });
});
