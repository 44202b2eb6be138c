import assert from 'node:assert/strict';
import { describeEvent } from '../../../src/core/sessions/describe';
import { exportSessionMarkdown } from '../../../src/core/sessions/markdown';
import { readSession } from '../../../src/core/sessions/read';
import { openSession } from '../../../src/core/sessions/store';
import { MemoryFileSystem } from '../../support/memoryFileSystem';
import { ev, steppingClock, task } from './fixtures';

describe('describeEvent', () => {
  it('labels a task with route, model, latency, tokens and cost', () => {
    const d = describeEvent(
      ev('2025-03-01T10:00:00Z', {
        type: 'task',
        payload: task({ route: 'cloud', provider: 'anthropic', model: 'claude-sonnet', escalated: true, escalationReason: 'low-confidence', totalMs: 812.4, ttftMs: 90, costUsd: 0.0042, files: ['src/a.ts'] }),
      }),
    );
    assert.deepEqual(d, {
      label: 'task · explain',
      description: 'escalated from Local to Cloud (low-confidence) · anthropic/claude-sonnet · 812 ms · ttft 90 ms · 100→50 tok · $0.0042',
      files: ['src/a.ts'],
    });
    const p = describeEvent(ev('2025-03-01T10:00:00Z', { type: 'policy', payload: { source: 'cli', files: 4, findings: 3, byRule: {}, bySeverity: { error: 1, warning: 2, info: 0 } } }));
    assert.equal(p.description, '3 findings in 4 files (1 error, 2 warnings)');
  });
});

describe('exportSessionMarkdown', () => {
  it('writes facts, summary, models, events and warnings as markdown', async () => {
    const fs = new MemoryFileSystem();
    const s = await openSession(fs, steppingClock('2025-03-01T10:00:00Z'), { root: '/ws/app', host: 'editor', version: '0.1.0' });
    await s.append({ type: 'task', payload: task({ command: 'fix | pipe', cloudCostUsd: 0.5 }) });
    await s.append({
      type: 'task',
      payload: task({ route: 'cloud', provider: 'anthropic', model: 'claude-sonnet', escalated: true, escalationReason: 'syntax-error', costUsd: 0.25, cloudCostUsd: 0.25, totalMs: 900 }),
    });
    await s.append({ type: 'note', payload: { message: 'line one\nline two' } });
    await fs.appendText(s.path, '{"torn');
    const md = exportSessionMarkdown(await readSession(fs, '/ws/app', s.sessionId));
    assert.match(md, new RegExp(`^# Session ${s.sessionId}\n`));
    assert.match(md, /\| Host \| editor \|/);
    assert.match(md, /\| Workspace \| app \|/);
    assert.match(md, /\| Events \| 3 \(task 2, note 1\) \|/);
    assert.match(md, /- Tasks: 2 \(local 1, cloud 0, escalated 1\); 2 ok, 0 failed/);
    assert.match(md, /- Cost: \$0\.25; all on Claude it would have been \$0\.75, saved \$0\.50/);
    assert.match(md, /- Escalation: 50\.0% of 2 local attempts \(syntax-error 1\)/);
    assert.match(md, /\| anthropic \| claude-sonnet \| 1 \| 0 \| 900 ms \| 900 ms \|/);
    assert.match(md, /\| task · fix \\\| pipe \|/);
    assert.match(md, /\| note \| line one line two \|/);
    assert.match(md, /## Read warnings\n\n- \.llmgenie\/sessions\/.*\.jsonl:5: not valid JSON/);
    // Every table row stays one line with balanced cells.
    for (const row of md.split('\n').filter((l) => l.startsWith('| 2025'))) assert.equal(row.replace(/\\\|/g, '').split('|').length, 6, row);
  });
});
