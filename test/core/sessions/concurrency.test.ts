import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../../../src/core/platform/clock';
import { nodeFileSystem } from '../../../src/core/platform/fileSystem';
import { listSessions, readSession } from '../../../src/core/sessions/read';
import { openSession } from '../../../src/core/sessions/store';

describe('concurrent appends (real file system)', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'llmgenie-sessions-')).replace(/\\/g, '/');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const big = (who: string, i: number) => ({ type: 'note' as const, payload: { message: `${who}-${i}-${'x'.repeat(4000 + (i % 7) * 1000)}` } });

  it('two stores in one folder: every line is whole, valid JSON, and nothing is lost', async () => {
    const [a, b] = await Promise.all([
      openSession(nodeFileSystem, systemClock, { root, host: 'editor' }),
      openSession(nodeFileSystem, systemClock, { root, host: 'cli' }),
    ]);
    assert.notEqual(a.sessionId, b.sessionId);
    const n = 200;
    await Promise.all(Array.from({ length: n }, (_, i) => [a.append(big('a', i)), b.append(big('b', i))]).flat());
    const list = await listSessions(nodeFileSystem, root);
    assert.equal(list.length, 2);
    for (const s of [a, b]) {
      const r = await readSession(nodeFileSystem, root, s.sessionId);
      assert.deepEqual(r.warnings, []);
      assert.equal(r.events.length, n + 1);
    }
  });

  it('two stores forced onto the same file: lines never interleave', async () => {
    const fixed = { now: () => new Date('2025-03-01T10:00:00.000Z') };
    const [a, b] = await Promise.all([
      openSession(nodeFileSystem, fixed, { root, host: 'editor', randomId: () => 'same00' }),
      openSession(nodeFileSystem, fixed, { root, host: 'editor', randomId: () => 'same00' }),
    ]);
    assert.equal(a.path, b.path);
    const n = 300;
    await Promise.all(Array.from({ length: n }, (_, i) => [a.append(big('a', i)), b.append(big('b', i))]).flat());
    const dir = join(root, '.llmgenie', 'sessions');
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.jsonl')), ['20250301-100000000-same00.jsonl']); // beside its .lock
    const lines = readFileSync(join(dir, '20250301-100000000-same00.jsonl'), 'utf8').split('\n');
    assert.equal(lines.pop(), '');
    assert.equal(lines.length, 2 * n + 2);
    const seen = new Set<string>();
    for (const l of lines) {
      const e = JSON.parse(l) as { type: string; payload: { message?: string } };
      if (e.type === 'note') seen.add(e.payload.message!.split('-x')[0]);
    }
    assert.equal(seen.size, 2 * n);
  });
});
