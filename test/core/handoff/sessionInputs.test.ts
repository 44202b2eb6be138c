import assert from 'node:assert/strict';
import { collectRecentSessionInputs, collectSessionInputs } from '../../../src/core/handoff/sessionInputs';
import { recordDecision } from '../../../src/core/sessions/decisionLog';
import { openSession } from '../../../src/core/sessions/store';
import { MemoryFileSystem } from '../../support/memoryFileSystem';
import { steppingClock, task } from '../sessions/fixtures';

const root = '/ws';

function files(...paths: string[]): MemoryFileSystem {
  return new MemoryFileSystem(Object.fromEntries(paths.map((p) => [`${root}/${p}`, 'x'])));
}

describe('collectSessionInputs', () => {
  it('collects task files (newest first, relative, existing only) and decisions from recent sessions and the log', async () => {
    const fs = files('src/a.ts', 'src/b.ts', 'src/c.ts', 'docs/old.md');
    const old = await openSession(fs, steppingClock('2025-03-01T09:00:00Z'), { root, host: 'editor', randomId: () => 'old000' });
    await old.append({ type: 'task', payload: task({ files: ['docs/old.md'] }) });
    await old.append({ type: 'decision', payload: { title: 'Old decision', decision: 'long ago' } });

    const clock = steppingClock('2025-03-10T09:00:00Z');
    const s = await openSession(fs, clock, { root, host: 'editor', randomId: () => 'new000' });
    await s.append({ type: 'task', payload: task({ files: ['src/a.ts', './src/b.ts'] }) });
    await s.append({ type: 'task', payload: task({ files: [`${root}/src/c.ts`, 'src/deleted.ts', '/elsewhere/x.ts', '../up.ts'] }) });
    await s.append({ type: 'task', payload: task({ files: ['src/a.ts'] }) });
    await recordDecision(fs, clock, { root, sink: s }, { title: 'Use one transaction', context: 'imports', decision: 'All or nothing.' });
    await recordDecision(fs, steppingClock('2025-03-02T00:00:00Z'), { root }, { title: 'Logged long ago', context: '', decision: 'old' });
    await recordDecision(fs, steppingClock('2025-03-10T12:00:00Z'), { root }, { title: 'Only in the log', context: '', decision: 'Keep it.' });

    const got = await collectSessionInputs(fs, { root, since: new Date('2025-03-10T00:00:00Z') });
    assert.deepEqual(got.files, ['src/a.ts', 'src/c.ts', 'src/b.ts']);
    assert.deepEqual(got.decisions, [
      { title: 'Use one transaction', decision: 'All or nothing.', file: 'docs/decision-log.md' },
      { title: 'Only in the log', decision: 'Keep it.' },
    ]);
    assert.equal(got.sessions, 2, 'memory files carry no mtime, so both sessions are read and filtered by event time');
  });

  it('yields nothing, without failing, when there is no session log or decision log', async () => {
    const got = await collectSessionInputs(files('src/a.ts'), { root, since: new Date(0) });
    assert.deepEqual(got, { files: [], decisions: [], sessions: 0 });
  });

  it('caps the files and decisions it returns', async () => {
    const paths = Array.from({ length: 12 }, (_, i) => `src/f${i}.ts`);
    const fs = files(...paths);
    const s = await openSession(fs, steppingClock('2025-03-10T09:00:00Z'), { root, host: 'editor' });
    await s.append({ type: 'task', payload: task({ files: paths }) });
    for (let i = 0; i < 5; i++) await s.append({ type: 'decision', payload: { title: `D${i}`, decision: `d${i}` } });
    const got = await collectSessionInputs(fs, { root, since: new Date(0), maxFiles: 4, maxDecisions: 2 });
    assert.deepEqual(got.files, paths.slice(0, 4));
    assert.deepEqual(got.decisions.map((d) => d.title), ['D3', 'D4']);
  });
});

describe('collectRecentSessionInputs', () => {
  it('uses today when today touched files, and looks further back only when it did not', async () => {
    const fs = files('src/friday.ts', 'src/monday.ts');
    const friday = await openSession(fs, steppingClock('2025-03-07T16:00:00Z'), { root, host: 'editor', randomId: () => 'fri000' });
    await friday.append({ type: 'task', payload: task({ files: ['src/friday.ts'] }) });
    await friday.append({ type: 'decision', payload: { title: 'Friday call', decision: 'ship it' } });

    const monday = await collectRecentSessionInputs(fs, { root, now: new Date('2025-03-10T09:00:00Z') });
    assert.deepEqual(monday.files, ['src/friday.ts']);
    assert.deepEqual(monday.decisions.map((d) => d.title), ['Friday call']);
    assert.equal(monday.since.toISOString(), '2025-03-03T09:00:00.000Z', 'the 7-day window');

    const today = await openSession(fs, steppingClock('2025-03-10T08:00:00Z'), { root, host: 'editor', randomId: () => 'mon000' });
    await today.append({ type: 'task', payload: task({ files: ['src/monday.ts'] }) });
    const got = await collectRecentSessionInputs(fs, { root, now: new Date('2025-03-10T09:00:00Z') });
    assert.deepEqual(got.files, ['src/monday.ts']);
    assert.deepEqual(got.decisions, [], "Friday's decision is not today's work");
  });

  it('returns the widest window, empty, when no session touched files', async () => {
    const got = await collectRecentSessionInputs(files(), { root, now: new Date('2025-03-10T00:00:00Z'), lookbackDays: [1, 2] });
    assert.deepEqual([got.files, got.since.toISOString()], [[], '2025-03-08T00:00:00.000Z']);
  });
});
