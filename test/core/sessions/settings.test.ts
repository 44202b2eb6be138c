import assert from 'node:assert/strict';
import { readWorkspaceSessionSettings, sessionSettingsFrom } from '../../../src/core/sessions/settings';
import { MemoryFileSystem } from '../../support/memoryFileSystem';

describe('session settings', () => {
  it('defaults: .llmgenie/sessions, 5 MB parts, 200 sessions / 60 days, docs/decision-log.md', () => {
    assert.deepEqual(sessionSettingsFrom({}), {
      dir: '.llmgenie/sessions',
      maxBytes: 5 * 1024 * 1024,
      retention: { maxSessions: 200, maxAgeDays: 60, maxTotalMB: 1024 },
      decisionLog: 'docs/decision-log.md',
    });
  });

  it("reads the workspace's .vscode/settings.json (JSONC) and lets the env override the folder", async () => {
    const fs = new MemoryFileSystem({
      '/ws/.vscode/settings.json': `{
        // comments are fine
        "llmgenie.sessions.directory": "logs/sessions",
        "llmgenie.sessions.maxFileSizeMB": 1,
        "llmgenie.sessions.retention.maxSessions": "lots", // wrong type: default
        "llmgenie.sessions.retention.maxAgeDays": 7,
        "llmgenie.decisionLog.path": "ADR.md",
      }`,
    });
    assert.deepEqual(await readWorkspaceSessionSettings(fs, '/ws'), {
      dir: 'logs/sessions',
      maxBytes: 1024 * 1024,
      retention: { maxSessions: 200, maxAgeDays: 7, maxTotalMB: 1024 },
      decisionLog: 'ADR.md',
    });
    assert.equal((await readWorkspaceSessionSettings(fs, '/ws', { LLMGENIE_SESSIONS_DIR: '/tmp/s' })).dir, '/tmp/s');
    assert.equal((await readWorkspaceSessionSettings(new MemoryFileSystem({ '/x/.vscode/settings.json': '[' }), '/x')).dir, '.llmgenie/sessions');
  });
});
