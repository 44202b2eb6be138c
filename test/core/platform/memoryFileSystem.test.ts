import assert from 'node:assert/strict';
import { walkFiles } from '../../../src/core/platform/fileSystem';
import { MemoryFileSystem } from '../../support/memoryFileSystem';

describe('walkFiles', () => {
  it('yields accepted files in a stable order and skips node_modules', async () => {
    const fs = new MemoryFileSystem({ '/w/b.mdc': '', '/w/a/c.mdc': '', '/w/node_modules/x.mdc': '', '/w/d.txt': '' });
    const seen: string[] = [];
    for await (const f of walkFiles(fs, '/w', (p) => p.endsWith('.mdc'))) seen.push(f);
    assert.deepEqual(seen.sort(), ['/w/a/c.mdc', '/w/b.mdc']);
  });
});
