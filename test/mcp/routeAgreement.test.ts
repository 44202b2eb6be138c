// The editor, `llmgenie route` and MCP `route_task` decide one task alike, under one routing configuration read
// from the workspace's .vscode/settings.json: the editor with the full template prompt it builds, the CLI and MCP
// with the user's instruction alone.
import assert from 'node:assert/strict';
import type { CliIO } from '../../src/cli/command';
import { createRouteCommand } from '../../src/cli/commands/route';
import { decideRoute } from '../../src/core/router/classifier';
import { editorRouterConfig, type RouterSettingKey } from '../../src/core/router/editorConfig';
import { buildEditorTask, type EditorCommand } from '../../src/core/router/editorTasks';
import { ROOT, inProcess, result } from './fixture';

const SETTINGS = { 'llmgenie.router.overrides': { commit: 'local' }, 'llmgenie.router.cloudThreshold': 0.3 };

const CASES: { command: Exclude<EditorCommand, 'commit'>; instruction: string; fileName: string; language: string; code: string }[] = [
  { command: 'explain', instruction: '', fileName: 'src/a.ts', language: 'typescript', code: 'export const add = (a: number, b: number) => a + b;\n' },
  {
    command: 'review',
    instruction: '',
    fileName: 'src/lock.go',
    language: 'go',
    code: 'package p\n\nimport "sync"\n\nvar mu sync.Mutex\nvar n int\n\nfunc Inc() {\n\tgo func() { mu.Lock(); n++; mu.Unlock() }()\n}\n',
  },
  { command: 'refactor', instruction: 'rename `n` to `count`', fileName: 'src/lock.go', language: 'go', code: 'package p\n\nvar n int\n\nfunc Inc() { n++ }\n' },
  {
    command: 'ask',
    instruction: 'Can two callers get the same id?',
    fileName: 'ids.py',
    language: 'python',
    code: 'import threading\n\n_next = 0\n\ndef next_id():\n    global _next\n    _next += 1\n    return _next\n',
  },
  { command: 'tests', instruction: '', fileName: 'util.py', language: 'python', code: 'def clamp(v, lo, hi):\n    return max(lo, min(v, hi))\n' },
];

describe('routing agrees across the editor, the CLI and MCP', () => {
  it('gives every task the same route, score and band on all three faces', async () => {
    const s = await inProcess();
    await s.fs.writeText(`${ROOT}/.vscode/settings.json`, JSON.stringify(SETTINGS));
    const editorConfig = editorRouterConfig((key: RouterSettingKey) => (SETTINGS as Record<string, unknown>)[`llmgenie.${key}`], {});

    const editor = CASES.map((c) => {
      const t = buildEditorTask(c.command, { fileName: c.fileName, languageId: c.language, text: c.code, selection: { start: 0, end: c.code.length } }, {
        ...(c.instruction ? { question: c.instruction } : {}),
      });
      return decideRoute(t.input, editorConfig.router.mode, editorConfig.router.overrides, { threshold: editorConfig.cloudThreshold! });
    });

    const lines = CASES.map((c, i) => JSON.stringify({ id: i, command: c.command, prompt: c.instruction, context: c.code, language: c.language, fileName: c.fileName }));
    let out = '';
    const io: CliIO = { cwd: ROOT, env: {}, out: (t) => (out += t), err: () => undefined, readStdin: async () => lines.join('\n') };
    assert.equal(await createRouteCommand({ fs: s.fs }).run(['--json'], io), 0);
    const cli = out.trim().split('\n').map((l) => JSON.parse(l) as { route: string; score: number; band: string; threshold: number });

    const mcp = [];
    for (const c of CASES)
      mcp.push(result<{ route: string; score: number; band: string; threshold: number }>(
        await s.call('route_task', { command: c.command, prompt: c.instruction, context: c.code, language: c.language, fileName: c.fileName }),
      ));
    await s.close();

    const view = (d: { route: string; score: number; band?: string; threshold?: number }) => [d.route, d.score, d.band, d.threshold];
    assert.deepEqual(cli.map(view), editor.map(view));
    assert.deepEqual(mcp.map(view), editor.map(view));
    assert.ok(editor.every((d) => d.threshold === 0.3));
    // The set is not one-sided: both routes occur.
    assert.deepEqual(new Set(editor.map((d) => d.route)), new Set(['local', 'cloud']));
  });
});
