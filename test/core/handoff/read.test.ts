import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { HANDOFF_CONFIG_PATH, loadHandoffConfig, resolveHandoffConfig } from '../../../src/core/handoff/config';
import { HandoffConfigError, HandoffReadError } from '../../../src/core/handoff/errors';
import { validateHandoffPath } from '../../../src/core/handoff/read';
import { nodeFileSystem } from '../../../src/core/platform/fileSystem';
import type { DirEntry, FileStat, FileSystem } from '../../../src/core/platform/fileSystem';
import { MemoryFileSystem } from '../../support/memoryFileSystem';
import { buildPackage, PARTS, ROOT, workspace } from './packages';

// Mocha runs from the repository root.
const FIXTURES = resolve('test/fixtures/handoff/workspace').replace(/\\/g, '/');

async function readError(p: Promise<unknown>, code: HandoffReadError['code']): Promise<HandoffReadError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof HandoffReadError, String(e));
    assert.equal(e.code, code);
    assert.ok(!e.message.includes('\n'));
    return e;
  }
  assert.fail(`expected ${code}`);
}

/** Serves raw bytes for one path, for inputs MemoryFileSystem (text-only) cannot hold. */
function withBytes(base: MemoryFileSystem, path: string, bytes: Uint8Array): FileSystem {
  return {
    ...base,
    readText: (p) => base.readText(p),
    readDir: (p): Promise<DirEntry[]> => base.readDir(p),
    remove: (p) => base.remove(p),
    writeText: (p, t) => base.writeText(p, t),
    appendText: (p, t) => base.appendText(p, t),
    createText: (p, t) => base.createText(p, t),
    readBytes: async (p) => (p === path ? bytes : base.readBytes(p)),
    stat: async (p): Promise<FileStat | undefined> => (p === path ? { kind: 'file', size: bytes.length, mtimeMs: 0 } : base.stat(p)),
  };
}

describe('validateHandoffPath', () => {
  it('accepts the package folder or its HANDOFF.md, relative or absolute', async () => {
    const fs = workspace();
    fs.files.set(`${ROOT}/docs/handoff/x/HANDOFF.md`, buildPackage(PARTS));
    for (const p of ['docs/handoff/x', 'docs/handoff/x/', 'docs/handoff/x/HANDOFF.md', `${ROOT}/docs/handoff/x`]) {
      const r = await validateHandoffPath(fs, ROOT, p);
      assert.equal(r.file, `${ROOT}/docs/handoff/x/HANDOFF.md`, p);
      assert.equal(r.passed, true);
    }
  });

  it('finds a lower-case handoff.md in a folder', async () => {
    const fs = workspace();
    fs.files.set(`${ROOT}/h/handoff.md`, buildPackage(PARTS));
    assert.equal((await validateHandoffPath(fs, ROOT, 'h')).file, `${ROOT}/h/handoff.md`);
  });

  it('validates the fixture packages on disk', async () => {
    const complete = await validateHandoffPath(nodeFileSystem, FIXTURES, 'docs/handoff/complete');
    assert.equal(complete.score, 100);
    assert.equal(complete.passed, true);
    const ru = await validateHandoffPath(nodeFileSystem, FIXTURES, 'docs/handoff/ru');
    assert.equal(ru.passed, true);
    const broken = await validateHandoffPath(nodeFileSystem, FIXTURES, 'docs/handoff/broken/HANDOFF.md');
    assert.equal(broken.passed, false);
    const ids = new Set(broken.gaps.map((g) => g.id));
    for (const id of ['too-few-files', 'missing-file', 'too-few-questions', 'short-prompt', 'duplicate-file', 'unanswered-question', 'missing-decisions', 'missing-context']) {
      assert.ok(ids.has(id as never), `broken fixture reports ${id}`);
    }
    assert.ok(broken.score < 60, `broken score ${broken.score}`);
  });

  describe('unreadable input is a typed one-line error', () => {
    it('no such path', () => readError(validateHandoffPath(workspace(), ROOT, 'nope'), 'not-found'));
    it('a folder without HANDOFF.md', () => readError(validateHandoffPath(workspace(), ROOT, 'src'), 'no-handoff-file'));
    it('binary bytes', () => {
      const fs = withBytes(workspace(), `${ROOT}/bin.md`, new Uint8Array([0x23, 0x00, 0xff, 0x10]));
      return readError(validateHandoffPath(fs, ROOT, 'bin.md'), 'binary');
    });
    it('invalid UTF-8', () => {
      const fs = withBytes(workspace(), `${ROOT}/latin1.md`, new Uint8Array([0x23, 0x23, 0x20, 0xc0, 0xc1, 0x0a]));
      return readError(validateHandoffPath(fs, ROOT, 'latin1.md'), 'binary');
    });
    it('a markdown file that is not a handoff, naming the path', async () => {
      const fs = workspace();
      fs.files.set(`${ROOT}/README.md`, '# Readme\n\n## Usage\n');
      const e = await readError(validateHandoffPath(fs, ROOT, 'README.md'), 'not-a-handoff');
      assert.match(e.message, /^README\.md: /);
    });
    it('malformed front matter keeps its line', async () => {
      const fs = workspace();
      fs.files.set(`${ROOT}/h/HANDOFF.md`, '---\ntitle: "unterminated\n---\n## Files\n');
      const e = await readError(validateHandoffPath(fs, ROOT, 'h'), 'malformed-front-matter');
      assert.ok(e.line !== undefined);
    });
  });
});

describe('handoff config', () => {
  it('defaults when the file is absent, overlays what the file sets', async () => {
    assert.equal((await loadHandoffConfig(new MemoryFileSystem(), ROOT)).minScore, 70);
    const fs = new MemoryFileSystem({ [`${ROOT}/${HANDOFF_CONFIG_PATH}`]: '{"minScore": 80, "weights": {"missingScope": 1}}' });
    const c = await loadHandoffConfig(fs, ROOT);
    assert.equal(c.minScore, 80);
    assert.equal(c.weights.missingScope, 1);
    assert.equal(c.weights.missingPrompt, 25, 'unset weights keep their defaults');
  });

  it('rejects bad files with one line naming the key', async () => {
    const bad = async (text: string, pattern: RegExp): Promise<void> => {
      const fs = new MemoryFileSystem({ [`${ROOT}/${HANDOFF_CONFIG_PATH}`]: text });
      await assert.rejects(loadHandoffConfig(fs, ROOT), (e: Error) => e instanceof HandoffConfigError && pattern.test(e.message) && !e.message.includes('\n'));
    };
    await bad('{"minScore": 120}', /minScore/);
    await bad('{"weights": {"missingPromt": 3}}', /weights/);
    await bad('{"directory": "../elsewhere"}', /directory/);
    await bad('{not json', /not valid JSON/);
  });

  it('lets editor settings override the file, key by key', async () => {
    const fs = new MemoryFileSystem({ [`${ROOT}/${HANDOFF_CONFIG_PATH}`]: '{"minScore": 80, "weights": {"missingScope": 1, "missingLessons": 2}}' });
    const c = await loadHandoffConfig(fs, ROOT, { minFiles: 3, weights: { missingScope: 9 } });
    assert.deepEqual([c.minScore, c.minFiles, c.weights.missingScope, c.weights.missingLessons], [80, 3, 9, 2]);
    await assert.rejects(loadHandoffConfig(fs, ROOT, { minScore: 'x' }), /^HandoffConfigError: settings: minScore/);
  });

  it('validates editor settings the same way', () => {
    assert.throws(() => resolveHandoffConfig({ minFiles: -1 }), HandoffConfigError);
    assert.equal(resolveHandoffConfig({ directory: 'handoffs\\' }).directory, 'handoffs');
  });
});
