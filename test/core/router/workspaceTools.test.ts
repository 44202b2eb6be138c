import { strict as assert } from 'node:assert';
import { workspaceTools } from '../../../src/core/router/workspaceTools';
import { runToolCall } from '../../../src/core/router/tools';
import { MemoryFileSystem } from '../../support/memoryFileSystem';

describe('workspaceTools: the tools a routed task gets, one factory for editor, CLI and MCP', () => {
  const fs = new MemoryFileSystem({ '/w/src/a.ts': 'export const a = 1;\n', '/other/secret.txt': 'no' });

  it('offers read_file confined to the folder, and search_lessons only with a lessons index', async () => {
    assert.deepEqual(workspaceTools({ fs, root: '/w' }).map((t) => t.name), ['read_file']);
    const tools = workspaceTools({ fs, root: '/w', lessons: async () => [{ id: 'x', title: 'Keep cents', snippet: 'integer cents', score: 1 }] });
    assert.deepEqual(tools.map((t) => t.name), ['read_file', 'search_lessons']);
    const read = await runToolCall(tools, { id: '1', name: 'read_file', input: { path: 'src/a.ts' } });
    assert.match(read.content, /export const a = 1/);
    const out = await runToolCall(tools, { id: '2', name: 'read_file', input: { path: '../other/secret.txt' } });
    assert.equal(out.isError, true);
    const hits = await runToolCall(tools, { id: '3', name: 'search_lessons', input: { query: 'cents' } });
    assert.match(hits.content, /Keep cents/);
  });
});
