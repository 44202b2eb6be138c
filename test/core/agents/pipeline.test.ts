import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { validateHandoffText } from '../../../src/core/handoff/validate';
import { nodeFileSystem } from '../../../src/core/platform/fileSystem';
import { git, startHarness, type Harness } from './pipelineFixture';

describe('agents pipeline (real ollama + Anthropic SDK clients against role-playing fake servers)', function () {
  this.timeout(60_000);
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('runs coder → policy → librarian → reviewer on two parallel branches: commits, a package ≥ 80, a verdict each', async () => {
    h = await startHarness();
    const s = await h.run(['Add a clamp helper with tests', 'Add a slugify helper with tests'], { parallel: 2 });
    assert.equal(s.status, 'finished');
    assert.equal(s.branches.length, 2);
    for (const b of s.branches) {
      assert.equal(b.status, 'approved', `${b.slug}: ${b.reason}`);
      assert.match(b.branch, new RegExp(`^llmgenie/${s.run}/add-a-(clamp|slugify)-helper-with-tests$`));
      assert.deepEqual(b.steps.map((x) => `${x.role}/${x.round}:${x.status}`), ['coder/1:done', 'policy/1:done', 'librarian/1:done', 'reviewer/1:done']);
      assert.ok(b.handoff && b.handoff.passed && b.handoff.score >= 80, JSON.stringify(b.handoff));
      assert.equal(b.verdict?.verdict, 'approve');
      assert.ok(b.tokens > 0);
      // Commits on the branch: the coder's, then the package's. Nothing merged into main.
      const log: string[] = git(h.root, 'log', '--format=%s', `main..${b.branch}`).split('\n');
      assert.equal(log.length, 2);
      assert.match(log[1]!, /^Add (clamp|slugify) helper with tests$/);
      assert.match(log[0]!, /^Handoff package for /);
      const pkg = readFileSync(`${b.worktree}/${b.handoff!.package}`, 'utf8');
      const report = await validateHandoffText(pkg, { fs: nodeFileSystem, root: b.worktree, config: { minScore: 80 } });
      assert.ok(report.passed && report.score === b.handoff!.score);
      assert.equal(git(b.worktree, 'rev-parse', 'HEAD'), b.head);
    }
    assert.equal(git(h.root, 'log', '--format=%s', 'main').split('\n').length, 1, 'main is untouched');
    // The check ran for real in each worktree.
    const clamp = s.branches.find((b) => b.slug.includes('clamp'))!;
    assert.ok(existsSync(`${clamp.worktree}/src/clamp.mjs`));
    assert.ok(!existsSync(`${h.root}/src/clamp.mjs`));
    // Every model call went through the router and was logged as a task.
    const tasks = h.events.filter((e) => e.type === 'task');
    assert.equal(tasks.length, 6, 'one routed task per coder, librarian and reviewer step of each branch');
    assert.ok(h.events.some((e) => e.type === 'handoff' && e.payload.passed));
    assert.ok(h.events.some((e) => e.type === 'decision'));
  });

  it('two parallel branches never see each other\'s files', async () => {
    h = await startHarness();
    const s = await h.run(['Add a clamp helper with tests', 'Add a slugify helper with tests'], { parallel: 2 });
    const [a, b] = s.branches;
    assert.ok(existsSync(`${a!.worktree}/src/clamp.mjs`) && !existsSync(`${a!.worktree}/src/slugify.mjs`));
    assert.ok(existsSync(`${b!.worktree}/src/slugify.mjs`) && !existsSync(`${b!.worktree}/src/clamp.mjs`));
    assert.doesNotMatch(git(h.root, 'diff', '--name-only', `main..${a!.branch}`), /slugify/);
  });

  it('loops back to the coder when the reviewer requests changes, then approves in round 2', async () => {
    h = await startHarness({ requestChanges: true });
    const s = await h.run(['Add a clamp helper with tests'], { parallel: 1 });
    const b = s.branches[0]!;
    assert.equal(b.status, 'approved', b.reason);
    assert.deepEqual(b.steps.map((x) => `${x.role}/${x.round}`), ['coder/1', 'policy/1', 'librarian/1', 'reviewer/1', 'coder/2', 'policy/2', 'librarian/2', 'reviewer/2']);
    assert.equal(b.verdict?.round, 2);
    assert.match(readFileSync(`${b.worktree}/src/clamp.mjs`, 'utf8'), /Reviewed/);
    const coderPrompts = h.ollama.chatBodies().concat().length + h.anthropic.requests.length;
    assert.ok(coderPrompts > 0);
  });

  it('stops after the last review round when changes are still requested', async () => {
    h = await startHarness({ requestChanges: true });
    const s = await h.run(['Add a clamp helper with tests'], { parallel: 1, settings: { maxReviewRounds: 1 } });
    assert.equal(s.branches[0]!.status, 'changes-requested');
    assert.match(s.branches[0]!.reason!, /still requested changes after 1 round/);
  });

  it('a secret in the coder\'s diff stops the branch before review, saying why', async () => {
    h = await startHarness({ secret: true });
    const s = await h.run(['Add a clamp helper with tests'], { parallel: 1 });
    const b = s.branches[0]!;
    assert.equal(b.status, 'stopped');
    assert.match(b.reason!, /policy: 1 error-level finding.*src\/config\.mjs:1/);
    assert.deepEqual(b.steps.map((x) => x.role), ['coder', 'policy']);
    assert.equal(h.script.calls.filter((c) => c.role === 'reviewer').length, 0);
    assert.doesNotMatch(b.reason!, /sk-ant-api03-[A-Za-z0-9_-]{20}/, 'the reason never quotes the secret');
  });

  it('a package below the minimum goes back to the librarian once, then stops the branch showing its gaps', async () => {
    h = await startHarness({ thinPackage: true });
    const s = await h.run(['Add a clamp helper with tests'], { parallel: 1 });
    const b = s.branches[0]!;
    assert.equal(b.status, 'stopped');
    assert.match(b.reason!, /handoff package scored \d+ \(minimum 80\) after one correction; gaps: .*existing file/);
    assert.equal(h.script.calls.filter((c) => c.role === 'librarian').length, 2);
    assert.equal(h.script.calls.filter((c) => c.role === 'reviewer').length, 0);
    assert.equal(b.handoff?.passed, false);
  });

  it('retries a step once with the validation errors when its output fails the schema', async () => {
    h = await startHarness({ malformedOnce: ['reviewer', 'librarian'] });
    const s = await h.run(['Add a clamp helper with tests'], { parallel: 1 });
    assert.equal(s.branches[0]!.status, 'approved', s.branches[0]!.reason);
    assert.equal(h.script.calls.filter((c) => c.role === 'reviewer').length, 2);
    const retried = [...h.ollama.chatBodies().map((b) => b.messages.at(-1)?.content ?? ''), ...h.anthropic.requests.map((r) => JSON.stringify(r.body.messages.at(-1)))];
    assert.ok(retried.some((t) => /could not be accepted/.test(t)));
  });

  it('stops with a clear reason when a step fails its schema twice', async () => {
    h = await startHarness({ malformedAlways: ['reviewer'] });
    const s = await h.run(['Add a clamp helper with tests'], { parallel: 1 });
    const b = s.branches[0]!;
    assert.equal(b.status, 'failed');
    assert.match(b.reason!, /the reviewer's output failed its schema twice: the reply does not end with a valid JSON block/);
  });

  it('does not run the check command until it was accepted for the workspace', async () => {
    h = await startHarness({}, { accept: false });
    const s = await h.run(['Add a clamp helper with tests'], { parallel: 1 });
    assert.equal(s.branches[0]!.status, 'approved');
    const coderOut = (readFileSync(`${h.root}/.llmgenie/agents/runs/${s.run}/journal.jsonl`, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)).find((l) => l.t === 'msg' && l.m.topic === 'result' && l.m.payload.role === 'coder').m.payload.output.check.status);
    assert.equal(coderOut, 'skipped');
  });
  it('never approves a step whose check failed: the check output goes back to the coder as a finding', async () => {
    // The stand-in reviewer approves every round; only the machine gate stands between the failed check and approval.
    h = await startHarness({ failingCheck: 'once' });
    const s = await h.run(['Add a clamp helper with tests'], { parallel: 1 });
    const b = s.branches[0]!;
    assert.equal(b.status, 'approved', b.reason);
    assert.deepEqual(b.steps.map((x) => `${x.role}/${x.round}`), ['coder/1', 'policy/1', 'librarian/1', 'reviewer/1', 'coder/2', 'policy/2', 'librarian/2', 'reviewer/2']);
    const results = readFileSync(`${h.root}/.llmgenie/agents/runs/${s.run}/journal.jsonl`, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)).filter((l) => l.t === 'msg' && l.m.topic === 'result').map((l) => l.m.payload);
    const coder1 = results.find((p) => p.role === 'coder' && p.round === 1).output;
    assert.equal(coder1.check.status, 'failed');
    const review1 = results.find((p) => p.role === 'reviewer' && p.round === 1).output;
    assert.equal(review1.verdict, 'request_changes');
    assert.deepEqual(review1.gate, { command: 'node --test', status: 'failed', reviewerVerdict: 'approve' });
    assert.equal(review1.findings[0].path, 'test/clamp.test.mjs');
    assert.match(review1.findings[0].message, /check command `node --test` failed \(exit 1\).*stand-in failure/s);
    // The round-2 coder prompt carries the check output as a finding to address.
    const prompts = [...h.ollama.chatBodies().map((x) => JSON.stringify(x.messages)), ...h.anthropic.requests.map((r) => JSON.stringify(r.body.messages))];
    assert.ok(prompts.some((t) => /round 2/.test(t) && /The reviewer requested changes/.test(t) && /stand-in failure/.test(t)), 'the coder got the check output back');
    assert.equal(results.find((p) => p.role === 'coder' && p.round === 2).output.check.status, 'passed');
  });

  it('a check that keeps failing ends "changes requested" with the reason when rounds run out, never approved', async () => {
    h = await startHarness({ failingCheck: 'always' });
    const s = await h.run(['Add a clamp helper with tests'], { parallel: 1, settings: { maxReviewRounds: 2 } });
    const b = s.branches[0]!;
    assert.equal(b.status, 'changes-requested');
    assert.equal(b.verdict?.verdict, 'request_changes');
    assert.match(b.reason!, /the check command `node --test` still failed after 2 round\(s\), so the branch is not approved/);
    assert.equal(b.steps.filter((x) => x.role === 'coder').length, 2, 'bounded: one coder step per round');
  });
});
