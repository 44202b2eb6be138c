import assert from 'node:assert/strict';
import { fakeSecret, makeRng } from '../../../bench/fixtures/policy/fakeSecrets';
import { createPolicyEngine } from '../../../src/core/policy/engine';
import { formatJson, formatText } from '../../../src/core/policy/report';
import { toSarif } from '../../../src/core/policy/sarif';
import type { TreeResult } from '../../../src/core/policy/types';
import { MemoryFileSystem } from '../../support/memoryFileSystem';

const rng = makeRng(9);
const STRIPE = fakeSecret('stripe-secret-key', rng);

async function sample(): Promise<{ result: TreeResult; engine: ReturnType<typeof createPolicyEngine> }> {
  const engine = createPolicyEngine({
    rules: [{ id: 'T1', name: 'Echo', severity: 'hint', enforce: { patterns: [{ regex: 'leak', message: `do not paste ${STRIPE}` }] } }],
  });
  const fs = new MemoryFileSystem({
    '/w/src/my file.ts': `\tconst stripe = new Stripe("${STRIPE}");\nconsole.log(stripe); // leak\n`,
    '/w/bin/tool': 'ELF\u0000',
  });
  const result = await engine.checkTree(fs, '/w');
  return { engine, result: { ...result, findings: [...engine.checkBranch({ branch: 'main', hasChanges: true }), ...result.findings] } };
}

describe('policy/report', () => {
  it('SARIF 2.1.0: tool, rules, levels, relative URIs, 1-based regions; repository findings as notifications', async () => {
    const { result, engine } = await sample();
    const sarif = toSarif(result, engine.rules) as any;
    assert.equal(sarif.version, '2.1.0');
    assert.match(sarif.$schema, /sarif-2\.1\.0/);
    const run = sarif.runs[0];
    assert.equal(run.tool.driver.name, 'llmgenie');
    assert.deepEqual(run.tool.driver.rules.map((r: any) => [r.id, r.defaultConfiguration.level]), [['400', 'error'], ['001', 'warning'], ['009', 'warning'], ['T1', 'note']]);
    const byRule = Object.fromEntries(run.results.map((r: any) => [r.ruleId, r]));
    assert.ok(run.results.every((r: any) => r.locations.length === 1), 'code scanning needs a location on every result');
    const secret = byRule['400'];
    assert.equal(secret.level, 'error');
    assert.equal(secret.ruleIndex, 0);
    const loc = secret.locations[0].physicalLocation;
    assert.equal(loc.artifactLocation.uri, 'src/my%20file.ts');
    assert.equal(loc.artifactLocation.uriBaseId, '%SRCROOT%');
    assert.deepEqual([loc.region.startLine, loc.region.startColumn], [1, 29]);
    assert.equal(byRule['001'].level, 'warning');
    assert.equal(byRule['001'].fixes[0].artifactChanges[0].replacements[0].deletedRegion.startLine, 2);
    assert.equal(byRule.T1.level, 'note');
    assert.equal(typeof secret.partialFingerprints['llmgenie/v1'], 'string');
    const [branch, skipped] = run.invocations[0].toolExecutionNotifications;
    assert.deepEqual([branch.level, branch.associatedRule], ['warning', { id: '009', index: 2 }]);
    assert.equal(skipped.locations[0].physicalLocation.artifactLocation.uri, 'bin/tool');
  });

  it('masks every secret in text, JSON and SARIF, including in user-written rule messages', async () => {
    const { result, engine } = await sample();
    for (const out of [formatText(result), formatJson(result, engine.rules), JSON.stringify(toSarif(result, engine.rules))]) {
      assert.ok(!out.includes(STRIPE), out);
      assert.ok(out.includes('[REDACTED:stripe-secret-key]') || out.includes(`${STRIPE.slice(0, 4)}…`));
    }
  });

  it('text output: 1-based positions, skipped notes and a summary', async () => {
    const { result } = await sample();
    const text = formatText(result);
    assert.match(text, /^src\/my file\.ts:1:29: error \[400\] Stripe secret or restricted key/m);
    assert.match(text, /^\(repository\): warning \[009\]/m);
    assert.match(text, /^note: skipped bin\/tool: binary$/m);
    assert.match(text, /^1 file checked, 1 error, 2 warnings, 1 notes, 1 skipped$/m);
  });
});
