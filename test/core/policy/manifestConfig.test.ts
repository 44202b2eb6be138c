import assert from 'node:assert/strict';
import { fakeSecret, makeRng } from '../../../bench/fixtures/policy/fakeSecrets';
import { policyConfigFromRules, policyRulesFromManifest } from '../../../src/core/policy/config';
import { createPolicyEngine } from '../../../src/core/policy/engine';
import { policyConfigFromParsedManifest } from '../../../src/core/policy/manifestConfig';
import { parseManifest } from '../../../src/core/rules/manifest';

const MANIFEST = JSON.stringify(
  {
    version: 1,
    rules: [
      { id: '001', name: 'logging', file: '.cursor/rules/001.mdc', kind: 'logging', severity: 'warning', enforce: { pack: 'logging', options: { replacement: 'logger.debug' } } },
      { id: '400', name: 'secrets', file: '.cursor/rules/400.mdc', kind: 'security' },
      { id: '700', name: 'no lodash', file: '.cursor/rules/700.mdc', kind: 'style', severity: 'error', enforce: { forbiddenImports: ['lodash'] } },
    ],
  },
  null,
  2,
);

describe('policy/manifestConfig', () => {
  it('leaves an unwritten severity unset, so the pack keeps its own', () => {
    const parsed = parseManifest('/ws/rules_manifest.json', MANIFEST);
    assert.deepEqual(parsed.entries.map((e) => e.entry.severity), ['warning', undefined, 'error']);
    assert.equal(parsed.manifest?.rules[1].severity, undefined);
    assert.ok(!('severity' in parsed.manifest!.rules[1]), 'no key is filled in that a rewrite would persist');
  });

  it('secrets stay errors when the manifest writes no severity', () => {
    const parsed = parseManifest('/ws/rules_manifest.json', MANIFEST);
    const { config, ignored, problems } = policyConfigFromParsedManifest(parsed);
    assert.equal(ignored, undefined);
    assert.deepEqual(problems, []);
    assert.deepEqual(config, policyConfigFromRules(policyRulesFromManifest(parsed.entries.map((e) => e.entry))));
    const engine = createPolicyEngine(config);
    const key = fakeSecret('anthropic-api-key', makeRng(3));
    const found = engine.checkText('src/a.ts', `import _ from 'lodash';\nconst k = "${key}";\nconsole.log(k);\n`);
    assert.deepEqual(
      found.map((f) => `${f.ruleId}:${f.severity}`),
      ['700:error', '400:error', '001:warning'],
    );
    assert.equal(found[2].fix?.edits[0].newText, 'logger.debug');
  });

  it('a typo in one entry leaves it out and keeps enforcing the others', () => {
    const m = JSON.parse(MANIFEST) as { rules: Record<string, unknown>[] };
    m.rules[2] = { ...m.rules[2], kind: 'stlye' };
    const { config, ignored, problems } = policyConfigFromParsedManifest(parseManifest('/ws/rules_manifest.json', JSON.stringify(m, null, 2)));
    assert.equal(ignored, undefined);
    assert.equal(problems.length, 1);
    assert.match(problems[0].message, /kind/);
    assert.equal(config.packs?.security?.ruleId, '400');
    assert.equal(config.packs?.logging?.ruleId, '001');
    assert.deepEqual(config.rules, []);
  });

  it('ignores an unusable manifest (built-in packs only) and says why; no manifest means defaults', () => {
    const syntax = policyConfigFromParsedManifest(parseManifest('/ws/rules_manifest.json', '{ "rules": ['));
    assert.deepEqual(syntax.config, {});
    assert.match(syntax.ignored ?? '', /^\d+:\d+: JSON syntax error/);
    const noRules = policyConfigFromParsedManifest(parseManifest('/ws/rules_manifest.json', '{ "rules": 5 }'));
    assert.deepEqual(noRules.config, {});
    assert.match(noRules.ignored ?? '', /^1:\d+: /);
    const badEntry = policyConfigFromParsedManifest(parseManifest('/ws/rules_manifest.json', '{"rules": [ {"id": 1} ]}'));
    assert.equal(badEntry.ignored, undefined, 'a rules array with a bad entry is still a usable manifest');
    assert.ok(badEntry.problems.length > 0);
    assert.deepEqual(policyConfigFromParsedManifest(undefined), { config: {}, problems: [] });
  });
});
