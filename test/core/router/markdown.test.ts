import assert from 'node:assert/strict';
import fc from 'fast-check';
import { codeBlocks, inlineText, parseInline, parseMarkdown, safeHref, type Block, type Inline } from '../../../src/core/router/markdown';

const kinds = (blocks: Block[]): string[] => blocks.map((b) => b.kind);

describe('router/markdown', () => {
  it('parses headings, paragraphs, rules and fenced code with its language', () => {
    const md = '# Title\n\nFirst line\nsecond line.\n\n---\n\n```ts\nconst a = 1;\n\nconst b = 2;\n```\n## Next ##';
    const blocks = parseMarkdown(md);
    assert.deepEqual(kinds(blocks), ['heading', 'paragraph', 'hr', 'code', 'heading']);
    assert.deepEqual(blocks[0], { kind: 'heading', level: 1, inline: [{ kind: 'text', text: 'Title' }] });
    assert.deepEqual(blocks[1], { kind: 'paragraph', inline: [{ kind: 'text', text: 'First line\nsecond line.' }] });
    assert.deepEqual(blocks[3], { kind: 'code', lang: 'ts', text: 'const a = 1;\n\nconst b = 2;', closed: true, index: 0 });
    assert.deepEqual(blocks[4], { kind: 'heading', level: 2, inline: [{ kind: 'text', text: 'Next' }] });
  });

  it('keeps an unclosed fence open (streaming) and a longer inner fence inside it', () => {
    const [code] = parseMarkdown('````md\n```js\nx\n```\nstill inside');
    assert.deepEqual(code, { kind: 'code', lang: 'md', text: '```js\nx\n```\nstill inside', closed: false, index: 0 });
  });

  it('parses nested lists with code blocks inside items and numbers code blocks in document order', () => {
    const md = ['1. First', '   - nested *a*', '   - nested b', '2. Second', '', '   ```py', '   print(1)', '   ```', '3. Third', '', '```sh', 'ls', '```'].join('\n');
    const blocks = parseMarkdown(md);
    assert.deepEqual(kinds(blocks), ['list', 'code']);
    const list = blocks[0] as Extract<Block, { kind: 'list' }>;
    assert.equal(list.ordered, true);
    assert.equal(list.items.length, 3);
    assert.deepEqual(kinds(list.items[0]!.blocks), ['paragraph', 'list']);
    const nested = list.items[0]!.blocks[1] as Extract<Block, { kind: 'list' }>;
    assert.equal(nested.ordered, false);
    assert.deepEqual(nested.items[0]!.blocks[0], { kind: 'paragraph', inline: [{ kind: 'text', text: 'nested ' }, { kind: 'em', children: [{ kind: 'text', text: 'a' }] }] });
    assert.deepEqual(list.items[1]!.blocks[1], { kind: 'code', lang: 'py', text: 'print(1)', closed: true, index: 0 });
    assert.deepEqual(blocks[1], { kind: 'code', lang: 'sh', text: 'ls', closed: true, index: 1 });
    assert.deepEqual(codeBlocks(md).map((c) => c.text), ['print(1)', 'ls']);
  });

  it('starts ordered lists at their number and ends a list at a different marker kind', () => {
    const blocks = parseMarkdown('3) three\n4) four\n- bullet');
    assert.deepEqual(kinds(blocks), ['list', 'list']);
    assert.equal((blocks[0] as Extract<Block, { kind: 'list' }>).start, 3);
  });

  it('parses block quotes recursively', () => {
    const [q] = parseMarkdown('> **Note**\n> - a\n> - b');
    assert.equal(q!.kind, 'quote');
    assert.deepEqual(kinds((q as Extract<Block, { kind: 'quote' }>).blocks), ['paragraph', 'list']);
  });

  it('parses inline code, bold, italic and keeps snake_case and lone stars as text', () => {
    const nodes = parseInline('Use `a*b` with **bold _it_** and snake_case_name, 2 * 3 * 4');
    assert.deepEqual(nodes, [
      { kind: 'text', text: 'Use ' },
      { kind: 'code', text: 'a*b' },
      { kind: 'text', text: ' with ' },
      { kind: 'strong', children: [{ kind: 'text', text: 'bold ' }, { kind: 'em', children: [{ kind: 'text', text: 'it' }] }] },
      { kind: 'text', text: ' and snake_case_name, 2 * 3 * 4' },
    ]);
  });

  it('matches code spans by backtick run length and honours backslash escapes', () => {
    assert.deepEqual(parseInline('``a ` b`` \\*not em\\*'), [
      { kind: 'code', text: 'a ` b' },
      { kind: 'text', text: ' *not em*' },
    ]);
    assert.deepEqual(parseInline('open ` only'), [{ kind: 'text', text: 'open ` only' }]);
  });

  it('makes links only of http(s) targets; other schemes keep their label as text', () => {
    assert.deepEqual(parseInline('[docs](https://ollama.com/download "Ollama")'), [
      { kind: 'link', href: 'https://ollama.com/download', children: [{ kind: 'text', text: 'docs' }] },
    ]);
    for (const bad of ['javascript:alert(1)', 'command:workbench.action.reloadWindow', 'file:///etc/passwd', 'src/billing.ts', 'data:text/html,x']) {
      const nodes = parseInline(`[click](${bad})`);
      assert.deepEqual(nodes, [{ kind: 'text', text: 'click' }], bad);
    }
    assert.deepEqual(parseInline('see https://example.com/a_b.'), [
      { kind: 'text', text: 'see ' },
      { kind: 'link', href: 'https://example.com/a_b', children: [{ kind: 'text', text: 'https://example.com/a_b' }] },
      { kind: 'text', text: '.' },
    ]);
    assert.equal(safeHref('JAVASCRIPT:alert(1)'), undefined);
    assert.equal(safeHref('https://x.test/a b'), undefined);
  });

  it('parses GFM tables with alignment and inline markup in cells', () => {
    const [t] = parseMarkdown('| name | cost |\n|:--|--:|\n| **local** | `$0` |\n| cloud | 3 |');
    assert.deepEqual(t, {
      kind: 'table',
      align: ['left', 'right'],
      header: [[{ kind: 'text', text: 'name' }], [{ kind: 'text', text: 'cost' }]],
      rows: [
        [[{ kind: 'strong', children: [{ kind: 'text', text: 'local' }] }], [{ kind: 'code', text: '$0' }]],
        [[{ kind: 'text', text: 'cloud' }], [{ kind: 'text', text: '3' }]],
      ],
    });
  });

  it('finds code blocks inside quotes and deeply nested lists, where a line-regex scan does not', () => {
    const md = '> Try this:\n>\n> ```ts\n> const a = 1;\n> ```\n\n- outer\n  - inner\n\n        indented? no: fenced below\n\n    ```py\n    x = 1\n    ```';
    assert.deepEqual(codeBlocks(md).map((c) => [c.lang, c.closed]).slice(0, 1), [['ts', true]]);
    assert.equal(codeBlocks(md)[0]!.text, 'const a = 1;');
  });

  it('never produces HTML: tags in model text stay text', () => {
    const blocks = parseMarkdown('<img src=x onerror=alert(1)>\n\n<script>alert(1)</script>');
    assert.deepEqual(blocks.map((b) => b.kind === 'paragraph' && inlineText(b.inline)), ['<img src=x onerror=alert(1)>', '<script>alert(1)</script>']);
  });

  it('is total on arbitrary input and only ever links http(s) URLs', () => {
    const alphabet = fc.constantFrom('*', '_', '`', '[', ']', '(', ')', '#', '-', '>', ' ', '\n', '1.', 'a', '~~~', '```', 'http://x.y', 'javascript:', '\\', '\t');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 200 }).map((a) => a.join('')), (text) => {
        const blocks = parseMarkdown(text);
        const visitInline = (nodes: Inline[]): void => {
          for (const n of nodes) {
            if (n.kind === 'link') assert.match(n.href, /^https?:\/\//);
            if (n.kind === 'strong' || n.kind === 'em' || n.kind === 'link') visitInline(n.children);
          }
        };
        const visit = (bs: Block[]): void => {
          for (const b of bs) {
            if (b.kind === 'heading' || b.kind === 'paragraph') visitInline(b.inline);
            if (b.kind === 'list') b.items.forEach((i) => visit(i.blocks));
            if (b.kind === 'quote') visit(b.blocks);
          }
        };
        visit(blocks);
        assert.deepEqual(codeBlocks(text).map((c) => c.index), codeBlocks(text).map((_, i) => i));
      }),
      { numRuns: 400 },
    );
  });

  it('stays linear on hostile input (unclosed delimiters, deep nesting)', () => {
    const hostile = ['*a '.repeat(20_000), '`'.repeat(30_000), '['.repeat(30_000), '> '.repeat(5_000) + 'x', '- '.repeat(5_000) + 'x', '__x '.repeat(20_000)];
    for (const text of hostile) {
      const blocks = parseMarkdown(text);
      assert.ok(blocks.length >= 1);
    }
  });
});
