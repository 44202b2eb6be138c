import assert from 'node:assert/strict';
import { createPolicyEngine } from '../../../src/core/policy/engine';
import { MemoryFileSystem } from '../../support/memoryFileSystem';

describe('policy/checkTree cancellation', () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 200; i++) files[`/r/src/f${String(i).padStart(3, '0')}.ts`] = `export const x${i} = ${i};\n`;
  const engine = createPolicyEngine();

  it('stops reading files once the signal aborts and rejects with its reason', async () => {
    const fs = new MemoryFileSystem(files);
    const controller = new AbortController();
    let done = 0;
    await assert.rejects(
      engine.checkTree(fs, '/r', undefined, {
        concurrency: 4,
        signal: controller.signal,
        onProgress: (n) => {
          done = n;
          if (n === 10) controller.abort(new Error('cancelled by the user'));
        },
      }),
      /cancelled by the user/,
    );
    assert.ok(done >= 10 && done < 20, `stopped early, after ${done} files`);
  });

  it('rejects at once when already aborted, and runs to the end without a signal', async () => {
    const fs = new MemoryFileSystem(files);
    await assert.rejects(engine.checkTree(fs, '/r', undefined, { signal: AbortSignal.abort() }), { name: 'AbortError' });
    const r = await engine.checkTree(fs, '/r', undefined, { signal: new AbortController().signal });
    assert.equal(r.files, 200);
  });
});
