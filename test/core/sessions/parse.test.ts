import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseEventLine } from '../../../src/core/sessions/events';
import { parseSessionText, readSession } from '../../../src/core/sessions/read';
import { openSession } from '../../../src/core/sessions/store';
import { MemoryFileSystem } from '../../support/memoryFileSystem';
import { steppingClock, task } from './fixtures';

const root = '/ws';
const line = (o: object) => JSON.stringify(o);
const note = (id: string, message: string) => line({ v: 1, id, time: '2025-03-01T10:00:00.000Z', type: 'note', payload: { message } });

describe('reading session lines', () => {
  it('skips a torn last line with a warning and keeps everything before it', async () => {
    const fs = new MemoryFileSystem();
    const s = await openSession(fs, steppingClock('2025-03-01T10:00:00Z'), { root, host: 'editor' });
    await s.append({ type: 'task', payload: task() });
    await s.append({ type: 'note', payload: { message: 'before crash' } });
    // A crash mid-write leaves half a line without its newline.
    const full = `${JSON.stringify({ v: 1, id: 'e4', time: '2025-03-01T10:00:09.000Z', type: 'note', payload: { message: 'lost' } })}\n`;
    await fs.appendText(s.path, full.slice(0, 40));
    const r = await readSession(fs, root, s.sessionId);
    assert.deepEqual(r.events.map((e) => e.id), ['e1', 'e2', 'e3']);
    assert.equal(r.warnings.length, 1);
    assert.equal(r.warnings[0].line, 4);
    assert.equal(r.warnings[0].file, s.relativePath);
    assert.match(r.warnings[0].message, /torn/);
    assert.equal(r.summary.warnings, 1);
  });

  it('skips a garbled middle line and keeps the lines after it', () => {
    const text = [note('e1', 'a'), '{"v":1,"id":"e2","ti\u0000me":', 'not json at all', note('e3', 'c'), ''].join('\n');
    const r = parseSessionText(text, 'f.jsonl');
    assert.deepEqual(r.events.map((e) => e.id), ['e1', 'e3']);
    assert.deepEqual(r.warnings.map((w) => w.line), [2, 3]);
    assert.doesNotMatch(r.warnings[0].message, /torn/);
    assert.match(r.warnings[0].message, /garbled/);
  });

  it('keeps unknown event types and known types with a bad payload as generic events', () => {
    const text = [
      line({ v: 1, id: 'e1', time: '2025-03-01T10:00:00.000Z', type: 'agent-step', payload: { step: 3 } }),
      line({ v: 1, id: 'e2', time: '2025-03-01T10:00:00.000Z', type: 'task', payload: { route: 'moon' } }),
      line({ v: 1, id: 'e3', time: '2025-03-01T10:00:00.000Z', type: 'task', payload: task() }),
    ].join('\r\n');
    const r = parseSessionText(text, 'f.jsonl');
    assert.deepEqual(r.events.map((e) => [e.id, e.type, e.generic ?? false]), [
      ['e1', 'agent-step', true],
      ['e2', 'task', true],
      ['e3', 'task', false],
    ]);
    assert.deepEqual(r.events[0].payload, { step: 3 });
    assert.equal(r.warnings.length, 1);
    assert.match(r.warnings[0].message, /kept as generic/);
  });

  it('keeps extra payload fields written by a newer build', () => {
    const r = parseEventLine(line({ v: 1, id: 'e1', time: '2025-03-01T10:00:00Z', type: 'note', payload: { message: 'm', extra: [1] } }));
    assert.ok(r.ok);
    if (r.ok) assert.deepEqual(r.event.payload, { message: 'm', extra: [1] });
  });

  it('rejects envelopes of another version, without an id or with a bad time', () => {
    for (const bad of [
      { v: 2, id: 'e1', time: '2025-03-01T10:00:00Z', type: 'note', payload: { message: '' } },
      { v: 1, time: '2025-03-01T10:00:00Z', type: 'note', payload: {} },
      { v: 1, id: 'e1', time: 'yesterday', type: 'note', payload: {} },
      [1, 2],
      null,
    ]) {
      assert.equal(parseEventLine(JSON.stringify(bad)).ok, false, JSON.stringify(bad));
    }
  });

  it('never throws on arbitrary garbage, and valid lines around it survive', () => {
    const garbage = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.json(),
      fc.jsonValue().map((v) => JSON.stringify({ v: 1, id: 'x', time: '2025-03-01T10:00:00Z', type: 'task', payload: v })),
      fc.constantFrom('{', '"', '{"v":1', '\u2028', '\\', '[]', 'null', '1e999'),
    );
    fc.assert(
      fc.property(fc.array(garbage, { maxLength: 20 }), (lines) => {
        const text = [note('first', 'a'), ...lines.map((l) => l.replace(/\n/g, ' ')), note('last', 'z')].join('\n');
        const r = parseSessionText(text, 'f.jsonl');
        assert.equal(r.events[0].id, 'first');
        assert.equal(r.events[r.events.length - 1].id, 'last');
        for (const e of r.events) assert.equal(typeof e.type, 'string');
      }),
      { numRuns: 300 },
    );
  });
});
