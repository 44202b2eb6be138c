import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FEEDBACK_PATH } from '../../../src/core/router/feedback';

const WRITER = join(__dirname, '../../support/feedbackWriter.ts');

function run(args: string[]): Promise<{ code: number | null; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => resolve({ code, err }));
  });
}

describe('router/feedback: processes appending while others compact (real file system)', function () {
  this.timeout(120_000);
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'llmgenie-feedback-')).replace(/\\/g, '/');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('8 processes × 60 appends with compaction every few lines: each writer keeps an unbroken newest run, no torn line, no lock left', async () => {
    const writers = 8;
    const count = 60;
    const results = await Promise.all(Array.from({ length: writers }, (_, w) => run([root, `w${w}`, String(count)])));
    for (const r of results) assert.equal(r.code, 0, r.err);
    const lines = readFileSync(join(root, FEEDBACK_PATH), 'utf8').split('\n').filter(Boolean);
    const byWriter = new Map<string, number[]>();
    for (const line of lines) {
      const rec = JSON.parse(line) as { taskId: string };
      const [w, i] = rec.taskId.split('-');
      byWriter.set(w!, [...(byWriter.get(w!) ?? []), Number(i)]);
    }
    // Compaction keeps the newest lines of the file; a writer's lines are in the file in its own order. So what is
    // left of each writer is a run that ends at its last record: a hole means a line appended during a rewrite was lost.
    for (const [w, seen] of byWriter) {
      const expected = Array.from({ length: count - seen[0]! }, (_, k) => seen[0]! + k);
      assert.deepEqual(seen, expected, `writer ${w} lost lines: ${seen.join(',')}`);
    }
    assert.ok(lines.length >= 40 && lines.length <= 80 + writers, `${lines.length} lines after compaction`);
    assert.equal(existsSync(join(root, `${FEEDBACK_PATH}.lock`)), false);
  });
});
