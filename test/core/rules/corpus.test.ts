import assert from 'node:assert/strict';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseRuleFile } from '../../../src/core/rules/ruleFile';
import { globMatcher } from '../../../src/core/rules/globs';

// 257 real rule files as people publish them (shared/corpora/cursor-rules, CC0).
const corpus = [resolve(__dirname, '../../../../shared/corpora/cursor-rules'), resolve(process.cwd(), '../shared/corpora/cursor-rules')].find(existsSync);

describe('rules parser over the real-world corpus', function () {
  if (!corpus) {
    it.skip('corpus not found next to the repository (../shared/corpora/cursor-rules)');
    return;
  }
  const files = readdirSync(corpus).filter((f) => f.endsWith('.mdc'));

  it('finds all 257 files', () => assert.equal(files.length, 257));

  it('parses every file without an exception and understands its globs', () => {
    let withGlobs = 0;
    for (const f of files) {
      const text = readFileSync(join(corpus, f), 'utf8');
      const { rule, problems } = parseRuleFile(join(corpus, f), text);
      const rawGlobs = /^globs:[ \t]*(\S.*)$/m.exec(text.split(/^---\s*$/m)[1] ?? '')?.[1];
      if (rawGlobs) {
        withGlobs++;
        assert.ok(rule.globs.length > 0, `${f}: globs "${rawGlobs}" not understood`);
        for (const g of rule.globs) assert.ok(!/^["'\[]|["'\]]$/.test(g), `${f}: glob keeps its quoting: ${g}`);
      }
      assert.ok(!problems.some((p) => p.code === 'front-matter-unclosed'), `${f}: ${problems.map((p) => p.message).join('; ')}`);
    }
    assert.ok(withGlobs > 200, `only ${withGlobs} files had globs`);
  });

  it('matches paths with the parsed globs (e.g. **/* matches everything)', () => {
    const text = readFileSync(join(corpus, 'ai-agent-specialist.mdc'), 'utf8');
    const { rule } = parseRuleFile('x.mdc', text);
    assert.ok(globMatcher(rule.globs)('src/deep/file.ts'));
  });
});
