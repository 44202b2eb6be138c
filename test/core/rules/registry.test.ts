import assert from 'node:assert/strict';
import { loadRules, idFromFileName } from '../../../src/core/rules/registry';
import { parseManifest } from '../../../src/core/rules/manifest';
import { generateManifest } from '../../../src/core/rules/generateManifest';
import { manifestJsonSchema } from '../../../src/core/rules/manifestJsonSchema';
import { MemoryFileSystem } from '../../support/memoryFileSystem';
import { readFileSync } from 'node:fs';

const rule = (desc: string, globs = '**/*.ts') => `---\ndescription: ${desc}\nglobs: ${globs}\nalwaysApply: false\n---\nBody\n`;
const manifest = (rules: object[]) => JSON.stringify({ version: 1, rules }, null, 2);

describe('rules registry', () => {
  it('joins rule files with their manifest entries', async () => {
    const fs = new MemoryFileSystem({
      '/w/.cursor/rules/009-branch.mdc': rule('Branch policy'),
      '/w/.cursor/rules/sub/001-logging.mdc': rule('Logging'),
      '/w/rules_manifest.json': manifest([
        { id: '009', name: 'branch', file: '.cursor/rules/009-branch.mdc', kind: 'branch', severity: 'warning' },
        { id: '001', name: 'logging', file: '.cursor/rules/sub/001-logging.mdc', kind: 'logging', severity: 'warning', enforce: { pack: 'logging' } },
      ]),
    });
    const r = await loadRules(fs, '/w');
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.rules.map((x) => [x.id, x.relPath, x.entry?.kind]), [
      ['009', '.cursor/rules/009-branch.mdc', 'branch'],
      ['001', '.cursor/rules/sub/001-logging.mdc', 'logging'],
    ]);
  });

  it('checks the manifest against the files both ways', async () => {
    const fs = new MemoryFileSystem({
      '/w/.cursor/rules/a.mdc': rule('A'),
      '/w/.cursor/rules/b.mdc': rule('B'),
      '/w/.cursor/rules_manifest.json': manifest([
        { id: '1', name: 'a', file: '.cursor/rules/a.mdc', kind: 'style' },
        { id: '1', name: 'gone', file: '.cursor/rules/gone.mdc', kind: 'other' },
      ]),
    });
    const r = await loadRules(fs, '/w');
    const text = await fs.readText('/w/.cursor/rules_manifest.json');
    const codes = r.problems.map((p) => `${p.code}@${p.file.split('/').pop()}`).sort();
    assert.deepEqual(codes, ['manifest-duplicate-id@rules_manifest.json', 'manifest-missing-file@rules_manifest.json', 'rule-unregistered@b.mdc']);
    const missing = r.problems.find((p) => p.code === 'manifest-missing-file')!;
    assert.equal(text.split('\n')[missing.line].slice(missing.column, missing.endColumn), '".cursor/rules/gone.mdc"');
  });

  it('reads a legacy .cursorrules and reports a binary rule file without crashing', async () => {
    const fs = new MemoryFileSystem({ '/w/.cursorrules': 'Be nice', '/w/.cursor/rules/bin.mdc': 'a\u0000b' });
    const r = await loadRules(fs, '/w');
    assert.deepEqual(r.rules.map((x) => x.id), ['cursorrules']);
    assert.match(r.problems[0].message, /binary/);
  });

  it('derives ids from numbered file names', () => {
    assert.equal(idFromFileName('/x/009-branch-policy.mdc'), '009');
    assert.equal(idFromFileName('/x/clean-code.mdc'), 'clean-code');
  });
});

describe('manifest parsing', () => {
  it('reports syntax errors with a position', () => {
    const m = parseManifest('/w/rules_manifest.json', '{\n  "version": 1,\n  "rules": [ }');
    assert.equal(m.problems[0].code, 'manifest-syntax');
    assert.equal(m.problems[0].line, 2);
  });

  it('reports unknown keys at the key and keeps the valid entries', () => {
    const text = manifest([
      { id: '1', name: 'a', file: 'a.mdc', kind: 'style', colour: 'red' },
      { id: '2', name: 'b', file: 'b.mdc', kind: 'security', severity: 'error' },
    ]);
    const m = parseManifest('/w/rules_manifest.json', text);
    const p = m.problems.find((x) => x.message.includes('colour'))!;
    assert.equal(p.code, 'manifest-schema');
    assert.equal(text.split('\n')[p.line].slice(p.column, p.endColumn), '"colour"');
    assert.deepEqual(m.entries.map((e) => e.entry.id), ['2']);
  });

  it('reports bad kinds, bad enforce globs and invalid regexes', () => {
    const m = parseManifest('/w/m.json', manifest([
      { id: '1', name: 'a', file: 'a.mdc', kind: 'naming' },
      { id: '2', name: 'b', file: 'b.mdc', kind: 'other', enforce: { globs: ['src/{a'], patterns: [{ regex: '(' }] } },
    ]));
    const messages = m.problems.map((p) => p.message).join('\n');
    assert.match(messages, /rules\[0\]\.kind/);
    assert.match(messages, /unbalanced braces/);
    assert.match(messages, /invalid regex/);
  });
});

describe('generateManifest', () => {
  it('keeps hand-edited entries, adds new rules with unique ids and drops missing files', async () => {
    const fs = new MemoryFileSystem({
      '/w/.cursor/rules/009-branch.mdc': rule('Branch naming'),
      '/w/.cursor/rules/400-secrets.mdc': rule('No hard-coded secrets'),
      '/w/.cursor/rules/other/009-branch.mdc': rule('Duplicate id'),
    });
    const existing = { version: 1 as const, rules: [
      { id: '009', name: 'custom name', file: '.cursor/rules/009-branch.mdc', kind: 'branch' as const, severity: 'error' as const },
      { id: '777', name: 'gone', file: '.cursor/rules/gone.mdc', kind: 'other' as const, severity: 'info' as const },
    ] };
    const r = await loadRules(fs, '/w');
    const { manifest: m, added, removed } = generateManifest(r.rules, existing);
    assert.deepEqual(m.rules.map((e) => [e.id, e.name, e.kind]), [
      ['009', 'custom name', 'branch'],
      ['009-2', 'branch', 'branch'],
      ['400', 'secrets', 'security'],
    ]);
    assert.deepEqual(added, ['400', '009-2']);
    assert.deepEqual(removed, ['777']);
  });

  it('the shipped JSON schema is up to date (npm run schema)', () => {
    assert.deepEqual(JSON.parse(readFileSync('media/rules_manifest.schema.json', 'utf8')), manifestJsonSchema());
  });
});
