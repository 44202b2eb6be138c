// `llmgenie agents run --bus redis://…` as a team lead, with a real `llmgenie agents worker` process in its own clone
// doing the role steps: a real redis-server, a bare repository as the team remote, the role-playing fake models
// behind the real ollama / Anthropic SDK clients. The lead publishes the run, follows it, and ends with the branches.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAgentsCommands } from '../../src/cli/commands/agents';
import { runCli } from '../../src/cli/main';
import { APPROVALS_FILE, fileCommandApprovals } from '../../src/core/agents/checkCommand';
import { RunStatusSchema } from '../../src/core/agents/runStatus';
import { nodeFileSystem } from '../../src/core/platform/fileSystem';
import { fakeCliIO } from '../support/cliIO';
import { REDIS_MISSING, findRedisServer, startRedisServer, type RedisServer } from '../support/redisServer';
import { git, startHarness, type Harness } from '../core/agents/pipelineFixture';

const binary = findRedisServer();
const TSX = `${realpathSync(join(__dirname, '../../node_modules'))}/tsx/dist/loader.mjs`;
const MAIN = join(__dirname, '../../src/cli/main.ts');

describe('llmgenie agents run --bus redis:// with a team worker process (real redis-server, real git)', function () {
  this.timeout(90_000);
  let server: RedisServer;
  let h: Harness;
  let dir: string;
  let worker: ChildProcess | undefined;
  let workerOut = '';

  before(async function () {
    if (!binary) {
      console.log(`      ${REDIS_MISSING}`);
      this.skip();
    }
    server = await startRedisServer(binary!);
  });
  after(async () => server?.stop());
  afterEach(async () => {
    if (worker && worker.exitCode === null && worker.signalCode === null) {
      const gone = new Promise((r) => worker!.once('exit', r));
      worker.kill('SIGTERM');
      await gone;
    }
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('publishes the steps, a worker in another clone runs them, the lead ends with both branches approved', async () => {
    h = await startHarness();
    dir = mkdtempSync(join(tmpdir(), 'llmgenie-team-cli-')).replace(/\\/g, '/');
    const remote = `${dir}/team.git`;
    git(dir, 'init', '-q', '--bare', '-b', 'main', remote);
    git(h.root, 'remote', 'add', 'origin', remote);
    git(h.root, 'push', '-q', 'origin', 'main');
    const clone = `${dir}/worker-clone`;
    git(dir, 'clone', '-q', remote, clone);
    // The worker's clone has not accepted the check command yet: --yes accepts it, as `agents run --yes` does.
    worker = spawn(process.execPath, ['--import', TSX, MAIN, 'agents', 'worker', '--bus', server.url, '--id', 'gpu-box', '--lease-ms', '10000', '--yes'], {
      cwd: clone,
      env: { ...process.env, ...h.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    worker.stdout!.on('data', (d: Buffer) => (workerOut += d.toString()));
    worker.stderr!.on('data', (d: Buffer) => (workerOut += d.toString()));
    for (const t0 = Date.now(); !/serving coder/.test(workerOut); await new Promise((r) => setTimeout(r, 50)))
      assert.ok(Date.now() - t0 < 30_000 && worker.exitCode === null, `the worker never started:\n${workerOut}`);
    assert.match(workerOut, /accepted the check command "node --test" for /);
    assert.ok(await fileCommandApprovals(nodeFileSystem, `${h.stateDir}/${APPROVALS_FILE}`).isAccepted(realpathSync(clone), 'node --test'), 'stored for the clone');

    const io = fakeCliIO(h.root, h.env);
    const code = await runCli(['agents', 'run', 'Add a clamp helper with tests', '--task', 'Add a slugify helper with tests', '--bus', server.url, '--yes', '--json'], io, createAgentsCommands());
    assert.equal(code, 0, `${io.stderr}\n${io.stdout}\n--- worker:\n${workerOut}`);
    const s = RunStatusSchema.parse(JSON.parse(io.stdout));
    assert.equal(s.engine, 'redis');
    assert.equal(s.status, 'finished');
    for (const b of s.branches) {
      assert.equal(b.verdict, 'approve', `${b.branch}: ${b.reason}`);
      assert.ok(b.handoffScore! >= 80);
      // The commits were made in the worker's clone, pushed to the remote, and brought into the lead's worktree.
      assert.equal(git(h.root, 'rev-list', '--count', `main..${b.branch}`), '2', b.branch);
      assert.equal(git(b.worktree, 'rev-parse', 'HEAD'), git(h.root, 'ls-remote', 'origin', `refs/heads/${b.branch}`).split(/\s+/)[0]);
    }
    assert.equal((workerOut.match(/: done at /g) ?? []).length, 8, `four steps per branch, each once:\n${workerOut}`);
    // The run's status reads from the summary the lead kept (its messages live on the team bus).
    const st = fakeCliIO(h.root, h.env);
    assert.equal(await runCli(['agents', 'status', s.run], st, createAgentsCommands()), 0);
    assert.match(st.stdout, new RegExp(`^run ${s.run}: finished \\(redis bus, 2 branches`));
  });

  it('refuses a team run whose base commit is not on the remote, in one line', async () => {
    h = await startHarness();
    dir = mkdtempSync(join(tmpdir(), 'llmgenie-team-cli-')).replace(/\\/g, '/');
    git(dir, 'init', '-q', '--bare', '-b', 'main', `${dir}/team.git`);
    git(h.root, 'remote', 'add', 'origin', `${dir}/team.git`);
    const io = fakeCliIO(h.root, h.env);
    const code = await runCli(['agents', 'run', 'Add a clamp helper with tests', '--bus', server.url, '--yes'], io, createAgentsCommands());
    assert.equal(code, 2);
    assert.equal(io.stderr, 'llmgenie agents run: HEAD is not on the team remote "origin": push it first (team workers start from it)\n');
  });
});
