import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, promises as fsp, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import fc from 'fast-check';
import { nodeFileSystem } from '../../src/core/platform/fileSystem';
import { resolveWorkspaceArgument as resolveWorkspacePath, WorkspacePathError } from '../../src/core/platform/workspacePath';
import { redactDeep } from '../../src/mcp/redact';
import { ensureMcpToken } from '../../src/mcp/token';
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

  (isWindows ? it.skip : it)('ensureMcpToken keeps a 0600 token in the user state folder: once, reused, tightened, a malformed one replaced', async () => {
    const env = { LLMGENIE_STATE_DIR: `${dir}-state` };
    try {
      const first = await ensureMcpToken(dir, env);
      assert.equal(first.created, true);
      assert.ok(first.file.startsWith(`${dir}-state/mcp-tokens/`), first.file);
      assert.match(first.token, /^[A-Za-z0-9_-]{43}$/);
      assert.equal(statSync(first.file).mode & 0o777, 0o600);
      assert.equal(statSync(`${dir}-state/mcp-tokens`).mode & 0o777, 0o700);
      const again = await ensureMcpToken(dir, env);
      assert.deepEqual(again, { ...first, created: false });
      chmodSync(first.file, 0o644);
      await ensureMcpToken(dir, env);
      assert.equal(statSync(first.file).mode & 0o777, 0o600);
      writeFileSync(first.file, 'short\n');
      const replaced = await ensureMcpToken(dir, env);
      assert.equal(replaced.created, true);
      assert.notEqual(replaced.token, first.token);
      assert.equal(readFileSync(first.file, 'utf8'), `${replaced.token}\n`);
      // Another workspace gets its own token.
      const other = diskWorkspace();
      assert.notEqual((await ensureMcpToken(other, env)).token, replaced.token);
      removeDir(other);
    } finally {
      removeDir(`${dir}-state`);
    }
  });

  (isWindows ? it.skip : it)('a token shipped in the repository is never used, and nothing is written into or through .llmgenie', async () => {
    const env = { LLMGENIE_STATE_DIR: `${dir}-state` };
    const shipped = 'attacker-known-token-0123456789abcdefghijklmnop';
    const outside = `${dir}-outside`;
    mkdirSync(join(dir, '.llmgenie'), { recursive: true });
    mkdirSync(outside);
    writeFileSync(join(dir, '.llmgenie/mcp-token'), `${shipped}\n`);
    writeFileSync(join(outside, 'target'), 'untouched\n');
    symlinkSync(join(outside, 'target'), join(dir, '.llmgenie/.gitignore'));
    try {
      const t = await ensureMcpToken(dir, env);
      assert.notEqual(t.token, shipped);
      assert.equal(readFileSync(join(outside, 'target'), 'utf8'), 'untouched\n');
      assert.equal(readFileSync(join(dir, '.llmgenie/mcp-token'), 'utf8'), `${shipped}\n`);
    } finally {
      removeDir(outside);
      removeDir(`${dir}-state`);
    }
  });

  it('ensureMcpToken fails loudly when the state folder cannot hold the file', async () => {
    writeFileSync(join(dir, 'state-file'), 'a file where the folder should be');
    await assert.rejects(ensureMcpToken(dir, { LLMGENIE_STATE_DIR: join(dir, 'state-file') }), /ENOTDIR|EEXIST/);
  });
});
