// Validate a handoff package listing 50 files: in memory (parse + rules) and on disk (plus 50 real stats).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { validateHandoffPath } from '../src/core/handoff/read';
import { validateHandoffText } from '../src/core/handoff/validate';
import { nodeFileSystem } from '../src/core/platform/fileSystem';
import { MemoryFileSystem } from '../test/support/memoryFileSystem';
import type { Emit } from './run';
import { percentile } from '../src/core/analytics/percentile';

const FILES = 50;
const RUNS = 400;
const WARMUP = 40;
const TARGET_MS = 20;

const paths = Array.from({ length: FILES }, (_, i) => `src/module${i % 7}/file${i}.ts`);

function packageText(): string {
  const questions = Array.from({ length: 8 }, (_, i) => `${i + 1}. What does module ${i} own? — The part ${i} of the import.`);
  return [
    '---',
    'title: Bench package',
    'from: A',
    'to: B',
    'created: 2025-03-14',
    '---',
    '# Bench package',
    '',
    '## Startup prompt',
    '',
    'Continue the import. '.repeat(20),
    '',
    '## Files',
    '',
    ...paths.map((p, i) => `- \`${p}\` — why file ${i} matters for the import, with a note of typical length`),
    '',
    '## Technical context',
    '',
    ...Array.from({ length: 20 }, (_, i) => `- Detail ${i}: \`code\` and prose of a realistic line length for context.`),
    '',
    '## Lessons learned',
    '',
    '- Keep money in integer cents.',
    '',
    '## Scope',
    '',
    '- In: import. Out: export.',
    '',
    '## Control questions',
    '',
    ...questions,
    '',
    '## Decisions',
    '',
    '- One transaction per import.',
    '',
  ].join('\n');
}


async function measure(fn: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < WARMUP; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return { p50: round(percentile(times, 50)), p95: round(percentile(times, 95)) };
}

export async function run(emit: Emit): Promise<void> {
  const text = packageText();

  const memory = new MemoryFileSystem(Object.fromEntries(paths.map((p) => [`/ws/${p}`, 'x'])));
  const check = await validateHandoffText(text, { fs: memory, root: '/ws' });
  if (check.score !== 100 || check.files.length !== FILES) throw new Error(`bench package is not clean: ${JSON.stringify(check.gaps)}`);
  const mem = await measure(() => validateHandoffText(text, { fs: memory, root: '/ws' }));
  for (const [p, v] of Object.entries(mem)) {
    emit({ bench: 'handoff', metric: `validate_50_files_memory_${p}_ms`, value: v, unit: 'ms', target: TARGET_MS, pass: v <= TARGET_MS });
  }

  const root = mkdtempSync(join(tmpdir(), 'llmgenie-handoff-bench-')).replace(/\\/g, '/');
  try {
    for (const p of paths) {
      mkdirSync(dirname(join(root, p)), { recursive: true });
      writeFileSync(join(root, p), 'x');
    }
    mkdirSync(join(root, 'docs/handoff/bench'), { recursive: true });
    writeFileSync(join(root, 'docs/handoff/bench/HANDOFF.md'), text);
    const disk = await measure(() => validateHandoffPath(nodeFileSystem, root, 'docs/handoff/bench'));
    for (const [p, v] of Object.entries(disk)) {
      emit({ bench: 'handoff', metric: `validate_50_files_disk_${p}_ms`, value: v, unit: 'ms', target: TARGET_MS, pass: v <= TARGET_MS });
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
