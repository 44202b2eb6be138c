import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  readFileTool,
  resolveInWorkspace,
  runToolCall,
  searchLessonsTool,
  toAnthropicTools,
  toOllamaTools,
} from '../../../src/core/router/tools';
import { MemoryFileSystem } from '../../support/memoryFileSystem';

describe('router/tools', () => {
  const fs = new MemoryFileSystem({ '/ws/src/a.ts': 'const a = 1;', '/ws/big.txt': 'x'.repeat(100) });
  const read = readFileTool({ fs, root: '/ws', maxChars: 40 });
  const lessons = searchLessonsTool(async () => []);

  it('one zod definition becomes both wire formats', () => {
    const [o] = toOllamaTools([read]);
    const [a] = toAnthropicTools([read]);
    const schema = { type: 'object', properties: { path: { type: 'string', minLength: 1, description: read.input.shape.path.description } }, required: ['path'] };
    assert.deepEqual(o, { type: 'function', function: { name: 'read_file', description: read.description, parameters: schema } });
    assert.deepEqual(a, { name: 'read_file', description: read.description, input_schema: schema });
    const [l] = toAnthropicTools([lessons]);
    assert.deepEqual((l!.input_schema as { required: string[] }).required, ['query']);
  });

  it('resolves workspace-relative paths and refuses escapes', () => {
    assert.equal(resolveInWorkspace('/ws', 'src/a.ts'), '/ws/src/a.ts');
    assert.equal(resolveInWorkspace('/ws/', './src//b/../a.ts'), '/ws/src/a.ts');
    assert.equal(resolveInWorkspace('/ws', 'src\\a.ts'), '/ws/src/a.ts');
    for (const bad of ['../x', 'src/../../x', '/etc/passwd', 'C:/Windows/x', '', '.', 'a/\0b'])
      assert.equal(resolveInWorkspace('/ws', bad), undefined, bad);
    fc.assert(
      fc.property(fc.string(), (p) => {
        const r = resolveInWorkspace('/ws', p);
        assert.ok(r === undefined || r.startsWith('/ws/'));
      }),
    );
  });

  it('read_file reads, caps size, and returns errors as tool errors', async () => {
    assert.deepEqual(await runToolCall([read], { id: '1', name: 'read_file', input: { path: 'src/a.ts' } }), { content: 'const a = 1;', isError: false });
    const big = await runToolCall([read], { id: '2', name: 'read_file', input: { path: 'big.txt' } });
    assert.match(big.content, /^x{40}\n\[\.\.\. truncated: big\.txt has 100 characters, showing the first 40\]$/);
    assert.deepEqual(await runToolCall([read], { id: '3', name: 'read_file', input: { path: 'nope.ts' } }), { content: 'no such file: nope.ts', isError: true });
    assert.deepEqual(await runToolCall([read], { id: '4', name: 'read_file', input: { path: 'src' } }), { content: 'src is a directory', isError: true });
    assert.equal((await runToolCall([read], { id: '5', name: 'read_file', input: { path: '../../etc/passwd' } })).isError, true);
  });

  it('unknown tools and invalid input come back as readable errors', async () => {
    assert.deepEqual(await runToolCall([read], { id: '1', name: 'rm_rf', input: {} }), { content: 'unknown tool "rm_rf"; available: read_file', isError: true });
    const bad = await runToolCall([read], { id: '2', name: 'read_file', input: { path: 42 } });
    assert.equal(bad.isError, true);
    assert.match(bad.content, /^invalid input for read_file: path:/);
  });

  it('search_lessons formats hits and says when nothing matches', async () => {
    const t = searchLessonsTool(async (q, n) => (q === 'none' ? [] : [{ id: 'L1', title: `t${n}` }, { id: 'L2', title: 'u', snippet: 's' }]));
    assert.equal((await runToolCall([t], { id: '1', name: 'search_lessons', input: { query: 'retry' } })).content, '- [L1] t5\n- [L2] u: s');
    assert.equal((await runToolCall([t], { id: '2', name: 'search_lessons', input: { query: 'none' } })).content, 'no lessons match "none"');
  });
});
