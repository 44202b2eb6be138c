import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkAnswer, extractCodeBlocks, fencesBalanced, languageOfFile } from '../../../src/core/router/quality';

const PROSE = 'This function validates the input, normalises the whitespace and returns a trimmed copy of the string.';
const fence = (lang: string, code: string): string => `\n\`\`\`${lang}\n${code}\n\`\`\`\n`;

describe('router/quality', () => {
  it('accepts a good explanation', async () => {
    assert.deepEqual(await checkAnswer({ answer: PROSE, command: 'explain' }), { ok: true, reasons: [] });
  });

  it('flags empty and too-short answers for the task', async () => {
    assert.deepEqual(await checkAnswer({ answer: '   ', command: 'explain' }), { ok: false, reasons: ['empty answer'] });
    const r = await checkAnswer({ answer: 'It trims.', command: 'explain' });
    assert.equal(r.ok, false);
    assert.match(r.reasons[0]!, /too short for explain \(9 characters, expected at least 80\)/);
    assert.equal((await checkAnswer({ answer: 'Fix typo in README', command: 'commit' })).ok, true, 'a commit subject may be short');
  });

  it('flags refusals', async () => {
    for (const a of [
      "I'm sorry, but I can't help with that. It looks like it could be used to bypass security checks.",
      'As an AI language model, I do not have access to your files, but generally speaking code can be explained.',
      'I cannot assist with this request because it involves credentials that should not be shared at all.',
    ])
      assert.ok((await checkAnswer({ answer: a })).reasons.includes('the model refused'), a);
    assert.ok(!(await checkAnswer({ answer: `${PROSE} I cannot stress enough that inputs must be validated.` })).reasons.includes('the model refused'));
  });

  it('flags truncation (done_reason length)', async () => {
    const r = await checkAnswer({ answer: PROSE, doneReason: 'length' });
    assert.deepEqual(r.reasons, ['answer truncated (hit the output token limit)']);
  });

  it('flags unbalanced fences', async () => {
    assert.equal(fencesBalanced('```ts\nx\n```'), true);
    assert.equal(fencesBalanced('```ts\nx\n'), false);
    assert.equal(fencesBalanced('````md\n```ts\ninner\n```\n````'), true, 'a longer fence contains shorter ones');
    assert.ok((await checkAnswer({ answer: `${PROSE}\n\`\`\`ts\nconst a = 1;` })).reasons.includes('unbalanced code fences'));
  });

  it('checks a code block inside a quote or a list like any other (it gets Insert / Apply too)', async () => {
    const quoted = await checkAnswer({ answer: `${PROSE}\n\n> \`\`\`ts\n> const x: number = ;\n> \`\`\`` });
    assert.ok(quoted.reasons.some((r) => /^ts block 1 does not parse/.test(r)), quoted.reasons.join('; '));
    const listed = await checkAnswer({ answer: `${PROSE}\n\n1. Change it:\n\n   \`\`\`ts\n   const x: number = ;\n   \`\`\`` });
    assert.ok(listed.reasons.some((r) => /^ts block 1 does not parse/.test(r)), listed.reasons.join('; '));
  });

  it('parses TS/JS blocks with @babel/parser and JSON with JSON.parse', async () => {
    const bad = await checkAnswer({ answer: PROSE + fence('ts', 'const x: number = ;') });
    assert.match(bad.reasons[0]!, /^ts block 1 does not parse \(line 1: Unexpected token\)/);
    const badJson = await checkAnswer({ answer: PROSE + fence('json', '{"a": 1,}') });
    assert.match(badJson.reasons[0]!, /^json block 1 is not valid JSON/);
    const good = await checkAnswer({
      answer: PROSE + fence('typescript', 'export function f(a: number): number {\n  return a * 2;\n}') + fence('tsx', 'const C = () => <div className="x">hi</div>;') + fence('json', '{"a": [1, 2]}'),
    });
    assert.deepEqual(good.reasons, []);
  });

  it('accepts fragments: a method, a function body with return, elided lines', async () => {
    const r = await checkAnswer({
      answer:
        PROSE +
        fence('ts', 'async load(id: string): Promise<User> {\n  return this.repo.get(id);\n}') +
        fence('js', 'if (!user) return null;\nreturn user.name;') +
        fence('ts', 'function f() {\n  ...\n  return 1;\n}'),
    });
    assert.deepEqual(r.reasons, []);
  });

  it('requires a code block for code commands', async () => {
    const r = await checkAnswer({ answer: PROSE, command: 'refactor' });
    assert.deepEqual(r.reasons, ['no code block in a refactor answer']);
  });

  it('flags code in the wrong language for the file, allowing related and neutral languages', async () => {
    const wrong = await checkAnswer({ answer: PROSE + fence('python', 'def f():\n    return 1'), command: 'refactor', fileLanguage: 'typescript' });
    assert.deepEqual(wrong.reasons, ['code is in python but the file is typescript']);
    const related = await checkAnswer({ answer: PROSE + fence('js', 'const a = 1;') + fence('bash', 'npm test'), command: 'refactor', fileLanguage: 'typescript' });
    assert.deepEqual(related.reasons, []);
    assert.equal(languageOfFile('src/app/Main.TSX'), 'typescriptreact');
    assert.equal(languageOfFile('build/Dockerfile'), 'dockerfile');
    assert.equal(languageOfFile('README'), undefined);
  });

  it('never throws on arbitrary text (fuzz)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 300 }), fc.constantFrom(undefined, 'explain', 'refactor', 'nope'), async (s, command) => {
        const r = await checkAnswer({ answer: s, command, fileLanguage: 'typescript' });
        assert.equal(r.ok, r.reasons.length === 0);
        extractCodeBlocks(s);
      }),
      { numRuns: 100 },
    );
  });

  describe('strict (the uncertain band): any doubt fails', () => {
    const CODE = 'pub fn push(&self, v: T) {\n    let node = Box::into_raw(Box::new(Node::new(v)));\n    self.tail_pointer.swap(node, Ordering::AcqRel);\n}';
    const ABOUT = 'The push method allocates a Node with Box::into_raw and publishes it with swap on tail_pointer using AcqRel ordering, so a concurrent consumer sees a fully built node; the old tail still has to be linked to it.';

    it('passes an answer that is about the code and sure of itself', async () => {
      assert.deepEqual(await checkAnswer({ answer: ABOUT, command: 'explain', strict: true, context: CODE }), { ok: true, reasons: [] });
    });

    it('fails a hedged answer, a thin one and one that names nothing from the code, which the normal checks pass', async () => {
      const hedged = `${ABOUT} I'm not sure whether this is safe without more context.`;
      const generic = 'This code adds an item to a data structure in a thread-safe way, using an atomic operation so that concurrent callers do not corrupt it, and it never blocks a caller.';
      for (const answer of [hedged, generic, PROSE.slice(0, 100)]) assert.equal((await checkAnswer({ answer, command: 'explain', context: CODE })).ok, true, answer);
      assert.deepEqual((await checkAnswer({ answer: hedged, command: 'explain', strict: true, context: CODE })).reasons, ['the model sounds unsure of its answer']);
      assert.deepEqual((await checkAnswer({ answer: generic, command: 'explain', strict: true, context: CODE })).reasons, ['the answer names nothing from the code it is about']);
      assert.match((await checkAnswer({ answer: PROSE.slice(0, 100), command: 'review', strict: true })).reasons[0]!, /^answer thin for an uncertain review task \(100 characters, expected at least 120\)$/);
    });

    it('fails tests that assert nothing and code blocks without a language', async () => {
      const noAssert = `Tests for add:${fence('ts', "it('adds', () => { add(1, 2); });")}One case: adds two numbers and runs without throwing.`;
      assert.deepEqual((await checkAnswer({ answer: noAssert, command: 'tests', strict: true, fileLanguage: 'typescript' })).reasons, ['the tests assert nothing']);
      const untagged = `Refactored:${fence('', 'const total = xs.reduce((a, b) => a + b, 0);')}Now one reduce instead of the loop, same behaviour for every input.`;
      assert.deepEqual((await checkAnswer({ answer: untagged, command: 'refactor', strict: true })).reasons, ['a code block does not say its language']);
    });
  });
});
