import { strict as assert } from 'node:assert';
import { readRunDetail, stepExtras } from '../../../src/core/agents/runDetail';
import { RunNotFoundError } from '../../../src/core/agents/runStatus';
import { nodeFileSystem } from '../../../src/core/platform/fileSystem';
import { startHarness, type Harness } from './pipelineFixture';

// What the editor's Sessions tree shows under a branch: each step, the librarian's package, the reviewer's
// verdict with its findings, read back from a real run's journal.
describe('agents run detail (Sessions tree data)', function () {
  this.timeout(60_000);
  let h: Harness;
  afterEach(() => h?.close());

  it('gives every step of a request-changes round, its package and the verdict with the finding on its line', async () => {
    h = await startHarness({ requestChanges: true });
    const summary = await h.run(['Add a clamp helper with tests']);
    const d = await readRunDetail(nodeFileSystem, h.root, summary.run);
    assert.equal(d.status, 'finished');
    const [b] = d.branches;
    assert.equal(b!.state, 'approved');
    assert.deepEqual(
      b!.stepList.map((s) => `${s.role}#${s.round}:${s.status}`),
      ['coder#1:done', 'policy#1:done', 'librarian#1:done', 'reviewer#1:done', 'coder#2:done', 'policy#2:done', 'librarian#2:done', 'reviewer#2:done'],
    );
    const review1 = b!.stepList.find((s) => s.role === 'reviewer' && s.round === 1)!;
    assert.equal(review1.verdict?.verdict, 'request_changes');
    assert.deepEqual(review1.verdict?.findings.map((f) => [f.path, f.line, f.severity]), [['src/clamp.mjs', 1, 'warning']]);
    assert.equal(b!.stepList.find((s) => s.role === 'reviewer' && s.round === 2)!.verdict?.verdict, 'approve');
    const pkg = b!.stepList.find((s) => s.role === 'librarian' && s.round === 2)!.handoff!;
    assert.ok(pkg.passed && pkg.score >= pkg.minScore, `package ${pkg.score}/${pkg.minScore}`);
    assert.match(pkg.package, /agents-.*-add-a-clamp-helper-with-tests\/HANDOFF\.md$/);
    assert.equal(b!.stepList.filter((s) => s.handoff || s.verdict).length, 4, 'coder and policy steps carry neither');
  });

  it('names a run that is not there', async () => {
    h = await startHarness();
    await assert.rejects(readRunDetail(nodeFileSystem, h.root, '20260101-000000-zzzz'), RunNotFoundError);
  });

  it('keeps the findings that parse when one is shaped differently, and ignores outputs of other shapes', () => {
    const good = { path: 'src/a.ts', line: 3, severity: 'error', message: 'Off by one.' };
    const v = stepExtras('reviewer', { verdict: 'request_changes', summary: 'x', findings: [good, { path: 'b', line: 'two' }] });
    assert.deepEqual(v.verdict?.findings, [good]);
    assert.deepEqual(stepExtras('reviewer', { verdict: 'maybe' }), {});
    assert.deepEqual(stepExtras('librarian', undefined), {});
    assert.deepEqual(stepExtras('coder', { summary: 'done' }), {});
  });
});
