import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { readFrontMatterYaml, splitFrontMatter } from '../../../src/core/text/frontMatter';
import { readLessonFrontMatter } from '../../../src/core/lessons/frontMatter';
import { readRuleFrontMatter } from '../../../src/core/rules/frontMatter';
import { parseHandoff } from '../../../src/core/handoff/parse';

describe('front matter: the one splitter', () => {
  it('opens with --- on line 1 and closes with --- or ..., trailing blanks allowed, indented fences not', () => {
    assert.deepEqual(splitFrontMatter('---\na: 1\n---\nbody').yaml, 'a: 1');
    assert.equal(splitFrontMatter('---  \na: 1\n...\t\nbody').body, 'body');
    assert.equal(splitFrontMatter('---\na: 1\n  ---\nb: 2\n---\nrest').closeLine, 4);
    assert.equal(splitFrontMatter(' ---\na: 1\n---\n').present, false);
    assert.equal(splitFrontMatter('\uFEFF---\r\na: 1\r\n---\r\nx').yaml, 'a: 1');
    const unclosed = splitFrontMatter('---\na: 1\nno end');
    assert.deepEqual([unclosed.present, unclosed.closeLine, unclosed.body, unclosed.bodyStartLine], [true, -1, 'a: 1\nno end', 1]);
  });

  it('rules, lessons and handoff packages agree on where the front matter ends', () => {
    const text = '---\ntitle: T\n...\nbody line\n';
    assert.equal(readRuleFrontMatter(text).body, 'body line\n');
    assert.equal(readLessonFrontMatter(text).body, 'body line\n');
    assert.equal(readLessonFrontMatter(text).fields.title, 'T');
    assert.equal(parseHandoff('---\ntitle: T\n...\n## Startup prompt\nGo.\n').frontMatter?.endLine, 3);
  });

  it('reads YAML with file line numbers for keys and errors', () => {
    const { keyLines, problems } = readFrontMatterYaml('a: 1\n\nb: [2\n');
    assert.equal(keyLines.get('a'), 2);
    assert.ok(problems.length > 0 && problems.every((p) => p.line >= 2 && !p.message.includes('\n')));
    assert.equal(readFrontMatterYaml('a: 1\na: 2', { uniqueKeys: false }).problems.length, 0);
    assert.equal(readFrontMatterYaml('a: 1\na: 2').problems.length, 1);
  });

  it('never throws and loses no line of the input', () => {
    const line = fc.oneof(fc.constantFrom('---', '...', '--- ', ' ---', '', 'a: 1', 'globs: **/*', '- x'), fc.string({ maxLength: 12 }));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), (ls) => {
        const text = ls.join('\n');
        const s = splitFrontMatter(text);
        readFrontMatterYaml(s.yaml);
        assert.equal(s.lines.join('\n'), text.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n'));
        assert.equal(s.body, s.lines.slice(s.bodyStartLine).join('\n'));
        if (s.closeLine > 0) assert.equal(s.yaml, s.lines.slice(1, s.closeLine).join('\n'));
      }),
    );
  });
});

describe('front matter: YAML errors in words (#16.10)', () => {
  it('says what is wrong the way a person would, never the parser\'s sentence', async () => {
    const { readFrontMatterYaml } = await import('../../../src/core/text/frontMatter');
    const said = (yaml: string): string => readFrontMatterYaml(yaml).problems[0]!.message;
    assert.equal(said('tags: [docker, compose\nkind: lesson'), 'a [ list is not closed with ] on its line');
    assert.equal(said('title: "x'), 'a quoted value is never closed');
    assert.equal(said('\ttitle: x'), 'a tab is used to indent: use spaces');
    assert.match(said('title x\nfoo: 1'), /is not "key: value"/);
  });
});
