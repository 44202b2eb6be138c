import assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeFileSystem } from '../../../src/core/platform/fileSystem';

const posixModes = process.platform !== 'win32';

describe('nodeFileSystem.writeText', () => {
  let dir: string;
  beforeEach(async () => {
    dir = (await fsp.mkdtemp(join(tmpdir(), 'llmgenie-fs-'))).replace(/\\/g, '/');
  });
  afterEach(async () => {
    await fsp.rm(dir, { recursive: true, force: true });
  });

  it('keeps the permissions of the file it replaces', async function () {
    if (!posixModes) this.skip();
    const file = `${dir}/token`;
    await fsp.writeFile(file, 'old');
    await fsp.chmod(file, 0o600);
    await nodeFileSystem.writeText(file, 'new');
    assert.equal(await fsp.readFile(file, 'utf8'), 'new');
    assert.equal((await fsp.stat(file)).mode & 0o777, 0o600);
  });

  it('creates a new file and its folders', async () => {
    const file = `${dir}/a/b/c.txt`;
    await nodeFileSystem.writeText(file, 'x');
    assert.equal(await fsp.readFile(file, 'utf8'), 'x');
    assert.deepEqual(await fsp.readdir(`${dir}/a/b`), ['c.txt']);
  });

  it('removes its temp file and rethrows when the rename fails', async () => {
    const target = `${dir}/folder`;
    await fsp.mkdir(target);
    await fsp.writeFile(`${target}/inside`, 'keep');
    await assert.rejects(nodeFileSystem.writeText(target, 'x'), (e: NodeJS.ErrnoException) => typeof e.code === 'string');
    assert.deepEqual(await fsp.readdir(dir), ['folder']);
    assert.equal(await fsp.readFile(`${target}/inside`, 'utf8'), 'keep');
  });
});
