import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseRuleFile } from '../../../src/core/rules/ruleFile';
import { splitGlobList, globProblem, globMatcher } from '../../../src/core/rules/globs';

const mdc = (fm: string, body = '# Body\n') => `---\n${fm}\n---\n${body}`;

describe('parseRuleFile', () => {
  it('reads description, unquoted **/* globs and alwaysApply', () => {
    const { rule, problems } = parseRuleFile('/w/a.mdc', mdc('description: "TS rules"\nglobs: **/*\nalwaysApply: true'));
    assert.equal(rule.description, 'TS rules');
    assert.deepEqual(rule.globs, ['**/*']);
    assert.equal(rule.alwaysApply, true);
    assert.equal(rule.bodyStartLine, 5);
    assert.deepEqual(problems, []);
  });

  it('splits comma-separated globs but keeps commas inside braces', () => {
    const { rule } = parseRuleFile('/w/a.mdc', mdc('globs: src/**/*.{ts,tsx}, "test/**/*.ts" ,*.md'));
    assert.deepEqual(rule.globs, ['src/**/*.{ts,tsx}', 'test/**/*.ts', '*.md']);
  });

  it('reads YAML lists, flow lists and unquoted list items', () => {
    assert.deepEqual(parseRuleFile('/w/a.mdc', mdc('globs:\n  - "**/*.ts"\n  - "**/*.js"')).rule.globs, ['**/*.ts', '**/*.js']);
    assert.deepEqual(parseRuleFile('/w/a.mdc', mdc('globs: ["**/*.py", "*.toml"]')).rule.globs, ['**/*.py', '*.toml']);
    assert.deepEqual(parseRuleFile('/w/a.mdc', mdc('globs:\n  - **/*.rs\n  - Cargo.toml')).rule.globs, ['**/*.rs', 'Cargo.toml']);
  });

  it('accepts missing, empty and blank front matter', () => {
    assert.equal(parseRuleFile('/w/a.mdc', '# Just a body\n').rule.body, '# Just a body\n');
    const empty = parseRuleFile('/w/a.mdc', '---\n---\nbody');
    assert.deepEqual(empty.rule.globs, []);
    assert.equal(empty.problems.length, 0);
    assert.deepEqual(parseRuleFile('/w/a.mdc', mdc('description:\nglobs:\nalwaysApply:')).problems, []);
  });

  it('reports an unclosed front matter with its range', () => {
    const { problems } = parseRuleFile('/w/a.mdc', '---\ndescription: x\n# body');
    assert.equal(problems[0].code, 'front-matter-unclosed');
    assert.equal(problems[0].severity, 'error');
    assert.equal(problems[0].line, 0);
  });

  it('reports a bad glob at its exact column', () => {
    const { problems } = parseRuleFile('/w/a.mdc', mdc('globs: src/*.ts, src/**/*.{ts,tsx'));
    const p = problems.find((x) => x.code === 'bad-glob')!;
    assert.equal(p.line, 1);
    assert.equal(p.column, 'globs: src/*.ts, '.length);
    assert.match(p.message, /unbalanced braces/);
  });

  it('flags likely typos of known keys and non-boolean alwaysApply', () => {
    const { problems } = parseRuleFile('/w/a.mdc', mdc('glob: "*.ts"\nalwaysApply: sometimes\nauthor: me'));
    assert.deepEqual(problems.map((p) => p.code).sort(), ['front-matter-key', 'front-matter-type']);
    assert.match(problems.find((p) => p.code === 'front-matter-key')!.message, /did you mean "globs"/);
  });

  it('validates an enforce block in front matter', () => {
    const ok = parseRuleFile('/w/a.mdc', mdc('enforce:\n  pack: logging\n  options:\n    replacement: logger.debug'));
    assert.equal(ok.rule.enforce?.pack, 'logging');
    const bad = parseRuleFile('/w/a.mdc', mdc('enforce:\n  pack: telemetry'));
    assert.equal(bad.rule.enforce, undefined);
    assert.match(bad.problems[0].message, /enforce block is invalid at enforce.pack/);
  });

  it('reads a legacy .cursorrules as an always-applied rule', () => {
    const { rule } = parseRuleFile('/w/.cursorrules', 'Always write tests.');
    assert.equal(rule.legacy, true);
    assert.equal(rule.alwaysApply, true);
  });

  it('never throws, whatever the text (fuzz)', () => {
    const line = fc.oneof(fc.string(), fc.constantFrom('---', 'globs: **/*', 'globs:', '  - *.ts', 'enforce:', '  pack: [', 'alwaysApply: yes', '\t', ': x'));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), (lines) => {
        const { rule, problems } = parseRuleFile('/w/f.mdc', lines.join('\n'));
        assert.ok(Array.isArray(rule.globs));
        for (const p of problems) assert.ok(p.line >= 0 && p.column >= 0 && p.message.length > 0);
      }),
      { numRuns: 500 },
    );
  });
});

describe('globs', () => {
  it('splits lists and matches workspace paths', () => {
    assert.deepEqual(splitGlobList("'a/*.ts', b/**"), ['a/*.ts', 'b/**']);
    const m = globMatcher(['src/**/*.ts', '*.md']);
    assert.ok(m('src/a/b.ts'));
    assert.ok(m('README.md'));
    assert.ok(!m('test/a.ts'));
  });

  it('explains what is wrong with a glob', () => {
    assert.equal(globProblem('src/**/*.ts'), undefined);
    assert.match(globProblem('src\\*.ts')!, /"\/"/);
    assert.match(globProblem('/abs/*.ts')!, /absolute/);
    assert.match(globProblem('a/[bc')!, /brackets/);
  });
});
