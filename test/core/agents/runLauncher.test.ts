// The core glue the faces share: launchRun / resumeLaunch, runStatus, cancel and clean, against the role-playing
// fake servers through the real ollama and Anthropic SDK clients, in temporary git repositories.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileCommandApprovals } from '../../../src/core/agents/checkCommand';
import { createAgentGit } from '../../../src/core/agents/git';
import { runPaths } from '../../../src/core/agents/layout';
import { RunError } from '../../../src/core/agents/orchestrator';
import { cancelRun, cleanRuns, RunBusyError } from '../../../src/core/agents/runControl';
import { checkApproval, launchRun, resumeLaunch, validateTasks, type LaunchOptions } from '../../../src/core/agents/runLauncher';
import type { RunSummary } from '../../../src/core/agents/runState';
import { formatRunStatus, listRuns, readRunStatus, RunNotFoundError } from '../../../src/core/agents/runStatus';
import { agentSettingsFrom } from '../../../src/core/agents/setup';
import { nodeFileSystem } from '../../../src/core/platform/fileSystem';
import { nodeGitRunner } from '../../../src/core/platform/git';
import { createProviders } from '../../../src/core/router/setup';
import { FAKE_CLAUDE_KEY } from '../../support/fakeAnthropic';
import type { AgentScenario } from '../../support/fakeAgentModels';
import { git, startHarness, type Harness } from './pipelineFixture';

describe('agents run launcher, status and control (core glue for CLI, MCP and editor)', function () {
  this.timeout(60_000);
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  const options = (x: Harness): LaunchOptions => ({
    root: x.root,
    router: createProviders({ ollamaHost: x.ollama.host, anthropicApiKey: FAKE_CLAUDE_KEY, anthropicBaseURL: x.anthropic.url }),
    approvals: fileCommandApprovals(nodeFileSystem, `${x.stateDir}/approvals.json`),
    trusted: true,
    settings: agentSettingsFrom({ 'llmgenie.agents.checkCommand': 'node --test' }),
    cancelPollMs: 50,
  });
  const start = async (scenario: AgentScenario = {}) => (h = await startHarness(scenario));

  it('launches two tasks in parallel: progress after every step, then one row per branch with verdict, score, tokens', async () => {
    const x = await start();
    const handle = launchRun({ ...options(x), tasks: ['Add a clamp helper with tests', 'Add a slugify helper with tests'], parallel: 2 });
    assert.match(handle.run, /^\d{8}-\d{6}-[a-z0-9]{1,4}$/);
    assert.equal(handle.engine, 'embedded');
    const seen: RunSummary[] = [];
    handle.onProgress((s) => seen.push(s));
    const final = await handle.done;
    assert.equal(final.status, 'finished');
    assert.ok(seen.length >= 8, `progress after each step (${seen.length})`);
    assert.equal(handle.latest?.status, 'finished');

    const status = await readRunStatus(nodeFileSystem, x.root, handle.run);
    assert.equal(status.status, 'finished');
    assert.equal(status.owner, undefined, 'the owner file goes when the run ends');
    assert.equal(status.branches.length, 2);
    for (const b of status.branches) {
      assert.equal(b.state, 'approved');
      assert.equal(b.verdict, 'approve');
      assert.equal(b.stepsDone, 4);
      assert.equal(b.steps, 'coder✓ policy✓ librarian✓ reviewer✓');
      assert.ok(b.handoffScore! >= 80 && b.handoffPassed);
      assert.ok(b.tokens > 0 && b.ms > 0);
      assert.equal(git(x.root, 'rev-list', '--count', `main..${b.branch}`), '2');
    }
    assert.equal(status.tokens, status.branches[0]!.tokens + status.branches[1]!.tokens);
    const text = formatRunStatus(status);
    assert.match(text, new RegExp(`^run ${handle.run}: finished \\(embedded bus, 2 branches`));
    assert.match(text, /branch\s+state\s+steps\s+verdict\s+handoff\s+tokens\s+cost\s+time/);
    assert.match(text, /approved\s+4\/4 coder✓ policy✓ librarian✓ reviewer✓\s+approve\s+\d+/);

    const list = await listRuns(nodeFileSystem, x.root);
    assert.deepEqual(list.runs.map((r) => [r.run, r.status, r.branches, r.approved]), [[handle.run, 'finished', 2, 2]]);
  });

  it('refuses bad input at once, in one line', async () => {
    const x = await start();
    assert.throws(() => validateTasks([]), /no task given/);
    assert.throws(() => validateTasks(['  ']), /a task is empty/);
    assert.throws(() => validateTasks(Array.from({ length: 17 }, (_, i) => `t${i}`)), /at most 16 tasks/);
    assert.deepEqual(validateTasks([' Add x ']), ['Add x']);
    assert.throws(() => launchRun({ ...options(x), tasks: ['Add x'], parallel: 0 }), (e: unknown) => e instanceof RunError && /parallel takes a whole number 1-16, got 0/.test(e.message));
    assert.throws(() => launchRun({ ...options(x), tasks: ['Add x'], minScore: 101 }), /minimum package score is 0-100/);
    await assert.rejects(readRunStatus(nodeFileSystem, x.root, 'no-such-run'), RunNotFoundError);
    await assert.rejects(readRunStatus(nodeFileSystem, x.root, '../etc'), RunNotFoundError);
    assert.deepEqual(await listRuns(nodeFileSystem, x.root), { runs: [] });
  });

  it('a folder that is not a git repository ends the run with a RunError', async () => {
    const x = await start();
    const plain = `${x.stateDir}/plain`;
    mkdirSync(plain);
    await assert.rejects(launchRun({ ...options(x), root: plain, tasks: ['Add x'] }).done, (e: unknown) => e instanceof RunError && /not a git repository/.test(e.message));
  });

  it('says whether the check command may run: none, untrusted, needs acceptance, accepted', async () => {
    const x = await start();
    const o = options(x);
    const approvals = fileCommandApprovals(nodeFileSystem, `${x.stateDir}/other.json`);
    assert.equal((await checkApproval(approvals, x.root, agentSettingsFrom({}), true)).state, 'none');
    assert.deepEqual(await checkApproval(approvals, x.root, o.settings, false), { state: 'untrusted', command: 'node --test' });
    assert.deepEqual(await checkApproval(approvals, x.root, o.settings, true), { state: 'needs-acceptance', command: 'node --test' });
    await approvals.accept(x.root, 'node --test');
    assert.deepEqual(await checkApproval(approvals, x.root, o.settings, true), { state: 'accepted', command: 'node --test' });
  });

  it('cancel from outside (the cancel flag) stops the run within a second, leaving worktrees clean and the journal cancelled', async () => {
    const x = await start({ latencyMs: 300 });
    const handle = launchRun({ ...options(x), tasks: ['Add a clamp helper with tests', 'Add a slugify helper with tests'], parallel: 2 });
    await new Promise<void>((r) => {
      const off = handle.onProgress((s) => s.branches.some((b) => b.steps.some((st) => st.role === 'coder')) && (off(), r()));
    });
    const live = await readRunStatus(nodeFileSystem, x.root, handle.run);
    assert.equal(live.status, 'running');
    assert.equal(live.owner?.alive, true);
    const t0 = Date.now();
    const r = await cancelRun(nodeFileSystem, x.root, handle.run);
    assert.equal(r.outcome, 'signalled', r.detail);
    assert.ok(Date.now() - t0 < 1500, `stopped in ${Date.now() - t0} ms`);
    const final = await handle.done;
    assert.equal(final.status, 'cancelled');
    const status = await readRunStatus(nodeFileSystem, x.root, handle.run);
    for (const b of status.branches) {
      assert.equal(b.state, 'cancelled');
      assert.equal(git(b.worktree, 'status', '--porcelain'), '', 'nothing half-written left in the worktree');
    }
    assert.equal((await cancelRun(nodeFileSystem, x.root, handle.run)).outcome, 'already-ended');
    // A cancelled run is not resumed.
    assert.equal((await resumeLaunch({ ...options(x), run: handle.run }).done).status, 'cancelled');
  });

  it('an interrupted run (its process gone) shows as interrupted, resumes to the end, or is marked cancelled', async () => {
    const x = await start();
    const handle = launchRun({ ...options(x), tasks: ['Add a clamp helper with tests'], parallel: 1 });
    await handle.done;
    // Make it look like the process died before the run finished: drop the last records, leave a dead owner.
    const paths = runPaths(x.root, handle.run);
    const { readFileSync } = await import('node:fs');
    const lines = readFileSync(paths.journal, 'utf8').split('\n').filter(Boolean);
    const cut = lines.findIndex((l) => /"topic":"result"/.test(l) && /"role":"librarian"/.test(l));
    writeFileSync(paths.journal, `${lines.slice(0, cut).join('\n')}\n`);
    writeFileSync(paths.owner, JSON.stringify({ pid: 999_999_999, host: (await import('node:os')).hostname() }));
    const s = await readRunStatus(nodeFileSystem, x.root, handle.run);
    assert.equal(s.status, 'interrupted');
    assert.equal(s.owner?.alive, false);
    assert.match(formatRunStatus(s), /agents resume/);
    const resumed = await resumeLaunch({ ...options(x), run: handle.run }).done;
    assert.equal(resumed.status, 'finished');
    assert.equal(resumed.branches[0]!.status, 'approved');
    // Marking: a second interrupted copy of the state is cancelled without any process.
    writeFileSync(paths.journal, `${lines.slice(0, cut).join('\n')}\n`);
    writeFileSync(paths.owner, JSON.stringify({ pid: 999_999_999, host: (await import('node:os')).hostname() }));
    assert.equal((await cancelRun(nodeFileSystem, x.root, handle.run)).outcome, 'marked');
    assert.equal((await readRunStatus(nodeFileSystem, x.root, handle.run)).status, 'cancelled');
  });

  it('clean removes clean worktrees from the manifest only, keeps a dirty one and anything it does not list', async () => {
    const x = await start();
    const handle = launchRun({ ...options(x), tasks: ['Add a clamp helper with tests', 'Add a slugify helper with tests'] });
    const final = await handle.done;
    const [a, b] = final.branches;
    writeFileSync(`${b!.worktree}/wip.txt`, 'unfinished\n');
    const stray = `${runPaths(x.root, handle.run).worktreesDir}/not-in-manifest`;
    mkdirSync(stray, { recursive: true });
    writeFileSync(`${stray}/keep.txt`, 'x');
    const agentGit = createAgentGit(nodeGitRunner);
    const out = await cleanRuns(nodeFileSystem, agentGit, x.root, handle.run);
    assert.deepEqual(out.map((c) => [c.slug, c.removed]), [[a!.slug, true], [b!.slug, false]]);
    assert.match(out[1]!.reason!, /kept: 1 uncommitted file\(s\) \(wip\.txt\)/);
    assert.ok(!existsSync(a!.worktree) && existsSync(`${b!.worktree}/wip.txt`) && existsSync(`${stray}/keep.txt`));
    assert.equal(git(x.root, 'rev-list', '--count', `main..${a!.branch}`), '2', 'the branch stays: it is the result');
    // Every run, later: the removed one stays removed, the dirty one is still kept.
    const again = await cleanRuns(nodeFileSystem, agentGit, x.root);
    assert.deepEqual(again.map((c) => [c.slug, c.removed, c.reason]), [[a!.slug, true, 'already removed'], [b!.slug, false, out[1]!.reason]]);
    await assert.rejects(cleanRuns(nodeFileSystem, agentGit, x.root, 'no-such-run'), RunBusyError);
  });
});
