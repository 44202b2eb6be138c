import assert from 'node:assert/strict';
import { extractFeatures, FEATURE_NAMES, FEATURE_SPECS } from '../../../src/core/router/features';

const f = (prompt: string, context?: string, command?: string): Record<string, number> => {
  const x = extractFeatures({ prompt, context, command });
  return Object.fromEntries(FEATURE_NAMES.map((n, i) => [n, x[i]!]));
};

describe('router features', () => {
  it('has one label per feature and unique names', () => {
    assert.equal(new Set(FEATURE_NAMES).size, FEATURE_NAMES.length);
    for (const s of FEATURE_SPECS) assert.ok(s.label.length > 0, s.name);
  });

  it('keeps every value in [0, 1]', () => {
    const x = extractFeatures({ prompt: 'x'.repeat(50_000), context: 'a.ts b.ts\n'.repeat(10_000), command: 'review' });
    assert.equal(x.length, FEATURE_NAMES.length);
    for (const v of x) assert.ok(v >= 0 && v <= 1 && Number.isFinite(v));
  });

  it('detects complexity cues in English and Russian', () => {
    const cases: [string, string][] = [
      ['why does this deadlock?', 'concurrency'],
      ['почему тут гонка данных?', 'concurrency'],
      ['is this vulnerable to SQL injection', 'security'],
      ['проверь код на уязвимости', 'security'],
      ['this endpoint is slow, optimize it', 'performance'],
      ['почему это тормозит', 'performance'],
      ['move the auth logic across all the services', 'multiFile'],
      ['поправь импорты во всех файлах', 'multiFile'],
      ['how should we split the monolith into microservices', 'architecture'],
      ['спроектируй архитектуру сервиса', 'architecture'],
      ['what is the root cause of this', 'debugWhy'],
      ['which algorithm fits shortest path with time windows', 'algorithm'],
      ['migrate from Express to Fastify', 'migration'],
      ['перенеси проект с webpack на vite', 'migration'],
      ['make the importer resumable after a crash', 'reliability'],
    ];
    for (const [prompt, cue] of cases) assert.equal(f(prompt)[cue], 1, `${cue} in "${prompt}"`);
  });

  it('detects routine cues in English and Russian', () => {
    const cases: [string, string][] = [
      ['rename usrCnt to amount', 'rename'],
      ['переименуй переменную tmp', 'rename'],
      ['reformat with 2-space indent', 'format'],
      ['отформатируй файл', 'format'],
      ['fix the typo in the label', 'typo'],
      ['исправь опечатку', 'typo'],
      ['add a jsdoc comment', 'comment'],
      ['write a commit message', 'commitMessage'],
      ['сообщение коммита для этого', 'commitMessage'],
      ['what does this line do', 'explainLine'],
      ['what does `??=` mean', 'explainLine'],
      ['convert this function to an arrow function', 'mechanicalEdit'],
      ['how do I pad a number with zeros in JS', 'quickHowTo'],
      ['fix this line', 'smallScope'],
    ];
    for (const [prompt, cue] of cases) assert.equal(f(prompt)[cue], 1, `${cue} in "${prompt}"`);
  });

  it('does not fire cues on unrelated words', () => {
    const x = f('add a button that opens the settings page');
    for (const cue of ['concurrency', 'security', 'performance', 'architecture', 'migration', 'rename', 'typo'])
      assert.equal(x[cue], 0, cue);
    // "port" as a noun is a config edit, not a port of the code base.
    assert.equal(f('change the port to 3000')['migration'], 0);
    // Cues come from what the user asked, not from code they selected.
    assert.equal(f('add a comment', 'mu.Lock(); defer mu.Unlock() // deadlock?')['concurrency'], 0);
  });

  it('measures files, identifiers and code size from the context', () => {
    const small = f('explain', 'const a = 1;');
    const big = f(
      'explain',
      ['// File: src/a/user.ts', 'export const userName = 1;', '// File: src/b/billing.ts', 'import { userName } from "../a/user";', 'see lib/tax.py and docs/README.md']
        .join('\n')
        .repeat(40),
    );
    assert.equal(small['filesReferenced'], 0);
    assert.equal(big['filesReferenced'], 4 / 8);
    assert.ok(big['identifiers']! > small['identifiers']!);
    assert.ok(big['codeSize']! > small['codeSize']!);
    assert.ok(f('x'.repeat(5000))['promptLength']! > f('why?')['promptLength']!);
  });

  it('one-hot encodes the command, case-insensitively, with "test" as an alias', () => {
    assert.equal(f('x', undefined, 'Review')['cmdReview'], 1);
    assert.equal(f('x', undefined, 'test')['cmdTests'], 1);
    const none = f('x', undefined, 'unknown-command');
    for (const c of ['cmdExplain', 'cmdRefactor', 'cmdTests', 'cmdReview', 'cmdCommit', 'cmdAsk']) assert.equal(none[c], 0);
  });
});
