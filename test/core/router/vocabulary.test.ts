import assert from 'node:assert/strict';
import { routeStory } from '../../../src/core/router/routeStory';
import { scoreInWords } from '../../../src/core/router/taskSummary';
import { reasonKinds } from '../../../src/core/analytics/reasonKind';
import { computeStats } from '../../../src/core/analytics/stats';
import { count } from '../../../src/core/text/plural';
import type { SessionEvent } from '../../../src/core/sessions/events';

describe('one vocabulary (#16.4, #16.11)', () => {
  it('names where a task ended by who answered: escalated / fell back / Local / Cloud', () => {
    assert.equal(routeStory({ route: 'local', provider: 'anthropic', escalated: true }).text, 'escalated from Local to Cloud');
    assert.deepEqual(routeStory({ route: 'local', provider: 'anthropic' }), { side: 'cloud', text: 'escalated from Local to Cloud', moved: true });
    assert.deepEqual(routeStory({ route: 'cloud', provider: 'ollama' }), { side: 'local', text: 'fell back from Cloud to Local', moved: true });
    assert.equal(routeStory({ route: 'cloud', provider: 'anthropic' }).text, 'Cloud');
    assert.equal(routeStory({ route: 'local', provider: 'ollama' }).text, 'Local');
  });

  it('says the score in words', () => {
    assert.equal(scoreInWords(0.05), 'looks routine: 5% chance it needs Claude');
    assert.equal(scoreInWords(0.5), 'could go either way: 50% chance it needs Claude');
    assert.equal(scoreInWords(0.91), 'looks demanding: 91% chance it needs Claude');
  });

  it('counts in the right number', () => {
    assert.equal(count(1, 'finding'), '1 finding');
    assert.equal(count(0, 'finding'), '0 findings');
    assert.equal(count(2, 'entry', 'entries'), '2 entries');
  });

  it('groups escalation reasons by kind, each kind once per task, unknown labels kept', () => {
    assert.deepEqual(reasonKinds('answer too short for explain (41 characters, expected at least 120); no code block in a refactor answer'), ['answer too short', 'code block missing or broken']);
    assert.deepEqual(reasonKinds('local model unavailable (unreachable)'), ['local model unavailable']);
    assert.deepEqual(reasonKinds('low-confidence'), ['low-confidence']);
    assert.deepEqual(reasonKinds(''), ['unspecified']);
  });

  it('the dashboard counts two differently worded "too short" escalations as one kind, and a task that ended on Claude as escalated', () => {
    const task = (reason: string, extra: Record<string, unknown> = {}): SessionEvent =>
      ({
        v: 1, id: reason, time: '2025-03-01T10:00:00.000Z', session: 's', type: 'task',
        payload: {
          command: 'explain', route: 'local', mode: 'auto', reasons: [], provider: 'anthropic', model: 'claude', escalated: true, escalationReason: reason,
          tokensIn: 1, tokensOut: 1, costUsd: 0.01, cloudCostUsd: 0.01, totalMs: 10, ok: true, ...extra,
        },
      }) as unknown as SessionEvent;
    const s = computeStats(
      [task('answer too short for explain (41 characters, expected at least 120)'), task('answer thin for an uncertain review task (80 characters, expected at least 200)'), task('', { escalated: false, escalationReason: undefined })],
      { now: new Date('2025-03-05T00:00:00Z') },
    );
    assert.equal(s.escalation.reasons[0]!.reason, 'answer too short');
    assert.equal(s.escalation.reasons[0]!.count, 2);
    assert.equal(s.escalation.reasons[0]!.examples!.length, 2);
    assert.equal(s.tasks.byRoute.escalated, 3, 'routed local, answered by Claude: escalated, never "local"');
  });
});
