import assert from 'node:assert/strict';
import { createPolicyEngine } from '../../../src/core/policy/engine';
import { policyConfigFromParsedManifest } from '../../../src/core/policy/manifestConfig';
import { applyPolicySettings, policySettingsFrom } from '../../../src/core/policy/policySettings';
import { addStarterRules, hasWorkspaceRules, STARTER_RULES, StarterRulesError } from '../../../src/core/policy/starterRules';
import { loadRules } from '../../../src/core/rules/registry';
import { MemoryFileSystem } from '../../support/memoryFileSystem';

const ROOT = '/ws';

describe('policy/starterRules', () => {
  it('a bare repository has no rules; after the starter set it has three, lint-clean, each enforcing its pack', async () => {
    const fs = new MemoryFileSystem({ [`${ROOT}/src/a.ts`]: 'console.log(1);\n' });
    assert.equal(hasWorkspaceRules(await loadRules(fs, ROOT)), false);
    const r = await addStarterRules(fs, ROOT);
    assert.deepEqual(r.written, STARTER_RULES.map((s) => s.path));
    assert.equal(r.manifestFile, `${ROOT}/rules_manifest.json`);
    const after = await loadRules(fs, ROOT);
    assert.ok(hasWorkspaceRules(after));
    assert.deepEqual(after.problems, []);
    assert.deepEqual(after.rules.map((x) => x.id).sort(), ['001', '009', '400']);
    assert.deepEqual(r.manifest.rules.map((e) => [e.id, e.kind, e.enforce?.pack]), [['001', 'logging', 'logging'], ['009', 'branch', 'branch'], ['400', 'security', 'security']]);
    // Under the default `auto`, the starter set is what switches the logging and branch packs on.
    const engine = createPolicyEngine(applyPolicySettings(policyConfigFromParsedManifest(after.manifest).config, policySettingsFrom({}).settings));
    assert.deepEqual(engine.rules.map((x) => x.id).sort(), ['001', '009', '400']);
    assert.equal(engine.checkText('src/a.ts', 'console.log(1);\n')[0]?.ruleId, '001');
  });

  it("keeps the team's files and entries: only what is missing is written and registered", async () => {
    const mine = '---\ndescription: our own logging rule\nglobs: src/**\nalwaysApply: false\n---\nours\n';
    const manifest = JSON.stringify({ version: 1, rules: [{ id: 'L1', name: 'ours', file: '.cursor/rules/001-logging.mdc', kind: 'logging', severity: 'error' }] });
    const fs = new MemoryFileSystem({ [`${ROOT}/.cursor/rules/001-logging.mdc`]: mine, [`${ROOT}/rules_manifest.json`]: manifest });
    const r = await addStarterRules(fs, ROOT);
    assert.deepEqual(r.kept, ['.cursor/rules/001-logging.mdc']);
    assert.equal(fs.files.get(`${ROOT}/.cursor/rules/001-logging.mdc`), mine);
    assert.deepEqual(r.manifest.rules.find((e) => e.id === 'L1'), { id: 'L1', name: 'ours', file: '.cursor/rules/001-logging.mdc', kind: 'logging', severity: 'error' });
    assert.equal(r.manifest.rules.length, 3);
  });

  it('leaves a manifest with errors alone and says so in one line', async () => {
    const fs = new MemoryFileSystem({ [`${ROOT}/rules_manifest.json`]: '{ "rules": [ ' });
    await assert.rejects(addStarterRules(fs, ROOT), (e: Error) => e instanceof StarterRulesError && /rules_manifest\.json has errors/.test(e.message) && !e.message.includes('\n'));
    assert.equal(fs.files.size, 1);
  });
});
