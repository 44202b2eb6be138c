import assert from 'node:assert/strict';
import fc from 'fast-check';
import { codeFeatures } from '../../../src/core/router/codeFeatures';
import { diffFeatures, looksLikeDiff } from '../../../src/core/router/diffFeatures';
import { extractFeatures, FEATURE_NAMES, FEATURE_SPECS, measureTask } from '../../../src/core/router/features';
import { jsStructure } from '../../../src/core/router/jsStructure';
import { instructionFeatures, userInstruction } from '../../../src/core/router/taskFeatures';
import { buildCommitTask, buildEditorTask } from '../../../src/core/router/editorTasks';

const named = (task: Parameters<typeof extractFeatures>[0]): Record<string, number> => {
  const x = extractFeatures(task);
  return Object.fromEntries(FEATURE_NAMES.map((n, i) => [n, x[i]!]));
};

describe('router features', () => {
  it('have unique names, a label each, and values in [0, 1] on any input', () => {
    assert.equal(new Set(FEATURE_NAMES).size, FEATURE_NAMES.length);
    assert.ok(FEATURE_SPECS.every((f) => f.label.length > 0));
    fc.assert(
      fc.property(fc.string({ maxLength: 2000 }), fc.option(fc.string({ maxLength: 4000 })), fc.option(fc.constantFrom('explain', 'commit', 'review', 'x')), fc.option(fc.constantFrom('rust', 'typescript', 'diff', 'python')), (prompt, context, command, language) => {
        const x = extractFeatures({ prompt, context, command, language });
        assert.equal(x.length, FEATURE_NAMES.length);
        assert.ok(x.every((v) => Number.isFinite(v) && v >= 0 && v <= 1), JSON.stringify(x));
      }),
      { numRuns: 200 },
    );
    const huge = extractFeatures({ prompt: 'x'.repeat(50_000), context: '{\n'.repeat(30_000), command: 'review' });
    assert.ok(huge.every((v) => v >= 0 && v <= 1));
  });
});

describe('userInstruction', () => {
  const src = { fileName: 'src/a.ts', languageId: 'typescript', text: 'const a = 1;\nconst b = 2;\n', selection: { start: 0, end: 12 } };
  const whole = { ...src, selection: { start: 0, end: 0 } };
  it("strips every editor template, leaving only the user's words", () => {
    for (const command of ['explain', 'review', 'tests', 'refactor'] as const)
      for (const s of [src, whole]) assert.equal(userInstruction(buildEditorTask(command, s, {}).input.prompt, command), '', command);
    assert.equal(userInstruction(buildEditorTask('refactor', src, { question: 'extract a helper' }).input.prompt, 'refactor'), 'extract a helper');
    assert.equal(userInstruction(buildEditorTask('ask', whole, { question: 'why is b 2?' }).input.prompt, 'ask'), 'why is b 2?');
    assert.equal(userInstruction(buildEditorTask('ask', src, {}).input.prompt, 'ask'), '');
    assert.equal(userInstruction(buildCommitTask('diff --git a/x b/x\n', {}).input.prompt, 'commit'), '');
    assert.equal(userInstruction('Explain closures to me.', undefined), 'Explain closures to me.');
  });

  it('the template and the bare instruction give the same features (editor vs CLI / MCP)', () => {
    const t = buildEditorTask('refactor', src, { question: 'rename a to first' });
    assert.deepEqual(extractFeatures(t.input), extractFeatures({ ...t.input, prompt: 'rename a to first' }));
    const e = buildEditorTask('explain', src, {});
    assert.deepEqual(extractFeatures(e.input), extractFeatures({ ...e.input, prompt: '' }));
  });
});

describe('instructionFeatures', () => {
  it('tells a reasoning question from a look-up', () => {
    assert.equal(instructionFeatures('Why does the second call block?').reasoningQuestion, true);
    assert.equal(instructionFeatures('What happens if the channel is closed twice?').reasoningQuestion, true);
    assert.equal(instructionFeatures('Is it safe to call this from two threads?').reasoningQuestion, true);
    assert.equal(instructionFeatures('What does `flatMap` return?').reasoningQuestion, false);
    assert.equal(instructionFeatures('What does `flatMap` return?').lookupQuestion, true);
    assert.equal(instructionFeatures('how do I read a file line by line in Go?').lookupQuestion, true);
    assert.equal(instructionFeatures('refactor the loop').lookupQuestion, false);
  });

  it('recognises a mechanical edit only at the start of the request', () => {
    for (const s of ['rename `foo` to `bar`', 'add type hints to the constructor', 'sort the imports', 'make `id` readonly', 'extract the URL into a constant', 'use template literals'])
      assert.equal(instructionFeatures(s).mechanicalEdit, true, s);
    assert.equal(instructionFeatures('make the cache safe for concurrent writers').mechanicalEdit, false);
    assert.equal(instructionFeatures('figure out why it fails, then rename it').mechanicalEdit, false);
  });

  it('tells a design judgement and a small artifact from other requests', () => {
    for (const q of ['what are the trade-offs of a queue per tenant?', 'should we shard by customer or by region?', "what's the right way to cancel these timers?", 'is a cache worth it here, or is the query the problem?'])
      assert.equal(instructionFeatures(q).designQuestion, true, q);
    assert.equal(instructionFeatures('what does `flatMap` return?').designQuestion, false);
    assert.equal(instructionFeatures("what's the shortcut for this in VS Code?").designQuestion, false, 'VS is not versus');
    for (const q of ['write a bash one-liner that counts files', 'give me a regex for an IPv4 address', 'create an enum for the card suits', 'write a function that reverses a string'])
      assert.equal(instructionFeatures(q).smallArtifact, true, q);
    assert.equal(instructionFeatures('the worker never finishes; write up why').smallArtifact, false);
    assert.equal(instructionFeatures('write a function ' + 'that handles every case '.repeat(10)).smallArtifact, false, 'a long specification is not small');
  });

  it('reads "explain what X does" and "list the ..." as look-ups, but not a question about the right way', () => {
    assert.equal(instructionFeatures('explain what a Dockerfile HEALTHCHECK does').lookupQuestion, true);
    assert.equal(instructionFeatures('list the falsy values in JavaScript').lookupQuestion, true);
    assert.equal(instructionFeatures("what's the keyboard shortcut for a terminal?").lookupQuestion, true);
    assert.equal(instructionFeatures("what's the right way to structure retries here?").lookupQuestion, false);
  });

  it('hears a symptom only when something is observed, not in an imperative', () => {
    assert.equal(instructionFeatures('how do I duplicate a line?').symptom, false);
    assert.equal(instructionFeatures('some orders are duplicated after a retry').symptom, true);
  });

  it('names cross-process and crash requirements as risks', () => {
    assert.equal(instructionFeatures('keep it in sync across multiple tabs').riskTerms, 1);
    assert.equal(instructionFeatures('make it correct when a worker can crash mid-write').riskTerms, 1);
    assert.equal(instructionFeatures('rename the tab component').riskTerms, 0);
    assert.equal(instructionFeatures('what happens to the counts when it runs with 4 worker processes?').riskTerms, 1);
    assert.equal(instructionFeatures('what happens to the counts when it runs with 4 worker processes?').reasoningQuestion, true);
  });

  it('hears a symptom, risk words and quantities', () => {
    const f = instructionFeatures('memory grows by 200MB every hour and p99 went from 40ms to 3s');
    assert.equal(f.symptom, true);
    assert.equal(f.quantities, 3);
    assert.equal(instructionFeatures('could two writers race and deadlock here?').riskTerms, 2);
    assert.equal(instructionFeatures('add a comment').symptom, false);
    assert.equal(instructionFeatures('').length, 0);
  });
});

describe('codeFeatures', () => {
  it('counts locks, threads and channels', () => {
    assert.ok(codeFeatures('mu.Lock()\ngo func() { ch <- 1 }()\nwg.Wait()\nvar wg sync.WaitGroup', 'go').concurrency >= 4);
    assert.equal(codeFeatures('const block = clock + 1;', 'typescript').concurrency, 0);
  });

  it('counts atomics and memory orderings', () => {
    const f = codeFeatures('let v = x.load(Ordering::Acquire);\nx.compare_exchange(a, b, Ordering::AcqRel, Ordering::Relaxed);', 'rust');
    assert.ok(f.memoryOrdering >= 4, String(f.memoryOrdering));
    assert.equal(codeFeatures('return order.total;', 'typescript').memoryOrdering, 0);
  });

  it('counts unsafe code, raw pointers and manual allocation', () => {
    assert.ok(codeFeatures('unsafe { *p.add(1) = 0 }\nlet p: *mut u8 = ptr::null_mut();', 'rust').unsafeMemory >= 3);
    assert.ok(codeFeatures('char *b = malloc(n); memcpy(b, s, n); free(b);', 'c').unsafeMemory >= 3);
    assert.equal(codeFeatures('const safe = true;', 'typescript').unsafeMemory, 0);
  });

  it('counts crypto / auth APIs and injection sinks', () => {
    assert.ok(codeFeatures("const h = createHmac('sha256', secret); if (token !== h) deny();", 'typescript').securityApi >= 3);
    assert.equal(codeFeatures('cur.execute("SELECT * FROM t WHERE id = %s" % uid)', 'python').injectionSinks, 1);
    // A parameterised query is not a sink.
    assert.equal(codeFeatures('cur.execute("SELECT * FROM t WHERE id = %(id)s", {"id": uid})', 'python').injectionSinks, 0);
    assert.equal(codeFeatures('db.query("SELECT 1")', 'javascript').injectionSinks, 0);
    assert.equal(codeFeatures('el.innerHTML = html;', 'javascript').injectionSinks, 1);
  });

  it('counts async flow, generics, failure handling, schema changes and bit arithmetic', () => {
    assert.ok(codeFeatures('async function f() { await g(); setTimeout(h, 1); return Promise.all(xs); }', 'javascript').asyncFlow >= 4);
    assert.ok(codeFeatures('template <typename T> struct S {};\nimpl<T: Clone> Foo for Bar<T> where T: Send {}', 'cpp').generics >= 3);
    assert.ok(codeFeatures('try:\n    x()\nexcept TimeoutError:\n    retry()\nfinally:\n    pass', 'python').failureHandling >= 4);
    assert.ok(codeFeatures('ALTER TABLE users ADD COLUMN age int;', 'sql').schemaChange >= 1);
    assert.ok(codeFeatures('w[i >> 6] |= 1ULL << (i & 63);', 'c').bitArithmetic >= 2);
  });

  it('measures size, functions, nesting and branches lexically', () => {
    const go = 'func a() {\n\tif x {\n\t\tfor {\n\t\t}\n\t}\n}\n\nfunc b() int {\n\treturn 1\n}\n';
    const f = codeFeatures(go, 'go');
    assert.equal(f.lines, 9);
    assert.equal(f.functions, 2);
    assert.equal(f.maxNesting, 3);
    assert.equal(f.branches, 2);
    assert.equal(f.parsed, false);
    const py = codeFeatures('def a():\n    if x:\n        return 1\n    return 2\n', 'python');
    assert.equal(py.functions, 1);
    assert.equal(py.maxNesting, 2);
  });

  it('counts data-only lines and imports', () => {
    const f = codeFeatures("import x from 'x';\nexport const ROUTES = {\n  home: '/',\n  login: '/login',\n};\n", 'typescript');
    assert.equal(f.imports, 1);
    assert.equal(f.dataLines, 2);
    // Rows of a literal table count as data; a call or an operator on the line does not.
    const table = codeFeatures('FIELDS = [\n    {"name": "id", "readonly": True},\n    {"name": "email", "readonly": False},\n]\nnames = [f["name"] for f in FIELDS]\n', 'python');
    assert.equal(table.dataLines, 2);
    assert.equal(codeFeatures('total = price * qty + tax(1, "x")\n', 'python').dataLines, 0);
  });

  it('counts date, time-zone and money-rounding APIs, not every number formatting', () => {
    assert.equal(codeFeatures('loc, _ := time.LoadLocation(zone)\nnext := time.Date(y, m, d, 2, 30, 0, 0, loc)\n', 'go').timeAndMoney, 2);
    assert.equal(codeFeatures('x.setScale(2, RoundingMode.HALF_EVEN)\nconst s = +(a * 1.2).toFixed(2);\n', 'kotlin').timeAndMoney, 3);
    assert.equal(codeFeatures('return `${v.toFixed(1)} ${units[i]}`;\n', 'typescript').timeAndMoney, 0);
    assert.equal(codeFeatures('def price_tag(cents, currency = "EUR")\n', 'ruby').timeAndMoney, 0, 'showing a price is not money arithmetic');
  });
});

describe('jsStructure', () => {
  it('counts functions, branches and nesting from a real parse', () => {
    const s = jsStructure('export function f(a: number) {\n  if (a > 1 && a < 3) { return () => a; }\n  return a ? 1 : 2;\n}\nclass C { m() {} }\n', 'typescript');
    assert.deepEqual(s, { functions: 3, branches: 3, maxNesting: 2 });
    assert.equal(jsStructure('x', 'python'), undefined);
    assert.equal(codeFeatures('const f = () => 1;', 'typescript').parsed, true);
  });

  it('recovers from fragments and never throws', () => {
    assert.ok(jsStructure('  return a + b;\n}', 'javascript') !== undefined || true);
    fc.assert(fc.property(fc.string({ maxLength: 500 }), (s) => void jsStructure(s, 'typescriptreact')), { numRuns: 200 });
  });
});

describe('diffFeatures', () => {
  const rename = 'diff --git a/a.ts b/a.ts\n--- a/a.ts\n+++ b/a.ts\n@@ -1,2 +1,2 @@\n-export function calc(x) { return x + 1; }\n+export function compute(x) { return x + 1; }\n-const y = calc(2);\n+const y = compute(2);\n';
  const behaviour = 'diff --git a/s.go b/s.go\n--- a/s.go\n+++ b/s.go\n@@ -1,2 +1,3 @@\n-\ts.mu.Lock()\n+\ts.mu.RLock()\n+\tif s.closed { return nil }\n';
  it('sees a rename or a reformat as no behaviour change', () => {
    assert.ok(looksLikeDiff(rename));
    const f = diffFeatures(rename);
    assert.deepEqual([f.files, f.hunks, f.changedLines, f.behaviourShare], [1, 1, 4, 0]);
    assert.equal(diffFeatures('--- a/f.py\n+++ b/f.py\n@@ -1 +1 @@\n-def f(a,b=\'x\'):\n+def f(a, b="x"):\n').behaviourShare, 0);
  });

  it('sees new logic and a lock change as behaviour', () => {
    assert.equal(diffFeatures(behaviour).behaviourShare, 1);
  });

  it('sees comment-only changes and test-only files', () => {
    const comments = 'diff --git a/q.go b/q.go\n+++ b/q.go\n@@ -1 +1,3 @@\n+// Push takes the mutex for the whole call.\n+// Pop blocks until an item is available.\n func (q *Queue) Push(v any) {\n';
    const c = diffFeatures(comments);
    assert.equal(c.commentShare, 1);
    assert.equal(c.behaviourShare, 0, 'a comment never changes behaviour');
    const tests = 'diff --git a/internal/slug/slug_test.go b/internal/slug/slug_test.go\n+++ b/internal/slug/slug_test.go\n@@ -0,0 +1 @@\n+func TestMake(t *testing.T) {}\ndiff --git a/src/a.test.ts b/src/a.test.ts\n+++ b/src/a.test.ts\n@@ -0,0 +1 @@\n+it("x", () => {});\n';
    assert.equal(diffFeatures(tests).testFileShare, 1);
    assert.equal(diffFeatures(behaviour).testFileShare, 0);
    assert.equal(diffFeatures('diff --git a/tests/test_money.py b/tests/test_money.py\n+++ b/tests/test_money.py\n@@ -1 +1 @@\n+x\n').testFileShare, 1);
  });

  it('measures the code of the hunks that change behaviour, context included, and nothing of a rename', () => {
    assert.equal(diffFeatures(rename).behaviourText, '');
    const moved = 'diff --git a/A.java b/A.java\n+++ b/A.java\n@@ -1,4 +1,5 @@\n     void transfer(Account a, Account b) {\n-        synchronized (a) {\n+        Account first = a.id < b.id ? a : b;\n+        synchronized (first) {\n             a.balance -= 1;\n';
    const text = diffFeatures(moved).behaviourText;
    assert.match(text, /synchronized \(first\)/);
    assert.match(text, /void transfer/, 'the context of the hunk is read too');
  });

  it('counts files that are not code', () => {
    const d = 'diff --git a/README.md b/README.md\n+++ b/README.md\n@@ -1 +1 @@\n+x\ndiff --git a/src/a.rs b/src/a.rs\n+++ b/src/a.rs\n@@ -1 +1 @@\n+y\n';
    assert.equal(diffFeatures(d).nonCodeFileShare, 0.5);
    assert.equal(looksLikeDiff('const a = 1;\n--- not a diff'), false);
  });

  it('is how a commit task and a selected diff are measured, with the language of its code files', () => {
    const m = measureTask(buildCommitTask(behaviour, {}).input);
    assert.equal(m.diff?.files, 1);
    assert.equal(m.language, 'go');
    assert.ok((m.code?.concurrency ?? 0) >= 1);
    assert.equal(named({ prompt: '', command: 'review', context: rename, language: 'diff' }).diffBehaviour, 0);
  });
});
