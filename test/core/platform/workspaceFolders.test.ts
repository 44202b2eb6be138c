import assert from 'node:assert/strict';
import { folderForRecord, folderHolding } from '../../../src/core/platform/workspaceFolders';

describe('workspace folders', () => {
  const roots = ['/work/api', '/work/web', '/work/api/packages/client'];

  it('finds the folder holding a file, the innermost when folders nest', () => {
    assert.equal(folderHolding(roots, '/work/web/src/app.ts'), '/work/web');
    assert.equal(folderHolding(roots, '/work/api/src/server.ts'), '/work/api');
    assert.equal(folderHolding(roots, '/work/api/packages/client/index.ts'), '/work/api/packages/client');
  });

  it('a folder holds itself; a sibling whose name starts the same does not', () => {
    assert.equal(folderHolding(roots, '/work/web'), '/work/web');
    assert.equal(folderHolding(roots, '/work/web/'), '/work/web');
    assert.equal(folderHolding(roots, '/work/webapp/main.ts'), undefined);
    assert.equal(folderHolding(roots, '/elsewhere/main.ts'), undefined);
  });

  it('accepts Windows separators and returns the root as given', () => {
    assert.equal(folderHolding(['C:/work/api', 'C:/work/web'], 'C:\\work\\web\\src\\app.ts'), 'C:/work/web');
    assert.equal(folderHolding(['C:\\work\\api\\'], 'C:/work/api/x.ts'), 'C:\\work\\api\\');
  });

  it('a filesystem root holds everything', () => {
    assert.equal(folderHolding(['/'], '/etc/hosts'), '/');
  });

  it('a record about no file, or a file outside every folder, belongs to the first folder', () => {
    assert.equal(folderForRecord(roots, '/work/web/src/app.ts'), '/work/web');
    assert.equal(folderForRecord(roots, undefined), '/work/api');
    assert.equal(folderForRecord(roots, '/tmp/untitled.ts'), '/work/api');
    assert.equal(folderForRecord([], '/work/web/src/app.ts'), undefined);
  });
});
