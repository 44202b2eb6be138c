import assert from 'node:assert/strict';
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeFileSystem, type FileSystem } from '../../../src/core/platform/fileSystem';
import {
  nodeFileAccess,
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
    assert.match(big.content, /^x{40}\n\[\.\.\. truncated: big\.txt has 100 bytes, showing the first 40 characters\]$/);
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

  describe('read_file on a real disk', () => {
    let dir: string;
    let outside: string;
    let root: string;
    const reads: string[] = [];
    // Counts whole-file reads, to show large files are read by their head only.
    const fs: FileSystem = { ...nodeFileSystem, readBytes: (p) => (reads.push(p), nodeFileSystem.readBytes(p)) };
    const call = (path: string, maxChars?: number) =>
      runToolCall([readFileTool({ fs, root, ...nodeFileAccess, ...(maxChars ? { maxChars } : {}) })], { id: '1', name: 'read_file', input: { path } });

    before(() => {
      dir = realpathSync(mkdtempSync(join(tmpdir(), 'llmgenie-read-')));
      root = `${dir.replace(/\\/g, '/')}/ws`;
      outside = join(dir, 'outside');
      mkdirSync(join(root, 'src'), { recursive: true });
      mkdirSync(outside);
      writeFileSync(join(outside, 'host.txt'), 'secret-host\n');
      writeFileSync(join(root, 'src/a.ts'), 'export const a = 1;\n');
      writeFileSync(join(root, 'pic.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]));
      writeFileSync(join(root, 'big.txt'), `${'é'.repeat(10)}${'y'.repeat(1024 * 1024)}`);
      symlinkSync(join(outside, 'host.txt'), join(root, 'host.txt'));
      symlinkSync(outside, join(root, 'out'));
      symlinkSync(join(root, 'src/a.ts'), join(root, 'inner.ts'));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('refuses symlinks that lead outside the workspace, files and folders alike', async () => {
      for (const p of ['host.txt', 'out/host.txt']) {
        const r = await call(p);
        assert.deepEqual(r, { content: `refused: "${p}" leads outside the workspace (symbolic link)`, isError: true });
      }
      // Without the guard the same call escapes: the reason the caller must pass it.
      const lexical = await runToolCall([readFileTool({ fs, root })], { id: '1', name: 'read_file', input: { path: 'host.txt' } });
      assert.equal(lexical.content, 'secret-host\n');
    });

    it('follows symlinks that stay inside, and reports missing files plainly', async () => {
      assert.deepEqual(await call('inner.ts'), { content: 'export const a = 1;\n', isError: false });
      assert.deepEqual(await call('src/a.ts'), { content: 'export const a = 1;\n', isError: false });
      assert.deepEqual(await call('src/none.ts'), { content: 'no such file: src/none.ts', isError: true });
    });

    it('does not read binary files', async () => {
      assert.deepEqual(await call('pic.png'), { content: 'pic.png: binary file, not read', isError: true });
    });

    it('reads only the head of a large file and says it was cut', async () => {
      reads.length = 0;
      const r = await call('big.txt', 100);
      assert.equal(r.isError, false);
      assert.equal(r.content, `${'é'.repeat(10)}${'y'.repeat(90)}\n[... truncated: big.txt has ${1024 * 1024 + 20} bytes, showing the first 100 characters]`);
      assert.deepEqual(reads, []);
    });
  });
});
