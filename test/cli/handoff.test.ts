import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { createHandoffCommands } from '../../src/cli/commands/handoff';
import { CliError, UsageError } from '../../src/cli/command';
import { runCli } from '../../src/cli/main';
import type { CliCommand } from '../../src/cli/command';
import type { GitRunner } from '../../src/core/platform/git';
import { nodeFileSystem } from '../../src/core/platform/fileSystem';
import type { SessionEventInput } from '../../src/core/sessions/sink';
import { MemoryFileSystem } from '../support/memoryFileSystem';
import { fakeCliIO } from '../support/cliIO';

const FIXTURES = resolve('test/fixtures/handoff/workspace').replace(/\\/g, '/');

function fakeIO(cwd: string) {
  return fakeCliIO(cwd);
}

function command(cmds: CliCommand[], word: string): CliCommand {
  const c = cmds.find((x) => x.words[1] === word);
  assert.ok(c);
  return c;
}

async function exitOf(p: Promise<number>): Promise<number> {
  try {
    return await p;
  } catch (e) {
    assert.ok(e instanceof CliError, `commands throw CliError only, got ${String(e)}`);
    assert.ok(!e.message.split('\n')[0].includes('    at '), 'no stack trace');
    return e.exitCode;
  }
}

describe('llmgenie handoff validate', () => {
  const events: SessionEventInput[] = [];
  const cmds = createHandoffCommands({ fs: nodeFileSystem, sink: { append: async (e) => void events.push(e) } });
  const validate = command(cmds, 'validate');

  it('exits 0 for a complete package and prints the score', async () => {
    const io = fakeIO(FIXTURES);
    assert.equal(await validate.run(['docs/handoff/complete'], io), 0);
    assert.match(io.stdout, /^docs\/handoff\/complete\/HANDOFF\.md: score 100\/100, PASSED \(minimum 70\)/);
    assert.deepEqual(events.at(-1), {
      type: 'handoff',
      payload: { path: 'docs/handoff/complete/HANDOFF.md', score: 100, passed: true, gaps: 0, action: 'validate' },
    });
  });

  it('exits 1 for a failing package and lists gaps with line numbers', async () => {
    const io = fakeIO(FIXTURES);
    assert.equal(await validate.run(['docs/handoff/broken'], io), 1);
    assert.match(io.stdout, /FAILED/);
    assert.match(io.stdout, /docs\/handoff\/broken\/HANDOFF\.md:14: error missing-file: listed file does not exist: src\/billing\/reminders\.ts \(-5\)/);
    assert.match(io.stdout, /:16: warning duplicate-file: /);
    assert.match(io.stdout, /\d+ errors, \d+ warnings; 4 files listed, 3 found, 2 control questions\n$/);
  });

  it('--json prints the result object', async () => {
    const io = fakeIO(FIXTURES);
    assert.equal(await validate.run(['docs/handoff/broken/HANDOFF.md', '--json'], io), 1);
    const r = JSON.parse(io.stdout);
    assert.equal(r.passed, false);
    assert.equal(r.file, 'docs/handoff/broken/HANDOFF.md');
    assert.ok(r.score >= 0 && r.score <= 100);
    const missing = r.gaps.find((g: { id: string }) => g.id === 'missing-file');
    assert.deepEqual(Object.keys(missing).sort(), ['cost', 'fix', 'id', 'line', 'message', 'severity']);
    assert.equal(r.document, undefined, 'the parse tree stays out of the CI output');
    assert.equal(r.files.length, 4);
  });

  it('--min-score raises the bar: exit 1 though there are no errors', async () => {
    const ws = new MemoryFileSystem();
    const complete = await nodeFileSystem.readText(`${FIXTURES}/docs/handoff/complete/HANDOFF.md`);
    ws.files.set('/w/h/HANDOFF.md', complete.replace(/## Scope[\s\S]*?(?=## Control)/, ''));
    for (const f of ['src/billing/invoice.sql', 'src/billing/rates.json', 'config/billing.yaml', 'docs/architecture.md', 'migrations/001_invoices.sql', 'notes/runbook.md']) {
      ws.files.set(`/w/${f}`, 'x');
    }
    const v = command(createHandoffCommands({ fs: ws }), 'validate');
    assert.equal(await v.run(['h'], fakeIO('/w')), 0);
    assert.equal(await v.run(['h', '--min-score', '95'], fakeIO('/w')), 1);
  });

  it('exits 2 with one line for unreadable input', async () => {
    for (const target of ['docs/handoff/missing', 'src', 'src/billing/rates.json']) {
      await assert.rejects(validate.run([target], fakeIO(FIXTURES)), (e: CliError) => {
        assert.equal(e.exitCode, 2);
        assert.ok(!e.message.includes('\n'), e.message);
        assert.ok(e.message.includes(target), e.message);
        return true;
      });
    }
  });

  it('exits 2 for usage errors and a bad config file', async () => {
    for (const args of [[], ['a', 'b'], ['x', '--min-score', '101'], ['x', '--min-score', 'high'], ['x', '--bogus']]) {
      assert.equal(await exitOf(validate.run(args, fakeIO(FIXTURES))), 2, args.join(' '));
    }
    await assert.rejects(validate.run([], fakeIO(FIXTURES)), UsageError);
    for (const argv of [['handoff', 'validate'], ['handoff', 'create', 'extra']]) {
      const io = fakeIO(FIXTURES);
      assert.equal(await runCli(argv, io, cmds), 2);
      assert.equal(io.stderr.match(/Usage:/g)?.length, 1, io.stderr);
      assert.equal(io.stderr.match(/llmgenie handoff (validate PATH|create \[)/g)?.length, 1, io.stderr);
    }
    const fs = new MemoryFileSystem({ '/w/.llmgenie/handoff.json': '{"minScore": "high"}', '/w/h/HANDOFF.md': '## Files\n' });
    await assert.rejects(command(createHandoffCommands({ fs }), 'validate').run(['h'], fakeIO('/w')), (e: CliError) => {
      assert.equal(e.exitCode, 2);
      assert.match(e.message, /^\.llmgenie\/handoff\.json: minScore: /);
      return true;
    });
  });
});

describe('llmgenie handoff create', () => {
  const git: GitRunner = async (args) => {
    const key = args.join(' ');
    if (key.startsWith('status')) {
      return ['src/a.ts', 'src/b.ts', 'src/c.ts', 'docs/x.md', 'docs/handoff/old/HANDOFF.md'].map((f) => ` M ${f}`).join('\0') + '\0?? test/a.test.ts\0';
    }
    if (key === 'rev-parse --show-prefix') return '\n';
    if (key === 'rev-parse --abbrev-ref HEAD') return 'feature/login\n';
    if (key === 'config user.name') return 'Anna\n';
    throw new Error(`unexpected git ${key}`);
  };
  const files = ['src/a.ts', 'src/b.ts', 'src/c.ts', 'docs/x.md', 'test/a.test.ts', 'docs/handoff/old/HANDOFF.md'];
  const setup = () => new MemoryFileSystem(Object.fromEntries(files.map((f) => [`/w/${f}`, 'x'])));
  const clock = { now: () => new Date('2025-03-14T09:00:00Z') };

  it('writes a draft from git changes that then validates without errors', async () => {
    const fs = setup();
    const events: SessionEventInput[] = [];
    const cmds = createHandoffCommands({ fs, git, clock, sink: { append: async (e) => void events.push(e) } });
    const io = fakeIO('/w');
    assert.equal(await command(cmds, 'create').run(['--to', 'Boris'], io), 0);
    const path = '/w/docs/handoff/2025-03-14-feature-login/HANDOFF.md';
    const text = fs.files.get(path);
    assert.ok(text, io.stdout);
    assert.match(text, /^---\ntitle: feature\/login\nfrom: Anna\nto: Boris\ncreated: 2025-03-14\nbranch: feature\/login\n---/);
    assert.ok(!text.includes('docs/handoff/old'), 'other handoff packages are not listed as touched files');
    assert.match(io.stdout, /^created docs\/handoff\/2025-03-14-feature-login\/HANDOFF\.md \(5 files\); draft score \d+\/100/);
    assert.equal(events[0].type, 'handoff');
    assert.equal(events[0].type === 'handoff' && events[0].payload.action, 'create');

    // Five existing files collected; control questions cannot be guessed without decisions, so they stay TODO.
    const vio = fakeIO('/w');
    assert.equal(await command(cmds, 'validate').run(['docs/handoff/2025-03-14-feature-login', '--json'], vio), 1);
    const errors = JSON.parse(vio.stdout).gaps.filter((g: { severity: string }) => g.severity === 'error');
    assert.deepEqual(errors.map((g: { id: string }) => g.id), ['too-few-questions']);
  });

  it('takes control questions from --question, so the draft passes', async () => {
    const fs = setup();
    const cmds = createHandoffCommands({ fs, git, clock });
    const qs = ['Where is login? — src/a.ts', 'What is tested? -- the form', 'Who reviews? — Boris'];
    assert.equal(await command(cmds, 'create').run(['--name', 'q', ...qs.flatMap((q) => ['--question', q])], fakeIO('/w')), 0);
    const vio = fakeIO('/w');
    assert.equal(await command(cmds, 'validate').run(['docs/handoff/q', '--json'], vio), 0, vio.stdout);
    const r = JSON.parse(vio.stdout);
    assert.deepEqual(r.gaps.filter((g: { severity: string }) => g.severity === 'error'), []);
    assert.ok(r.score >= 70);
  });

  it('refuses to overwrite without --force, and validates --name', async () => {
    const fs = setup();
    const create = command(createHandoffCommands({ fs, git, clock }), 'create');
    assert.equal(await create.run(['--name', 'n1', '--title', 'T'], fakeIO('/w')), 0);
    assert.equal(await exitOf(create.run(['--name', 'n1'], fakeIO('/w'))), 2);
    assert.equal(await create.run(['--name', 'n1', '--force', '--file', 'extra.md'], fakeIO('/w')), 0);
    assert.match(fs.files.get('/w/docs/handoff/n1/HANDOFF.md')!, /`extra\.md`/);
    for (const bad of ['../up', 'a/b', '..']) assert.equal(await exitOf(create.run(['--name', bad], fakeIO('/w'))), 2, bad);
  });

  it("leaves llmgenie's own session logs, caches and binary files out of the package", async () => {
    const own = ['.llmgenie/sessions/20260101-100000000-abc123.jsonl', '.llmgenie/cache/lessons.json', 'img/shot.png', 'src/a.ts'];
    const fs = new MemoryFileSystem(Object.fromEntries(own.map((f) => [`/w/${f}`, 'x'])));
    const ownGit: GitRunner = async (args) => (args[0] === 'status' ? own.map((f) => `?? ${f}\0`).join('') : '');
    const io = fakeIO('/w');
    assert.equal(await command(createHandoffCommands({ fs, git: ownGit, clock }), 'create').run(['--name', 'own'], io), 0);
    assert.match(io.stdout, /^created docs\/handoff\/own\/HANDOFF\.md \(1 file\)/);
    const text = fs.files.get('/w/docs/handoff/own/HANDOFF.md')!;
    assert.match(text, /`src\/a\.ts`/);
    assert.doesNotMatch(text, /\.llmgenie|shot\.png/);
  });

  it('still drafts outside a git work tree, saying why nothing was collected', async () => {
    const fs = new MemoryFileSystem();
    const noGit: GitRunner = async () => {
      throw new Error('fatal: not a git repository');
    };
    const io = fakeIO('/w');
    assert.equal(await command(createHandoffCommands({ fs, git: noGit, clock }), 'create').run([], io), 0);
    assert.match(io.stderr, /not a git repository/);
    assert.ok(fs.files.has('/w/docs/handoff/2025-03-14-handoff/HANDOFF.md'));
  });
});
