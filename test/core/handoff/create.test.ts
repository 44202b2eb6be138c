import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DEFAULT_HANDOFF_CONFIG } from '../../../src/core/handoff/config';
import { createHandoffDraft, handoffCandidateFiles, HandoffCreateError, splitQuestion } from '../../../src/core/handoff/create';
import type { GitRunner } from '../../../src/core/platform/git';
import { MemoryFileSystem } from '../../support/memoryFileSystem';

const changed = [
  'src/a.ts',
  '.llmgenie/sessions/20260101-100000000-abc123.jsonl',
  '.llmgenie/cache/index.json',
  '.llmgenie/mcp-token',
  'docs/handoff/old/HANDOFF.md',
  'assets/logo.png',
  'data/blob.dat',
  'README.md',
];

const git = (files: readonly string[]): GitRunner => async (args) => {
  const key = args.join(' ');
  if (key.startsWith('status')) return files.map((f) => `?? ${f}\0`).join('');
  if (key === 'rev-parse --show-prefix') return '\n';
  if (key === 'rev-parse --abbrev-ref HEAD') return 'feature/x\n';
  if (key === 'config user.name') return 'Anna\n';
  throw new Error(`fatal: bad revision '${args.at(-1)}'`);
};

function workspace(): MemoryFileSystem {
  const fs = new MemoryFileSystem(Object.fromEntries(changed.map((f) => [`/w/${f}`, 'text'])));
  fs.files.set('/w/data/blob.dat', 'a\u0000b');
  return fs;
}

const now = new Date('2026-01-02T09:00:00Z');

describe('createHandoffDraft', () => {
  it('lists changed work files only: not llmgenie state, other packages or binaries', async () => {
    const fs = workspace();
    const r = await createHandoffDraft({ fs, root: '/w', config: DEFAULT_HANDOFF_CONFIG, git: git(changed), now, files: ['notes.md', 'src/a.ts'] });
    assert.deepEqual(r.files, ['notes.md', 'src/a.ts', 'README.md']);
    assert.equal(r.name, '2026-01-02-feature-x');
    assert.equal(r.file, '/w/docs/handoff/2026-01-02-feature-x/HANDOFF.md');
    assert.equal(fs.files.get(r.file), r.text);
    assert.doesNotMatch(r.text, /\.llmgenie|logo\.png|blob\.dat|docs\/handoff\/old/);
    assert.match(r.text, /^---\ntitle: feature\/x\nfrom: Anna\n/);
    assert.equal(r.report.files.length, 3);
  });

  it('refuses an existing package unless asked to overwrite, and reports a failing base', async () => {
    const fs = workspace();
    const input = { fs, root: '/w', config: DEFAULT_HANDOFF_CONFIG, git: git(changed), now, name: 'p' };
    await createHandoffDraft(input);
    await assert.rejects(createHandoffDraft(input), (e: HandoffCreateError) => e.code === 'exists' && e.file === '/w/docs/handoff/p/HANDOFF.md');
    await createHandoffDraft({ ...input, overwrite: true, title: 'Again' });
    assert.match(fs.files.get('/w/docs/handoff/p/HANDOFF.md')!, /title: Again/);
    await assert.rejects(createHandoffDraft({ ...input, name: 'q', base: 'nope' }), (e: HandoffCreateError) => e.code === 'git' && /^git: fatal: bad revision/.test(e.message));
  });

  it('keeps only text files when sniffing, and a custom package folder is left out', async () => {
    const fs = workspace();
    const kept = await handoffCandidateFiles(fs, '/w', { ...DEFAULT_HANDOFF_CONFIG, directory: './handoffs/' }, ['handoffs/a/HANDOFF.md', 'docs/handoff/old/HANDOFF.md', 'missing.txt']);
    assert.deepEqual(kept, ['docs/handoff/old/HANDOFF.md', 'missing.txt']);
  });
});

describe('splitQuestion', () => {
  it('splits "question — answer" on a spaced dash and trims both parts', () => {
    assert.deepEqual(splitQuestion(' Where? — src/a.ts '), { question: 'Where?', answer: 'src/a.ts' });
    assert.deepEqual(splitQuestion('What is tested? -- the form'), { question: 'What is tested?', answer: 'the form' });
    assert.deepEqual(splitQuestion('a-b–c'), { question: 'a-b–c' });
    fc.assert(fc.property(fc.string(), (s) => typeof splitQuestion(s).question === 'string'));
  });
});
