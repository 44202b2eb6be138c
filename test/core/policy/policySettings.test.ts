import assert from 'node:assert/strict';
import { fakeSecret, makeRng } from '../../../bench/fixtures/policy/fakeSecrets';
import { policyConfigFromRules } from '../../../src/core/policy/config';
import { createPolicyEngine, DEFAULT_MAX_FILE_BYTES } from '../../../src/core/policy/engine';
import { applyPolicySettings, policySettingsFrom, POLICY_SETTING_KEYS as K } from '../../../src/core/policy/policySettings';

const manifestConfig = () =>
  policyConfigFromRules([
    { id: '001', name: 'logging', enforce: { pack: 'logging', options: { replacement: 'log.trace' } } },
    { id: '009', name: 'branch', enforce: { pack: 'branch', options: { protected: ['trunk'] } } },
  ]);

describe('policy/policySettings', () => {
  it('defaults: secrets on, the convention packs auto, no overrides, 1 MB, 250 ms', () => {
    const { settings, problems } = policySettingsFrom({});
    assert.deepEqual(settings, { packs: { security: true, logging: 'auto', branch: 'auto' }, maxFileBytes: DEFAULT_MAX_FILE_BYTES, lintDelayMs: 250 });
    assert.deepEqual(problems, []);
    // Empty strings and lists are "not set", as the settings UI writes them.
    assert.deepEqual(policySettingsFrom({ [K.replacement]: ' ', [K.protected]: [], [K.pattern]: '' }).settings, settings);
  });

  it('reports values of the wrong type, a non-identifier replacement and a bad regex, and ignores them', () => {
    const { settings, problems } = policySettingsFrom({ [K.security]: 'no', [K.lintDelayMs]: -5, [K.replacement]: 'logger debug', [K.pattern]: '(' });
    assert.equal(settings.packs.security, true, 'a typo never switches secrets off');
    assert.equal(settings.lintDelayMs, 250);
    assert.equal(settings.loggingReplacement, undefined);
    assert.equal(settings.branchPattern, undefined);
    assert.equal(problems.length, 4);
    assert.ok(problems.some((p) => p.startsWith(K.security)));
    assert.ok(problems.some((p) => p.includes('dotted identifier')));
    assert.ok(problems.some((p) => p.includes('regular expression')));
  });

  it('a set setting wins over the rule option; unset ones keep the manifest', () => {
    const { settings } = policySettingsFrom({ [K.replacement]: 'logger.debug', [K.pattern]: '^wip/.+$' });
    const engine = createPolicyEngine(applyPolicySettings(manifestConfig(), settings));
    const [log] = engine.checkText('src/a.ts', 'console.log(1);\n');
    assert.equal(log.fix?.edits[0].newText, 'logger.debug');
    assert.equal(engine.checkBranch({ branch: 'trunk', hasChanges: true }).length, 1, 'protected list from the manifest kept');
    assert.equal(engine.checkBranch({ branch: 'main', hasChanges: true }).length, 1, 'main is no longer protected, and breaks the pattern');
    assert.match(engine.checkBranch({ branch: 'main', hasChanges: true })[0].message, /does not match \^wip/);
    assert.equal(engine.checkBranch({ branch: 'wip/x', hasChanges: true }).length, 0);
    const untouched = createPolicyEngine(applyPolicySettings(manifestConfig(), policySettingsFrom({}).settings));
    assert.equal(untouched.checkText('src/a.ts', 'console.log(1);\n')[0].fix?.edits[0].newText, 'log.trace');
  });

  it('auto: a repository without rules gets the secrets pack only; a manifest rule brings logging and branch in', () => {
    const auto = policySettingsFrom({}).settings;
    const bare = createPolicyEngine(applyPolicySettings({}, auto));
    assert.deepEqual(bare.rules.map((r) => r.id), ['400']);
    assert.deepEqual(bare.checkText('src/a.ts', 'console.log(1);\n'), []);
    assert.deepEqual(bare.checkBranch({ branch: 'main', hasChanges: true }), []);
    assert.equal(bare.checkText('src/a.ts', `const k = "${fakeSecret('github-token', makeRng(3))}";\n`).length, 1, 'secrets everywhere');
    const onlyLogging = policyConfigFromRules([{ id: '001', name: 'logging', enforce: { pack: 'logging' } }]);
    assert.deepEqual(createPolicyEngine(applyPolicySettings(onlyLogging, auto)).rules.map((r) => r.id).sort(), ['001', '400']);
    assert.deepEqual(createPolicyEngine(applyPolicySettings(manifestConfig(), auto)).rules.map((r) => r.id).sort(), ['001', '009', '400']);
  });

  it('on runs a convention pack without rules; the old true/false values still mean on/off', () => {
    const on = policySettingsFrom({ [K.logging]: 'on', [K.branch]: true });
    assert.deepEqual(on.problems, []);
    assert.deepEqual(on.settings.packs, { security: true, logging: 'on', branch: 'on' });
    assert.deepEqual(createPolicyEngine(applyPolicySettings({}, on.settings)).rules.map((r) => r.id).sort(), ['001', '009', '400']);
    assert.equal(policySettingsFrom({ [K.branch]: false }).settings.packs.branch, 'off');
    const typo = policySettingsFrom({ [K.logging]: 'sometimes' });
    assert.equal(typo.settings.packs.logging, 'auto');
    assert.equal(typo.problems.length, 1);
  });

  it('switches packs off even when the manifest configures them, and passes maxFileBytes', () => {
    const { settings } = policySettingsFrom({ [K.logging]: false, [K.branch]: false, [K.maxFileBytes]: 2048 });
    const config = applyPolicySettings(manifestConfig(), settings);
    assert.equal(config.maxFileBytes, 2048);
    const engine = createPolicyEngine(config);
    assert.deepEqual(engine.checkText('src/a.ts', 'console.log(1);\n'), []);
    assert.deepEqual(engine.checkBranch({ branch: 'trunk', hasChanges: true }), []);
    assert.deepEqual(engine.rules.map((r) => r.id), ['400']);
  });
});
