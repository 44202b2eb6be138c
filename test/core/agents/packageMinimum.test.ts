import { strict as assert } from 'node:assert';
import { runMinimumFor } from '../../../src/core/agents/packageMinimum';
import { nodeFileSystem } from '../../../src/core/platform/fileSystem';
import { startHarness, type Harness } from './pipelineFixture';

// The handoff panel and diagnostics score a run's package against the minimum the run used, so the ring and the
// agent tree never disagree (the run's 85 here, not the workspace handoff minimum of 70).
describe('agents package minimum (what the handoff views score a run package against)', function () {
  this.timeout(60_000);
  let h: Harness;
  afterEach(() => h?.close());

  it("gives the run's minimum for its worktree, nothing for other folders", async () => {
    h = await startHarness();
    const summary = await h.run(['Add a clamp helper with tests'], { settings: { minScore: 85 } });
    const [b] = summary.branches;
    assert.equal(b!.handoff?.minScore, 85);
    assert.equal(await runMinimumFor(nodeFileSystem, h.root, b!.worktree), 85);
    assert.equal(await runMinimumFor(nodeFileSystem, `${h.root}/`, `${b!.worktree}/`), 85, 'trailing slashes');
    assert.equal(await runMinimumFor(nodeFileSystem, h.root, h.root), undefined, 'the workspace itself');
    assert.equal(await runMinimumFor(nodeFileSystem, h.root, `${b!.worktree}/src`), undefined, 'a folder inside the worktree is no package root');
    assert.equal(await runMinimumFor(nodeFileSystem, h.root, `${h.root}/.llmgenie/agents/worktrees/20260101-000000-zzzz/x`), undefined, 'an unknown run');
  });
});
