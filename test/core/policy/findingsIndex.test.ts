import assert from 'node:assert/strict';
import fc from 'fast-check';
import { FindingsIndex } from '../../../src/core/policy/findingsIndex';

describe('policy/FindingsIndex', () => {
  it('shows live findings over scanned ones while a document is open', () => {
    const ix = new FindingsIndex<string>();
    const touched = ix.replaceScan('a/', ['a/1', 'a/2'], new Map([['a/1', ['scan-1']]]));
    assert.deepEqual(touched, ['a/1']);
    ix.setLive('a/1', ['live-1', 'live-2']);
    assert.deepEqual(ix.get('a/1'), ['live-1', 'live-2']);
    ix.setLive('a/1', []);
    assert.deepEqual(ix.get('a/1'), [], 'a fixed open document shows nothing, whatever the scan said');
    assert.deepEqual([...ix.entries()], []);
  });

  it('closing a scanned document asks for a disk re-check; an unscanned one is simply cleared', () => {
    const ix = new FindingsIndex<string>();
    ix.replaceScan('a/', ['a/1'], new Map());
    ix.setLive('a/1', ['live']);
    ix.setLive('b/9', ['live']);
    assert.equal(ix.closeLive('a/1'), true);
    assert.equal(ix.closeLive('b/9'), false);
    assert.deepEqual(ix.get('b/9'), []);
    ix.setScanned('a/1', ['disk']);
    assert.deepEqual(ix.get('a/1'), ['disk']);
    ix.setScanned('a/1', []);
    assert.equal(ix.isScanned('a/1'), true);
    assert.deepEqual(ix.get('a/1'), []);
  });

  it('a new scan of one folder replaces only that folder and reports what it touched', () => {
    const ix = new FindingsIndex<string>();
    ix.replaceScan('a/', ['a/1', 'a/2'], new Map([['a/1', ['x']], ['a/2', ['y']]]));
    ix.replaceScan('b/', ['b/1'], new Map([['b/1', ['z']]]));
    const touched = ix.replaceScan('a/', ['a/2', 'a/3'], new Map([['a/3', ['w']]]));
    assert.deepEqual(touched.sort(), ['a/1', 'a/2', 'a/3']);
    assert.deepEqual(Object.fromEntries(ix.entries()), { 'a/3': ['w'], 'b/1': ['z'] });
    assert.equal(ix.isScanned('a/1'), false);
    assert.equal(ix.isScanned('a/2'), true);
    assert.deepEqual(ix.clear('b/').sort(), ['b/1']);
    assert.deepEqual(Object.fromEntries(ix.entries()), { 'a/3': ['w'] });
  });

  it('entries always equal get() for every key, whatever the sequence of operations', () => {
    const key = fc.constantFrom('a/1', 'a/2', 'b/1');
    const list = fc.array(fc.constantFrom('f', 'g'), { maxLength: 2 });
    const op = fc.oneof(
      fc.record({ k: fc.constant('live' as const), key, list }),
      fc.record({ k: fc.constant('close' as const), key }),
      fc.record({ k: fc.constant('disk' as const), key, list }),
      fc.record({ k: fc.constant('scan' as const), prefix: fc.constantFrom('a/', 'b/'), list, key }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), (ops) => {
        const ix = new FindingsIndex<string>();
        for (const o of ops) {
          if (o.k === 'live') ix.setLive(o.key, o.list);
          else if (o.k === 'close') ix.closeLive(o.key);
          else if (o.k === 'disk') ix.setScanned(o.key, o.list);
          else ix.replaceScan(o.prefix, o.key.startsWith(o.prefix) ? [o.key] : [], new Map(o.key.startsWith(o.prefix) ? [[o.key, o.list]] : []));
        }
        const shown = Object.fromEntries(ix.entries());
        for (const k of ['a/1', 'a/2', 'b/1']) assert.deepEqual(shown[k] ?? [], ix.get(k));
      }),
    );
  });
});
