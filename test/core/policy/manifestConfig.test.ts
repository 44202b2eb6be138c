import assert from 'node:assert/strict';
import { fakeSecret, makeRng } from '../../../bench/fixtures/policy/fakeSecrets';
import { policyConfigFromRules, policyRulesFromManifest, severityWrittenIn } from '../../../src/core/policy/config';
import { createPolicyEngine } from '../../../src/core/policy/engine';
import { policyConfigFromParsedManifest, severityWrittenInParsed } from '../../../src/core/policy/manifestConfig';
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
  it('knows which entries spell out a severity, exactly like the text-based helper', () => {
    const parsed = parseManifest('/ws/rules_manifest.json', MANIFEST);
    const fromParse = severityWrittenInParsed(parsed);
    const fromText = severityWrittenIn(MANIFEST);
    assert.deepEqual([0, 1, 2].map(fromParse), [true, false, true]);
    assert.deepEqual([0, 1, 2].map(fromParse), [0, 1, 2].map(fromText));
    // On one line too: a written severity is never at the document start.
    const oneLine = parseManifest('/ws/m.json', JSON.stringify(JSON.parse(MANIFEST)));
    assert.deepEqual([0, 1, 2].map(severityWrittenInParsed(oneLine)), [true, false, true]);
  });

  it('gives the same config as the CLI path: secrets stay errors when the manifest writes no severity', () => {
    const parsed = parseManifest('/ws/rules_manifest.json', MANIFEST);
    const { config, ignored } = policyConfigFromParsedManifest(parsed);
    assert.equal(ignored, undefined);
    const cli = policyConfigFromRules(policyRulesFromManifest(parsed.entries.map((e) => e.entry), severityWrittenIn(MANIFEST)));
    assert.deepEqual(config, cli);
    const engine = createPolicyEngine(config);
    const key = fakeSecret('anthropic-api-key', makeRng(3));
    const found = engine.checkText('src/a.ts', `import _ from 'lodash';\nconst k = "${key}";\nconsole.log(k);\n`);
    assert.deepEqual(
      found.map((f) => `${f.ruleId}:${f.severity}`),
      ['700:error', '400:error', '001:warning'],
    );
    assert.equal(found[2].fix?.edits[0].newText, 'logger.debug');
  });

  it('ignores an unusable manifest (built-in packs only) and says why; no manifest means defaults', () => {
    const broken = policyConfigFromParsedManifest(parseManifest('/ws/rules_manifest.json', '{"rules": [ {"id": 1} ]}'));
    assert.deepEqual(broken.config, {});
    assert.match(broken.ignored ?? '', /^\d+:\d+: /);
    const syntax = policyConfigFromParsedManifest(parseManifest('/ws/rules_manifest.json', '{ "rules": ['));
    assert.deepEqual(syntax.config, {});
    assert.match(syntax.ignored ?? '', /JSON syntax error/);
    assert.deepEqual(policyConfigFromParsedManifest(undefined), { config: {} });
  });
});
