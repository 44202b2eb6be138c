import assert from 'node:assert/strict';
import { verdictReason } from '../../../src/core/handoff/verdict';
import { draftHandoff, draftTitle } from '../../../src/core/handoff/draft';

describe('handoff: the ring says why (#16.9)', () => {
  it('explains FAILED at a score above the minimum', () => {
    assert.equal(verdictReason({ passed: false, score: 87, minScore: 70, errors: 1 }), 'Failed although 87 is above the minimum 70: 1 error-level gap fails a package at any score. Fix it to pass.');
    assert.match(verdictReason({ passed: false, score: 52, minScore: 70, errors: 0 }), /^Failed: 52 is below the minimum 70\.$/);
    assert.match(verdictReason({ passed: true, score: 90, minScore: 70, errors: 0 }), /^Passed/);
  });

  it('titles a fresh draft from the work, and never lists the session log as a touched file', () => {
    assert.equal(draftTitle({ decisions: [{ title: 'Cents, not floats' }], files: ['src/billing.ts'], branch: 'main', name: 'x' }), 'Cents, not floats');
    assert.equal(draftTitle({ files: ['.llmgenie/sessions/a.jsonl', 'src/billing.ts', 'src/payments.ts'], branch: 'main', name: 'x' }), 'Work on billing.ts and payments.ts');
    assert.equal(draftTitle({ files: [], branch: 'main', name: 'handoff-1' }), 'handoff-1');
    const text = draftHandoff({ title: 't', created: new Date('2025-03-01T00:00:00Z'), files: ['.llmgenie/sessions/a.jsonl', 'src/billing.ts'], minQuestions: 3 });
    assert.ok(!text.includes('.llmgenie/sessions'), text);
    assert.ok(text.includes('src/billing.ts'));
  });
});
