import assert from 'node:assert/strict';
import { FileLockTimeout, withFileLock } from '../../../src/core/platform/fileLock';
import { MemoryFileSystem } from '../../support/memoryFileSystem';

describe('platform/fileLock', () => {
  it('runs critical sections one at a time and removes the lock afterwards, also when one throws', async () => {
    const fs = new MemoryFileSystem();
    let inside = 0;
    let most = 0;
    const section = async (fail: boolean) => {
      inside++;
      most = Math.max(most, inside);
      await new Promise((r) => setTimeout(r, 3));
      inside--;
      if (fail) throw new Error('boom');
      return 'ok';
    };
    const results = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => withFileLock(fs, '/w/f.lock', () => section(i % 4 === 0))));
    assert.equal(most, 1);
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 9);
    assert.equal(await fs.stat('/w/f.lock'), undefined);
  });

  it('takes over a lock abandoned by a dead holder, and gives up with one line on a live one held too long', async () => {
    const fs = new MemoryFileSystem();
    await fs.createText('/w/f.lock', `${Date.now() - 60_000} pid 1\n`);
    assert.equal(await withFileLock(fs, '/w/f.lock', async () => 7, { staleMs: 10_000 }), 7);
    await fs.createText('/w/f.lock', `${Date.now()} pid 2\n`);
    await assert.rejects(withFileLock(fs, '/w/f.lock', async () => 8, { staleMs: 60_000, waitMs: 30 }), (e: unknown) => e instanceof FileLockTimeout && /locked for over 0 s; try again$/.test(e.message));
  });
});
