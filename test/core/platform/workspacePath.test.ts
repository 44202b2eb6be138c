import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { nodeFileSystem } from '../../../src/core/platform/fileSystem';
import { confineWorkspaceArgument, confineWorkspacePath, resolveWorkspaceArgument, WorkspacePathError, WorkspaceSettingError } from '../../../src/core/platform/workspacePath';
import { recordDecision, readDecisions } from '../../../src/core/sessions/decisionLog';
import { openSession } from '../../../src/core/sessions/store';
import { listSessions } from '../../../src/core/sessions/read';
import { LessonStore } from '../../../src/core/lessons/store';
import { MemoryFileSystem } from '../../support/memoryFileSystem';
import { hostileDisk, type HostileDisk } from '../../support/hostileWorkspace';

const S = 'llmgenie.decisionLog.path';

function refused(setting: string, why: RegExp) {
  return (e: unknown) => e instanceof WorkspaceSettingError && e.setting === setting && e.message.startsWith(setting) && why.test(e.message) && !e.message.includes('\n');
}

describe('confineWorkspacePath: paths a workspace configures stay inside it by real path', () => {
  let d: HostileDisk;
  beforeEach(() => (d = hostileDisk()));
  afterEach(() => d.remove());
  const confine = (value: string, expect: 'file' | 'directory' = 'file') => confineWorkspacePath(nodeFileSystem, d.root, value, { setting: S, expect });

  it('accepts relative and absolute paths inside, existing or not yet', async () => {
    d.write('docs/decision-log.md', '# Decision log\n');
    assert.equal(await confine('docs/decision-log.md'), `${d.root}/docs/decision-log.md`);
    assert.equal(await confine('./notes/new/log.md'), `${d.root}/notes/new/log.md`);
    assert.equal(await confine(`${d.root}/docs/decision-log.md`), `${d.root}/docs/decision-log.md`);
    d.link('docs/alias.md', `${d.root}/docs/decision-log.md`); // a link that stays inside is fine
    assert.equal(await confine('docs/alias.md'), `${d.root}/docs/alias.md`);
    assert.equal(await confine('docs', 'directory'), `${d.root}/docs`);
  });

  it('refuses the attack cases: home, absolute outside, ../, symlinked file, symlinked parent, dangling link', async () => {
    d.link('docs/decision-log.md', `${d.home}/.profile`);
    d.link('linked', `${d.home}/elsewhere`);
    d.link('docs/dangling.md', `${d.home}/not-yet/.bashrc`);
    const cases: Array<[string, RegExp]> = [
      ['~/.bashrc', /home folder/],
      [`${d.home}/.bashrc`, /outside the workspace/],
      ['../home/.bashrc', /outside the workspace/],
      ['docs/../../home/.bashrc', /outside the workspace/],
      ['docs/decision-log.md', /symbolic link/],
      ['linked/decision-log.md', /symbolic link/], // parent chain, tail does not exist yet
      ['linked/deeper/still/log.md', /symbolic link/],
      ['docs/dangling.md', /link to nothing/],
      ['/proc/self/status', /outside the workspace/],
      ['docs/x\0.md', /NUL/],
      ['', /empty/],
    ];
    for (const [value, why] of cases) await assert.rejects(confine(value), refused(S, why), value);
    assert.equal(readFileSync(`${d.home}/.profile`, 'utf8'), '# profile\n');
  });

  it('refuses targets that are not a regular file or folder (a FIFO would block every read)', async () => {
    d.fifo('docs/decision-log.md');
    await assert.rejects(confine('docs/decision-log.md'), refused(S, /not a regular file/));
    d.write('docs/file.md', 'x');
    await assert.rejects(confine('docs/file.md', 'directory'), refused(S, /is a file, not a folder/));
    await assert.rejects(confine('docs/file.md/below.md'), refused(S, /under a file/));
    await assert.rejects(confine('docs'), refused(S, /is a folder, not a file/));
  });

  it('without links (in memory) the check is lexical and still refuses outside paths', async () => {
    const fs = new MemoryFileSystem({ '/ws/docs/a.md': 'x' });
    assert.equal(await confineWorkspacePath(fs, '/ws', 'docs/a.md', { setting: S, expect: 'file' }), '/ws/docs/a.md');
    await assert.rejects(confineWorkspacePath(fs, '/ws', '/etc/passwd', { setting: S, expect: 'file' }), refused(S, /outside/));
    await assert.rejects(confineWorkspacePath(fs, '/ws', '../x', { setting: S, expect: 'file' }), refused(S, /outside/));
  });
});

describe('core writers and readers refuse configured paths outside the workspace', () => {
  let d: HostileDisk;
  beforeEach(() => (d = hostileDisk()));
  afterEach(() => d.remove());
  const clock = { now: () => new Date('2025-03-20T09:30:00.000Z') };

  it('recordDecision never appends to ~/.bashrc or through docs/decision-log.md -> ~/.profile; readDecisions never reads them', async () => {
    d.link('docs/decision-log.md', `${d.home}/.profile`);
    for (const path of [`${d.home}/.bashrc`, '../home/.bashrc', 'docs/decision-log.md']) {
      await assert.rejects(recordDecision(nodeFileSystem, clock, { root: d.root, path }, { title: 't', decision: 'echo pwned', context: '' }), refused(S, /./));
      await assert.rejects(readDecisions(nodeFileSystem, { root: d.root, path }), refused(S, /./));
    }
    assert.equal(readFileSync(`${d.home}/.bashrc`, 'utf8'), '# bashrc\n');
    assert.equal(readFileSync(`${d.home}/.profile`, 'utf8'), '# profile\n');
  });

  it('openSession and the session readers refuse a sessions folder outside, symlinked out or under /proc', async () => {
    d.link('.llmgenie', `${d.home}/elsewhere`);
    for (const dir of ['../home/elsewhere', `${d.home}/elsewhere`, '.llmgenie/sessions', '/proc/self', '/proc/self/fd']) {
      await assert.rejects(openSession(nodeFileSystem, clock, { root: d.root, dir, host: 'cli' }), refused('llmgenie.sessions.directory', /./), dir);
      await assert.rejects(listSessions(nodeFileSystem, d.root, dir), refused('llmgenie.sessions.directory', /./), dir);
    }
  });

  it('LessonStore refuses lessons.dir / lessons.docsDir outside or symlinked out, for reading and adding', async () => {
    d.write(`../home/elsewhere/2025-01-01-outside.md`, '---\ntitle: Outside\n---\nbody\n');
    d.link('docs/lessons', `${d.home}/elsewhere`);
    const cases: Array<[Partial<{ dir: string; docsDir: string }>, string]> = [
      [{ dir: `${d.home}/elsewhere` }, 'llmgenie.lessons.dir'],
      [{ dir: `${d.root}/../home/elsewhere` }, 'llmgenie.lessons.dir'],
      [{ dir: `${d.root}/docs/lessons` }, 'llmgenie.lessons.dir'],
      [{ dir: `${d.root}/kb`, docsDir: d.home }, 'llmgenie.lessons.docsDir'],
    ];
    for (const [folders, setting] of cases) {
      const store = new LessonStore({ fs: nodeFileSystem, root: d.root, ...folders });
      await assert.rejects(store.load(), refused(setting, /outside|symbolic link/), JSON.stringify(folders));
      await assert.rejects(store.add({ title: 'Leak', body: 'x' }), refused(setting, /outside|symbolic link/));
      assert.equal(store.size, 0);
    }
  });
});

describe('confineWorkspaceArgument: the one check for path arguments (MCP tools, read_file, the coder, feedback)', () => {
  let d: HostileDisk;
  beforeEach(() => (d = hostileDisk()));
  afterEach(() => d.remove());
  const realpath = async (p: string) => (await import('node:fs')).promises.realpath(p);

  it('refuses absolute, home, drive, NUL, over-long and climbing paths in one line, lexically', async () => {
    for (const bad of ['/etc/passwd', '~/.ssh/id_rsa', 'C:/Windows', 'c:\\x', '..', '../x', 'a/../../b', 'x\0y', 'a'.repeat(5000)])
      await assert.rejects(confineWorkspaceArgument('/ws', bad), (e: unknown) => e instanceof WorkspacePathError && !e.message.includes('\n'), JSON.stringify(bad.slice(0, 20)));
    assert.deepEqual(await confineWorkspaceArgument('/ws', 'src//a/../b.ts'), { path: '/ws/src/b.ts' });
    assert.equal(resolveWorkspaceArgument('/ws', '.'), '/ws');
  });

  it('by real path: a link out is refused (existing target or a file about to be created under it), a link inside is read through its real path', async () => {
    d.write('src/a.ts', 'x');
    d.link('out', d.home);
    d.link('in', `${d.root}/src`);
    const c = (p: string) => confineWorkspaceArgument(d.root, p, { realpath, what: 'path' });
    for (const p of ['out', 'out/.bashrc', 'out/new/file.md'])
      await assert.rejects(c(p), (e: unknown) => e instanceof WorkspacePathError && e.message === `path "${p}" leads outside the workspace (symbolic link)`);
    const inside = await c('in/a.ts');
    assert.equal(inside.path, `${d.root}/in/a.ts`);
    assert.equal(inside.real, `${(await realpath(d.root)).replace(/\\/g, '/')}/src/a.ts`);
    assert.deepEqual(await c('in/new.ts'), { path: `${d.root}/in/new.ts` }, 'not there yet: its folder was checked');
  });
});
