// `llmgenie agents …` through runCli and as a real process, with the real ollama and Anthropic SDK clients against
// the role-playing fake servers, in temporary git repositories.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { createAgentsCommands } from '../../src/cli/commands/agents';
import { runCli } from '../../src/cli/main';
import { runPaths } from '../../src/core/agents/layout';
import { RunListSchema, RunStatusSchema } from '../../src/core/agents/runStatus';
import { fakeCliIO } from '../support/cliIO';
import { git, startHarness, type Harness } from '../core/agents/pipelineFixture';

const TASKS = ['Add a clamp helper with tests', '--task', 'Add a slugify helper with tests'];
const TSX = `${realpathSync(join(__dirname, '../../node_modules'))}/tsx/dist/loader.mjs`;
const MAIN = join(__dirname, '../../src/cli/main.ts');

describe('llmgenie agents (CLI)', function () {
  this.timeout(90_000);
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });
  const cli = (args: string[], o: { cwd?: string; confirm?: boolean | undefined; env?: Record<string, string> } = {}) => {
    const io = fakeCliIO(o.cwd ?? h!.root, { ...h!.env, ...o.env });
    const commands = createAgentsCommands('confirm' in o ? { confirm: async () => o.confirm } : {});
    return runCli(['agents', ...args], io, commands).then((code) => ({ code, out: io.stdout, err: io.stderr }));
  };

  it('agents run: two branches in parallel, a line per step, then branch, steps, verdict, handoff score, tokens, cost, time', async () => {
    h = await startHarness({}, { accept: false });
    const r = await cli(['run', ...TASKS, '--parallel', '2', '--yes']);
    assert.equal(r.code, 0, r.err + r.out);
    assert.match(r.err, /accepted the check command "node --test"/);
    const run = /^run (\S+) \(embedded bus\)/.exec(r.out)?.[1];
    assert.ok(run, r.out);
    assert.match(r.out, /\d\d:\d\d:\d\d add-a-clamp-helper-with-tests: coder started\n/);
    assert.match(r.out, /add-a-slugify-helper-with-tests: reviewer done/);
    assert.match(r.out, new RegExp(`run ${run}: finished \\(embedded bus, 2 branches, \\d+ tokens, \\$[0-9.]+\\)`));
    assert.match(r.out, /  branch\s+state\s+steps\s+verdict\s+handoff\s+tokens\s+cost\s+time\n/);
    for (const slug of ['add-a-clamp-helper-with-tests', 'add-a-slugify-helper-with-tests']) {
      assert.match(r.out, new RegExp(`llmgenie/${run}/${slug}\\s+approved\\s+4/4 coder✓ policy✓ librarian✓ reviewer✓\\s+approve\\s+(8\\d|9\\d|100)\\s+\\d+\\s+\\$\\S+\\s+[\\d.]+ m?s`));
      assert.equal(git(h.root, 'rev-list', '--count', `main..llmgenie/${run}/${slug}`), '2');
    }
    const checks = readFileSync(runPaths(h.root, run!).journal, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)).filter((l) => l.t === 'msg' && l.m.topic === 'result' && l.m.payload.role === 'coder').map((l) => l.m.payload.output.check.status);
    assert.deepEqual(checks, ['passed', 'passed'], 'the accepted check command ran in both worktrees, and passed');
    // Accepted once for the workspace: the next run does not ask (no terminal, no --yes).
    const again = await cli(['run', 'Add a clamp helper with tests', '--json'], { confirm: undefined });
    assert.equal(again.code, 0, again.err);
    const s = RunStatusSchema.parse(JSON.parse(again.out));
    assert.equal(s.branches[0]!.verdict, 'approve');

    const list = await cli(['status', '--json']);
    assert.equal(list.code, 0);
    assert.deepEqual(RunListSchema.parse(JSON.parse(list.out)).runs.map((x) => x.status), ['finished', 'finished']);
    const one = await cli(['status', run!]);
    assert.match(one.out, new RegExp(`^run ${run}: finished`));
    const clean = await cli(['clean', run!]);
    assert.equal(clean.code, 0);
    assert.equal(clean.out.match(/^removed /gm)?.length, 2, clean.out);
    assert.equal(git(h.root, 'rev-list', '--count', `main..llmgenie/${run}/add-a-clamp-helper-with-tests`), '2', 'branches stay');
  });

  it('asks before the check command runs: no terminal and no --yes is one line and exit 2; "no" runs without the check', async () => {
    h = await startHarness({}, { accept: false });
    const refused = await cli(['run', 'Add a clamp helper with tests'], { confirm: undefined });
    assert.equal(refused.code, 2);
    assert.equal(refused.out, '');
    assert.match(refused.err, /^llmgenie agents run: the workspace's check command "node --test" has not been accepted here yet: run again with --yes to accept it \(it runs in the agents' worktrees\)\n$/);
    assert.deepEqual(RunListSchema.parse(JSON.parse((await cli(['status', '--json'])).out)).runs, [], 'no run was started');
    const declined = await cli(['run', 'Add a clamp helper with tests', '--json'], { confirm: false });
    assert.equal(declined.code, 0, declined.err);
    assert.match(declined.err, /not accepted; the coder's work is committed without running "node --test"/);
    const s = RunStatusSchema.parse(JSON.parse(declined.out));
    const coder = readFileSync(runPaths(h.root, s.run).journal, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)).find((l) => l.t === 'msg' && l.m.topic === 'result' && l.m.payload.role === 'coder');
    assert.equal(coder.m.payload.output.check.status, 'skipped');
    const asked = await cli(['run', 'Add a clamp helper with tests', '--json'], { confirm: true });
    assert.equal(asked.code, 0);
    const again = await cli(['run', 'Add a slugify helper with tests', '--json'], { confirm: undefined });
    assert.equal(again.code, 0, 'accepted at the prompt: remembered');
  });

  it('bad input is one line and exit 2, never a stack trace', async () => {
    h = await startHarness();
    const cases: Array<[string[], RegExp, string?]> = [
      [['run'], /^llmgenie agents run: a task is required/],
      [['run', 'x', '--task', ' '], /^llmgenie agents run: a task is empty/],
      [['run', 'x', '--parallel', '0', '--yes'], /^llmgenie agents run: --parallel takes a whole number 1-16, got "0"/],
      [['run', 'x', '--min-score', 'lots', '--yes'], /^llmgenie agents run: --min-score takes a whole number 0-100/],
      [['run', 'x', '--bus', 'http://example.com', '--yes'], /^llmgenie agents run: bus must be "embedded" or a redis:\/\/ URL, not a http: URL/],
      [['run', 'x', '--frobnicate'], /^llmgenie agents run: Unknown option '--frobnicate'/],
      [['run', 'x', '--yes'], /is not inside a git repository: agents work on branches of one/, '/'],
      [['status', 'nope'], /^llmgenie agents status: no agent run "nope" in this workspace/],
      [['resume'], /^llmgenie agents resume: the run to resume is required/],
      [['resume', 'nope'], /^llmgenie agents resume: no agent run "nope"/],
      [['cancel', 'nope'], /^llmgenie agents cancel: no agent run "nope"/],
      [['clean', 'nope'], /^llmgenie agents clean: run nope has no worktree manifest/],
    ];
    for (const [args, re, cwd] of cases) {
      const r = await cli(args, cwd ? { cwd } : {});
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
      assert.match(r.err, re, `${args.join(' ')}: ${r.err}`);
      assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace');
    }
    const unreachable = await cli(['run', 'x', '--bus', 'redis://127.0.0.1:1', '--workspace', 'demo', '--yes']);
    assert.equal(unreachable.code, 2);
    assert.equal(unreachable.err.match(/cannot reach Redis/g)?.length, 1, unreachable.err);
    assert.equal(unreachable.err.split('\n').filter(Boolean).length, 1, unreachable.err);
  });

  it('kill -9 of the CLI process mid-run, then "agents resume" finishes it with no step done twice', async () => {
    h = await startHarness({ latencyMs: 150 });
    const child = spawn(process.execPath, ['--import', TSX, MAIN, 'agents', 'run', ...TASKS, '--parallel', '2', '--yes'], { cwd: h.root, env: { ...process.env, ...h.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise((r) => child.once('exit', r));
    // Kill once some steps are recorded and others are not: after the first librarian result.
    const t0 = Date.now();
    let run = '';
    let journal = '';
    for (;;) {
      run ||= /^run (\S+) /m.exec(out)?.[1] ?? '';
      journal = run && existsSync(runPaths(h.root, run).journal) ? readFileSync(runPaths(h.root, run).journal, 'utf8') : '';
      if (/"topic":"result"[^\n]*"role":"librarian"/.test(journal)) break;
      assert.ok(Date.now() - t0 < 60_000 && child.exitCode === null, `the run never got to a librarian result:\n${out}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGKILL');
    await exited;
    const results = (text: string) => text.split('\n').filter(Boolean).map((l) => JSON.parse(l)).filter((l) => l.t === 'msg' && l.m.topic === 'result').map((l) => l.m.key.step as string);
    const doneBefore = results(readFileSync(runPaths(h.root, run).journal, 'utf8'));
    assert.ok(doneBefore.length >= 3 && doneBefore.length < 8, `killed mid-run (${doneBefore.join(', ')})`);
    const callsOf = (step: string) => {
      const [slug, role, round] = step.split('/');
      return h!.script.calls.filter((c) => c.role === role && c.round === Number(round) && slug!.includes(/slug/.test(c.task) ? 'slugify' : 'clamp')).length;
    };
    const modelCallsBefore = new Map(doneBefore.filter((s) => !s.includes('/policy/')).map((s) => [s, callsOf(s)]));

    const status = await cli(['status', run]);
    assert.match(status.out, new RegExp(`^run ${run}: interrupted`), status.out);
    assert.match(status.out, /agents resume/);

    const resumed = await cli(['resume', run, '--yes']);
    assert.equal(resumed.code, 0, resumed.err + resumed.out);
    assert.match(resumed.out, new RegExp(`run ${run}: finished`));
    assert.match(resumed.out, new RegExp(`^resuming run ${run}: ${doneBefore.length} step\\(s\\) already done are not run again`));
    for (const step of doneBefore) {
      const [slug, role] = step.split('/');
      assert.doesNotMatch(resumed.out, new RegExp(`${slug}: ${role} (started|done)\\n`), `${step} is not reported as run again`);
    }
    const after = results(readFileSync(runPaths(h.root, run).journal, 'utf8'));
    assert.equal(after.length, 8, 'four steps per branch');
    assert.equal(new Set(after).size, after.length, 'every step has exactly one result');
    for (const [step, n] of modelCallsBefore) assert.equal(callsOf(step), n, `${step} was not run again`);
    for (const slug of ['add-a-clamp-helper-with-tests', 'add-a-slugify-helper-with-tests']) {
      const branch = `llmgenie/${run}/${slug}`;
      assert.deepEqual(git(h.root, 'log', '--format=%s', `main..${branch}`).split('\n').map((s) => s.replace(/ .*/, '')), ['Handoff', 'Add'], `${branch}: one coder commit, one package commit`);
    }
  });
});
