import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, promises as fsp, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import fc from 'fast-check';
import { nodeFileSystem } from '../../src/core/platform/fileSystem';
import { resolveWorkspacePath, WorkspacePathError } from '../../src/mcp/paths';
import { redactDeep } from '../../src/mcp/redact';
import { ensureMcpToken, TOKEN_FILE } from '../../src/mcp/token';
import { diskWorkspace, errorText, fakeGit, fixedClock, inProcess, removeDir, result, SECRET } from './fixture';

const isWindows = process.platform === 'win32';

describe('mcp path guard', () => {
  it('resolves workspace-relative paths and refuses everything else', () => {
    assert.equal(resolveWorkspacePath('/ws', 'src/a.ts'), '/ws/src/a.ts');
    assert.equal(resolveWorkspacePath('/ws', './src//b/../a.ts'), '/ws/src/a.ts');
    assert.equal(resolveWorkspacePath('/ws/', '.'), '/ws');
    assert.equal(resolveWorkspacePath('/ws', ''), '/ws');
    assert.equal(resolveWorkspacePath('/ws', 'src\\win\\file.ts'), '/ws/src/win/file.ts');
    for (const bad of ['/etc/passwd', 'C:/Windows', 'c:\\x', '~/secrets', '..', '../ws2/x', 'a/../../b', 'a/b/../../../c', 'x\0y', 'a'.repeat(5000)]) {
      assert.throws(() => resolveWorkspacePath('/ws', bad), WorkspacePathError, JSON.stringify(bad.slice(0, 20)));
    }
  });

  it('never yields a path outside the root, whatever the input (property)', () => {
    const seg = fc.constantFrom('..', '.', '', 'a', 'b', '...', '..a', 'a..', '\\..', '~', 'C:', '/');
    fc.assert(
      fc.property(fc.array(seg, { maxLength: 8 }).map((s) => s.join('/')), (input) => {
        let out: string;
        try {
          out = resolveWorkspacePath('/ws', input);
        } catch (e) {
          assert.ok(e instanceof WorkspacePathError);
          return;
        }
        assert.ok(out === '/ws' || out.startsWith('/ws/'), `${input} → ${out}`);
        assert.equal(posix.normalize(out), out);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('mcp secret masking', () => {
  it('redactDeep masks every string in nested results and counts them', () => {
    const { value, count } = redactDeep({ a: [SECRET, { b: `x ${SECRET} y`, n: 3, t: true, z: null }], c: 'clean' });
    assert.equal(count, 2);
    assert.ok(!JSON.stringify(value).includes(SECRET));
    assert.equal(value.c, 'clean');
    assert.equal((value.a[1] as { n: number }).n, 3);
  });
});

describe('mcp on a real disk', () => {
  let dir: string;
  beforeEach(() => (dir = diskWorkspace()));
  afterEach(() => removeDir(dir));

  (isWindows ? it.skip : it)('refuses a symlink inside the workspace that points outside it', async () => {
    const outside = diskWorkspace();
    try {
      symlinkSync(outside, join(dir, 'escape'));
      symlinkSync(join(dir, 'src'), join(dir, 'inside'));
      const realpath = async (p: string) => (await fsp.realpath(p)).replace(/\\/g, '/');
      const s = await inProcess({ root: dir, fs: nodeFileSystem, clock: fixedClock, git: fakeGit, realpath });
      try {
        assert.match(errorText(await s.call('check_policy', { path: 'escape/src' })), /leads outside the workspace \(symbolic link\)/);
        assert.match(errorText(await s.call('validate_handoff', { path: 'escape/docs/handoff/billing' })), /leads outside the workspace/);
        assert.match(errorText(await s.call('create_handoff', { name: 'x', files: ['escape/src/billing.ts'] })), /leads outside the workspace/);
        const ok = result<{ summary: { files: number } }>(await s.call('check_policy', { path: 'inside' }));
        assert.equal(ok.summary.files, 2);
      } finally {
        await s.close();
      }
    } finally {
      removeDir(outside);
    }
  });

  (isWindows ? it.skip : it)('ensureMcpToken creates a 0600 token once, reuses it, tightens a loose mode, replaces a malformed one', async () => {
    const first = await ensureMcpToken(dir);
    assert.equal(first.created, true);
    assert.equal(first.file, `${dir}/${TOKEN_FILE}`);
    assert.match(first.token, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(statSync(first.file).mode & 0o777, 0o600);
    assert.equal(readFileSync(join(dir, '.llmgenie/.gitignore'), 'utf8'), 'mcp-token\n', 'the token is kept out of git');
    const again = await ensureMcpToken(dir);
    assert.deepEqual(again, { ...first, created: false });
    chmodSync(first.file, 0o644);
    await ensureMcpToken(dir);
    assert.equal(statSync(first.file).mode & 0o777, 0o600);
    writeFileSync(first.file, 'short\n');
    const replaced = await ensureMcpToken(dir);
    assert.equal(replaced.created, true);
    assert.notEqual(replaced.token, first.token);
    assert.equal(readFileSync(first.file, 'utf8'), `${replaced.token}\n`);
    assert.equal(readFileSync(join(dir, '.llmgenie/.gitignore'), 'utf8'), 'mcp-token\n', 'listed once');
  });

  it('adds the token to an existing .llmgenie/.gitignore without touching its lines', async () => {
    mkdirSync(join(dir, '.llmgenie'), { recursive: true });
    writeFileSync(join(dir, '.llmgenie/.gitignore'), 'cache/\nembeddings.json');
    await ensureMcpToken(dir);
    assert.equal(readFileSync(join(dir, '.llmgenie/.gitignore'), 'utf8'), 'cache/\nembeddings.json\nmcp-token\n');
  });

  it('ensureMcpToken fails loudly when .llmgenie cannot hold the file', async () => {
    mkdirSync(join(dir, 'nested'));
    writeFileSync(join(dir, 'nested', '.llmgenie'), 'a file where the folder should be');
    await assert.rejects(ensureMcpToken(join(dir, 'nested')), /ENOTDIR|EEXIST/);
  });
});
