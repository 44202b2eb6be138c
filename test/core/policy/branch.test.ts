import assert from 'node:assert/strict';
import { checkBranch, createBranchCheck, gitBranchInfo } from '../../../src/core/policy/packs/branch';
import type { GitRunner } from '../../../src/core/platform/git';
import { createPolicyEngine } from '../../../src/core/policy/engine';

describe('policy/branch', () => {
  it('warns about changes on a protected branch, not about a clean one', () => {
    const [f] = checkBranch({ branch: 'main', hasChanges: true });
    assert.equal(f.ruleId, '009');
    assert.equal(f.severity, 'warning');
    assert.equal(f.file, '');
    assert.match(f.message, /protected branch "main"/);
    assert.deepEqual(checkBranch({ branch: 'main', hasChanges: false }), []);
    assert.equal(checkBranch({ branch: 'release/2.1', hasChanges: true }).length, 1);
  });

  it('checks the naming pattern on other branches', () => {
    assert.deepEqual(checkBranch({ branch: 'feature/login-form', hasChanges: true }), []);
    assert.deepEqual(checkBranch({ branch: 'fix/issue-12', hasChanges: false }), []);
    const [f] = checkBranch({ branch: 'Johns-Branch', hasChanges: false });
    assert.match(f.message, /Johns-Branch.*does not match/);
    assert.equal(checkBranch({ branch: 'feature/UPPER', hasChanges: false }).length, 1);
  });

  it('ignores a detached HEAD', () => {
    assert.deepEqual(checkBranch({ branch: undefined, hasChanges: true }), []);
  });

  it('takes protected globs and a pattern from options, and the engine config', () => {
    const check = createBranchCheck({ protected: ['trunk'], pattern: '^[a-z]+-\\d+$' }, 'B', 'Branches', 'error');
    assert.equal(check({ branch: 'trunk', hasChanges: true })[0].severity, 'error');
    assert.deepEqual(check({ branch: 'main', hasChanges: true }).map((f) => f.ruleId), ['B']);
    assert.deepEqual(check({ branch: 'abc-12', hasChanges: true }), []);
    const off = createPolicyEngine({ packs: { branch: { enabled: false } } });
    assert.deepEqual(off.checkBranch({ branch: 'main', hasChanges: true }), []);
    const on = createPolicyEngine({ packs: { branch: { ruleId: '009-b', severity: 'info' } } });
    assert.deepEqual(on.checkBranch({ branch: 'main', hasChanges: true }).map((f) => [f.ruleId, f.severity]), [['009-b', 'info']]);
  });

  it('reads branch and changes from git status --porcelain=v2', async () => {
    const calls: string[][] = [];
    const run = (stdout: string, code = 0): GitRunner => async (args) => {
      calls.push([...args]);
      if (code !== 0) throw new Error('fatal: not a git repository');
      return stdout;
    };
    assert.deepEqual(await gitBranchInfo('/r', run('# branch.oid abc\n# branch.head feature/x\n')), { branch: 'feature/x', hasChanges: false });
    assert.deepEqual(await gitBranchInfo('/r', run('# branch.head main\n1 .M N... 100644 100644 100644 a b src/a.ts\n')), { branch: 'main', hasChanges: true });
    assert.deepEqual(await gitBranchInfo('/r', run('# branch.head (detached)\n? new.txt\n')), { branch: undefined, hasChanges: true });
    assert.equal(await gitBranchInfo('/r', run('', 128)), undefined);
    assert.deepEqual(calls[0].slice(0, 2), ['status', '--porcelain=v2']);
  });
});
