// agents_run / agents_status through the MCP SDK client (tools listed first, results checked against the listed
// output schemas by the client), on a real git repository, the role-playing fake servers behind the real clients.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { APPROVALS_FILE, fileCommandApprovals } from '../../src/core/agents/checkCommand';
import { runPaths } from '../../src/core/agents/layout';
import type { RunStatus } from '../../src/core/agents/runStatus';
import { nodeFileSystem } from '../../src/core/platform/fileSystem';
import { nodeGitRunner } from '../../src/core/platform/git';
import { git, startHarness, type Harness } from '../core/agents/pipelineFixture';
import { errorText, inProcess, result, type InProcess } from './fixture';

interface RunResult {
  run: string;
  started: boolean;
  checkCommand: { state: string; command?: string; note: string };
  branches: Array<{ slug: string; task: string }>;
  status?: RunStatus;
}

describe('mcp agents_run / agents_status (SDK client, real git, role-playing fake models)', function () {
  this.timeout(60_000);
  let h: Harness | undefined;
  let s: InProcess | undefined;
  afterEach(async () => {
    await s?.close();
    await h?.close();
    s = h = undefined;
  });
  const open = async (accept: boolean) => {
    h = await startHarness();
    if (accept) await fileCommandApprovals(nodeFileSystem, `${h.stateDir}/${APPROVALS_FILE}`).accept(h.root, 'node --test');
    s = await inProcess({ root: h.root, fs: nodeFileSystem, git: nodeGitRunner, env: h.env, realpath: (p) => realpath(p) });
    const { tools } = await s.client.listTools();
    for (const name of ['agents_run', 'agents_status']) assert.ok(tools.find((t) => t.name === name)?.outputSchema, `${name} listed with its output schema`);
    return s;
  };

  it('starts a run and returns at once; agents_status follows it to two approved branches', async () => {
    const c = await open(true);
    const started = result<RunResult>(await c.call('agents_run', { tasks: ['Add a clamp helper with tests', 'Add a slugify helper with tests'], parallel: 2 }));
    assert.ok(started.started && /^\d{8}-\d{6}-/.test(started.run));
    assert.deepEqual(started.checkCommand, { state: 'accepted', command: 'node --test', note: '"node --test" runs after each coder step' });
    assert.deepEqual(started.branches.map((b) => b.slug), ['add-a-clamp-helper-with-tests', 'add-a-slugify-helper-with-tests']);
    assert.equal(started.status?.branches.length, 2);
    let status: RunStatus | undefined;
    for (const t0 = Date.now(); Date.now() - t0 < 30_000; await new Promise((r) => setTimeout(r, 100))) {
      status = result<{ status: RunStatus }>(await c.call('agents_status', { run: started.run })).status;
      if (status.status !== 'running') break;
    }
    assert.equal(status?.status, 'finished');
    for (const b of status!.branches) {
      assert.equal(b.verdict, 'approve');
      assert.ok(b.handoffScore! >= 80);
      assert.equal(git(h!.root, 'rev-list', '--count', `main..${b.branch}`), '2');
    }
    const list = result<{ runs: Array<{ run: string; approved: number }> }>(await c.call('agents_status', {}));
    assert.deepEqual(list.runs.map((r) => [r.run, r.approved]), [[started.run, 2]]);
  });

  it('wait: returns the final state; a check command nobody accepted is not run, and says so', async () => {
    const c = await open(false);
    const dry = result<RunResult>(await c.call('agents_run', { tasks: ['Add a clamp helper with tests'], dryRun: true }));
    assert.deepEqual([dry.started, dry.run, dry.checkCommand.state], [false, '', 'needs-acceptance']);
    assert.match(dry.checkCommand.note, /has not been accepted for this workspace by a person: the coder commits unchecked/);
    assert.deepEqual(result<{ runs: unknown[] }>(await c.call('agents_status', {})).runs, [], 'a dry run starts nothing');
    const done = result<RunResult>(await c.call('agents_run', { tasks: ['Add a clamp helper with tests'], wait: true }));
    assert.equal(done.status?.status, 'finished');
    assert.equal(done.status?.branches[0]?.verdict, 'approve');
    const coder = readFileSync(runPaths(h!.root, done.run).journal, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)).find((l) => l.t === 'msg' && l.m.topic === 'result' && l.m.payload.role === 'coder');
    assert.equal(coder.m.payload.output.check.status, 'skipped');
  });

  it('bad input: one-line tool errors, run ids cannot name a path', async () => {
    const c = await open(true);
    assert.match(errorText(await c.call('agents_status', { run: '../../etc' })), /run may only use letters, digits/);
    assert.match(errorText(await c.call('agents_status', { run: 'no-such-run' })), /^no agent run "no-such-run" in this workspace \(agents_status lists the runs\)$/);
    assert.match(errorText(await c.call('agents_status', { run: 'UPPER' })), /is not a run id/);
    assert.match(errorText(await c.call('agents_run', { tasks: [] })), /tasks/);
    assert.match(errorText(await c.call('agents_run', { tasks: ['x'], parallel: 0 })), /parallel/);
  });
});
